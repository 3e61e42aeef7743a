"""Events the renderer consumes.

Each invoice is handled in two steps. Preparing renders its documents (reading the supplier's
attachments from the file store, laying out the PDF in a worker process) and puts them in the
file store, outside any transaction: seconds of work that must not hold a database connection
open. Recording then runs inside the consumer's transaction: the documents' hashes, the outgoing
event and the `processed_events` row commit together, so a redelivered `invoice.sent` is
announced once, and the documents of an invoice, once recorded, are never replaced. The notifier
reads them from the file store by the hashes `invoice.rendered` carries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import asyncpg
from pydantic import ValidationError

from services.renderer import db
from services.renderer.attachments import attachments_of
from services.renderer.failures import Unrenderable
from services.renderer.rendering import (
    Documents,
    check_deliverable,
    render_documents,
    sent_invoice_sha256,
)
from services.renderer.workers import RenderPool
from shared.consumer import Refused
from shared.db import Connection
from shared.events import Envelope
from shared.events.invoice import (
    InvoiceRendered,
    InvoiceRenderingFailed,
    InvoiceSent,
    InvoiceSentV1,
    InvoiceSentV2,
)
from shared.file_store import FileStore
from shared.outbox import add_event
from shared.peppol import participant_id
from shared.subscriptions import subscriber

log = logging.getLogger(__name__)

PRODUCER = "renderer"
REASON_LIMIT = 500

# What preparing an invoice came to: its documents, why it cannot have any, or None when its
# documents were stored already and nothing was rendered.
Rendering = Documents | Unrenderable | None


async def prepare_documents(
    envelope: Envelope,
    event: InvoiceSent,
    *,
    database: asyncpg.Pool,
    pool: RenderPool,
    files: FileStore,
) -> Rendering:
    """Render the invoice's documents and put them in the file store, unless they are recorded
    already: the same invoice sent again (a retry after its delivery failed) is not rendered
    again.

    Transient failures (the file store away, a worker dying) raise, for the consumer to retry.
    """
    async with database.acquire() as conn:
        if await db.stored_hashes(conn, event.invoice.id) is not None:
            return None
    try:
        check_deliverable(event)
        documents = await render_documents(event, pool, await attachments_of(event.invoice, files))
    except Unrenderable as error:
        return error
    await files.put([documents.pdf, documents.xml])
    return documents


@subscriber("renderer.invoices", prepare=prepare_documents)
async def on_invoice_sent(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceSent,
    *,
    prepared: Rendering,
    clock: Callable[[], datetime],
) -> None:
    """Store the buyer's PDF and XML and announce them; or announce why that is impossible."""
    if isinstance(prepared, Unrenderable):
        await rendering_failed(conn, event, prepared, clock)
        return
    try:
        rendered = await documents_once(conn, event, prepared, clock)
    except Unrenderable as error:
        await rendering_failed(conn, event, error, clock)
        return
    await add_event(conn, rendered, producer=PRODUCER)


async def rendering_failed(
    conn: Connection, event: InvoiceSent, error: Unrenderable, clock: Callable[[], datetime]
) -> None:
    invoice_id = event.invoice.id
    log.warning("invoice %s cannot be rendered: %s", invoice_id, error.reason)
    await add_event(
        conn,
        InvoiceRenderingFailed(
            invoice_id=invoice_id, reason=error.reason[:REASON_LIMIT], failed_at=clock()
        ),
        producer=PRODUCER,
    )


async def documents_once(
    conn: Connection,
    event: InvoiceSent,
    documents: Documents | None,
    clock: Callable[[], datetime],
) -> InvoiceRendered:
    """The announcement of the invoice's documents: `documents`, stored now, unless the invoice
    has documents already (`documents` is None when it had them before it was prepared).

    Documents are written once: the same invoice sent again (a retry after its delivery failed)
    is announced with the documents as first written; another invoice under its id is refused.
    """
    invoice_id, source = event.invoice.id, sent_invoice_sha256(event)
    if documents is not None:
        now = clock()
        rendered = rendered_event(event, documents.pdf_sha256, documents.xml_sha256, now)
        if await db.save_documents(
            conn,
            invoice_id=invoice_id,
            invoice_sha256=source,
            pdf_sha256=documents.pdf_sha256,
            xml_sha256=documents.xml_sha256,
            rendered_at=now,
        ):
            return rendered
    # Stored before the event was prepared, or by another worker since.
    stored = await db.stored_hashes(conn, invoice_id)
    assert stored is not None, "documents are never deleted"
    if stored["invoice_sha256"] != source:
        raise Refused(f"invoice {invoice_id} was rendered already from another document")
    return rendered_event(event, stored["pdf_sha256"], stored["xml_sha256"], clock())


def rendered_event(
    event: InvoiceSent, pdf_sha256: str, xml_sha256: str, now: datetime
) -> InvoiceRendered:
    """What the notifier needs to mail the documents, without fetching the invoice again."""
    invoice = event.invoice
    try:
        return InvoiceRendered(
            invoice_id=invoice.id,
            kind=invoice.kind,
            number=invoice.number,
            seller_name=invoice.seller.name,
            buyer_name=invoice.buyer.name,
            buyer_email=invoice.buyer.email,
            sender_email=event.sender_email,
            language=event.language,
            payable=event.totals.payable,
            currency=invoice.currency,
            due_date=invoice.due_date,
            attachments=invoice.attachments,
            pdf_sha256=pdf_sha256,
            xml_sha256=xml_sha256,
            rendered_at=now,
            channels=event.channels,
            peppol_sender=participant_id(invoice.seller) if "peppol" in event.channels else None,
            peppol_receiver=event.buyer_peppol_id if "peppol" in event.channels else None,
        )
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
        raise Unrenderable(f"invalid for delivery: {fields}") from None


async def prepare_documents_v1(
    envelope: Envelope,
    event: InvoiceSentV1,
    *,
    database: asyncpg.Pool,
    pool: RenderPool,
    files: FileStore,
) -> Rendering:
    """The documents of an invoice sent as version 1, rendered as the newest version says it."""
    return await prepare_documents(
        envelope, event.upcast(), database=database, pool=pool, files=files
    )


@subscriber("renderer.invoices", prepare=prepare_documents_v1)
async def on_invoice_sent_v1(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceSentV1,
    *,
    prepared: Rendering,
    clock: Callable[[], datetime],
) -> None:
    """An invoice sent as version 1, recorded as the newest version says it."""
    await on_invoice_sent(conn, envelope, event.upcast(), prepared=prepared, clock=clock)


async def prepare_documents_v2(
    envelope: Envelope,
    event: InvoiceSentV2,
    *,
    database: asyncpg.Pool,
    pool: RenderPool,
    files: FileStore,
) -> Rendering:
    """The documents of an invoice sent as version 2 (before channels): for the buyer's mail."""
    return await prepare_documents(
        envelope, event.upcast(), database=database, pool=pool, files=files
    )


@subscriber("renderer.invoices", prepare=prepare_documents_v2)
async def on_invoice_sent_v2(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceSentV2,
    *,
    prepared: Rendering,
    clock: Callable[[], datetime],
) -> None:
    """An invoice sent as version 2, recorded as the newest version says it."""
    await on_invoice_sent(conn, envelope, event.upcast(), prepared=prepared, clock=clock)
