"""Events the invoice service consumes: the company facts invoices need, and how delivery went."""

from __future__ import annotations

import uuid
from typing import Any

from services.invoice import db
from shared.consumer import Refused
from shared.db import Connection
from shared.events import Envelope
from shared.events.company import (
    BuyerChanged,
    BuyerChangedV1,
    BuyerUsersChanged,
    ConnectionEstablished,
    SupplierProfileChanged,
    TermsAccepted,
)
from shared.events.invoice import (
    InvoiceDelivered,
    InvoiceDeliveryFailed,
    InvoiceRenderingFailed,
)
from shared.subscriptions import subscriber


@subscriber("invoice.company")
async def on_supplier_profile_changed(
    conn: Connection, envelope: Envelope, event: SupplierProfileChanged
) -> None:
    """Refused if it lists a user of another company: no event moves a user between tenants."""
    if bound := await db.users_of_other_companies(conn, event.company_id, event.user_ids):
        listed = ", ".join(map(str, bound))
        raise Refused(f"users {listed} belong to another company than {event.company_id}")
    await db.upsert_supplier(
        conn, event.company_id, event.revision, event.model_dump(mode="json"), event.user_ids
    )


@subscriber("invoice.company")
async def on_buyer_changed(conn: Connection, envelope: Envelope, event: BuyerChanged) -> None:
    await db.upsert_buyer(conn, event.buyer_id, event.revision, event.model_dump(mode="json"))


@subscriber("invoice.company")
async def on_buyer_changed_v1(conn: Connection, envelope: Envelope, event: BuyerChangedV1) -> None:
    """A buyer announced before version 2 (a company service not yet upgraded): mailed."""
    await on_buyer_changed(conn, envelope, event.upcast())


@subscriber("invoice.company")
async def on_buyer_users_changed(
    conn: Connection, envelope: Envelope, event: BuyerUsersChanged
) -> None:
    """Whom to let act for the buyer on its pages: received invoices, keys, webhooks."""
    await db.replace_buyer_users(conn, event.buyer_id, event.revision, event.user_ids)


@subscriber("invoice.company")
async def on_terms_accepted(conn: Connection, envelope: Envelope, event: TermsAccepted) -> None:
    """Remember which terms the supplier accepted: a connection needs the buyer's current ones."""
    await _known_pair(conn, event.supplier_id, event.buyer_id, event.user_id)
    await db.record_terms_acceptance(
        conn, event.supplier_id, event.buyer_id, event.terms_version, event.accepted_at
    )


@subscriber("invoice.company")
async def on_connection_established(
    conn: Connection, envelope: Envelope, event: ConnectionEstablished
) -> None:
    """Refused unless the supplier accepted the buyer's current terms first, as the company
    service requires: a connection alone, forged or not, lets no supplier invoice a buyer."""
    buyer = await _known_pair(conn, event.supplier_id, event.buyer_id, event.user_id)
    accepted = await db.accepted_terms_version(conn, event.supplier_id, event.buyer_id)
    if accepted != buyer["terms_version"]:
        raise Refused(
            f"supplier {event.supplier_id} has not accepted the terms"
            f" {buyer['terms_version']} of buyer {event.buyer_id}"
        )
    await db.add_connection(conn, event.supplier_id, event.buyer_id, event.connected_at)


async def _known_pair(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID, user_id: uuid.UUID
) -> dict[str, Any]:
    """The buyer, once the supplier and the buyer were announced and the user acts for the
    supplier; otherwise the event is refused."""
    buyer = await db.buyer(conn, buyer_id)
    if buyer is None:
        raise Refused(f"buyer {buyer_id} was never announced")
    if await db.supplier(conn, supplier_id) is None:
        raise Refused(f"supplier {supplier_id} was never announced")
    if await db.company_of_user(conn, user_id) != supplier_id:
        raise Refused(f"user {user_id} does not act for supplier {supplier_id}")
    return buyer


@subscriber("invoice.statuses")
async def on_invoice_delivered(
    conn: Connection, envelope: Envelope, event: InvoiceDelivered
) -> None:
    await db.set_status(conn, event.invoice_id, "delivered", None, event.delivered_at)


@subscriber("invoice.statuses")
async def on_invoice_rendering_failed(
    conn: Connection, envelope: Envelope, event: InvoiceRenderingFailed
) -> None:
    await db.set_status(conn, event.invoice_id, "failed", event.reason, event.failed_at)


@subscriber("invoice.statuses")
async def on_invoice_delivery_failed(
    conn: Connection, envelope: Envelope, event: InvoiceDeliveryFailed
) -> None:
    await db.set_status(conn, event.invoice_id, "failed", event.reason, event.failed_at)
