"""Events the invoice service consumes: the company facts invoices need, and how delivery went."""

from __future__ import annotations

from services.invoice import db
from shared.db import Connection
from shared.events import Envelope
from shared.events.company import BuyerChanged, ConnectionEstablished, SupplierProfileChanged
from shared.events.invoice import (
    InvoiceDelivered,
    InvoiceDeliveryFailed,
    InvoiceRendered,
    InvoiceRenderingFailed,
)


async def on_supplier_profile_changed(
    conn: Connection, envelope: Envelope, event: SupplierProfileChanged
) -> None:
    await db.upsert_supplier(
        conn, event.company_id, event.revision, event.model_dump(mode="json"), event.user_ids
    )


async def on_buyer_changed(conn: Connection, envelope: Envelope, event: BuyerChanged) -> None:
    await db.upsert_buyer(conn, event.buyer_id, event.revision, event.model_dump(mode="json"))


async def on_connection_established(
    conn: Connection, envelope: Envelope, event: ConnectionEstablished
) -> None:
    await db.add_connection(conn, event.supplier_id, event.buyer_id, event.connected_at)


async def on_invoice_rendered(conn: Connection, envelope: Envelope, event: InvoiceRendered) -> None:
    """Rendered is still Skickad for the user; only delivery (or failure) moves it on."""


async def on_invoice_delivered(
    conn: Connection, envelope: Envelope, event: InvoiceDelivered
) -> None:
    await db.set_status(conn, event.invoice_id, "delivered", None, event.delivered_at)


async def on_invoice_rendering_failed(
    conn: Connection, envelope: Envelope, event: InvoiceRenderingFailed
) -> None:
    await db.set_status(conn, event.invoice_id, "failed", event.reason, event.failed_at)


async def on_invoice_delivery_failed(
    conn: Connection, envelope: Envelope, event: InvoiceDeliveryFailed
) -> None:
    await db.set_status(conn, event.invoice_id, "failed", event.reason, event.failed_at)
