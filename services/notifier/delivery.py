"""When an invoice counts as delivered: by every channel its buyer receives invoices by.

The renderer's `invoice.rendered` says the channels. `mail` and `peppol` push the invoice and
each reports once, when the SMTP server accepted the buyer's mail or the Peppol access point
accepted the UBL; `api` pushes nothing (the buyer fetches the invoice through its API, where it is
as soon as it is rendered), so a buyer on `api` alone has its invoice delivered at once.

An invoice is delivered when every pushing channel has delivered it, and failed as soon as one
of them failed for good: the supplier sends a failed invoice again, and a channel that delivered
it already (Peppol) does not send it twice. Each outcome is set once, in the transaction that
records the channel's report, with the outbox row of `invoice.delivered` (whose `recipient`
names every address reached) or `invoice.delivery_failed`.

A mail queued before deliveries were kept has no row here; its report publishes at once, as the
mail alone delivered invoices then.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from shared.context import current_causation_id, current_correlation_id
from shared.db import Connection
from shared.events.company import Channel
from shared.events.invoice import InvoiceDelivered, InvoiceDeliveryFailed
from shared.outbox import add_event

PRODUCER = "notifier"
REASON_LIMIT = 500
# The channels that push an invoice to its buyer and report back.
PUSHED: tuple[Channel, ...] = ("mail", "peppol")
API_RECIPIENT = "api"


async def expect(
    conn: Connection,
    event_id: uuid.UUID,
    invoice_id: uuid.UUID,
    channels: list[Channel],
    now: datetime,
) -> None:
    """Start the invoice's delivery asked for by `event_id`; delivered at once if nothing is
    pushed. A redelivered event changes nothing (the consumer applies it once anyway)."""
    pending = [c for c in PUSHED if c in channels]
    created = await conn.fetchval(
        """INSERT INTO deliveries (event_id, invoice_id, pending, correlation_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING RETURNING true""",
        event_id,
        invoice_id,
        pending,
        current_correlation_id.get(),
    )
    if created and not pending:
        await _settle(conn, event_id, "delivered")
        await add_event(
            conn,
            InvoiceDelivered(invoice_id=invoice_id, delivered_at=now, recipient=API_RECIPIENT),
            producer=PRODUCER,
        )


async def delivered(
    conn: Connection,
    event_id: uuid.UUID,
    invoice_id: uuid.UUID,
    channel: Channel,
    recipient: str,
    now: datetime,
) -> None:
    """`channel` delivered the invoice to `recipient`; the invoice is delivered once none is
    left."""
    row = await conn.fetchrow(
        """UPDATE deliveries SET pending = array_remove(pending, $2),
                  recipients = recipients || $3::text
           WHERE event_id = $1 AND outcome IS NULL AND $2 = ANY (pending)
           RETURNING pending, recipients, correlation_id""",
        event_id,
        channel,
        recipient,
    )
    if row is None:
        if await _known(conn, event_id):
            return  # settled already, or this channel reported before
        recipients = [recipient]  # a mail queued before deliveries were kept
    elif row["pending"]:
        return
    else:
        await _settle(conn, event_id, "delivered")
        recipients = row["recipients"]
    with caused_by(row["correlation_id"] if row else None, event_id):
        await add_event(
            conn,
            InvoiceDelivered(
                invoice_id=invoice_id, delivered_at=now, recipient=", ".join(recipients)
            ),
            producer=PRODUCER,
        )


async def failed(
    conn: Connection, event_id: uuid.UUID, invoice_id: uuid.UUID, reason: str, now: datetime
) -> None:
    """A channel failed for good: the invoice's delivery fails, unless its outcome is set."""
    row = await conn.fetchrow(
        """UPDATE deliveries SET outcome = 'failed' WHERE event_id = $1 AND outcome IS NULL
           RETURNING correlation_id""",
        event_id,
    )
    if row is None and await _known(conn, event_id):
        return
    with caused_by(row["correlation_id"] if row else None, event_id):
        await add_event(
            conn,
            InvoiceDeliveryFailed(
                invoice_id=invoice_id, reason=reason[:REASON_LIMIT], failed_at=now
            ),
            producer=PRODUCER,
        )


async def _settle(conn: Connection, event_id: uuid.UUID, outcome: str) -> None:
    await conn.execute("UPDATE deliveries SET outcome = $2 WHERE event_id = $1", event_id, outcome)


async def _known(conn: Connection, event_id: uuid.UUID) -> bool:
    return bool(await conn.fetchval("SELECT true FROM deliveries WHERE event_id = $1", event_id))


@contextmanager
def caused_by(correlation_id: str | None, event_id: uuid.UUID) -> Iterator[None]:
    """An event about a delivery continues the story of the event that asked for it."""
    if correlation_id is None:
        yield  # keep what the caller set (the mailer sets the mail's own)
        return
    correlation = current_correlation_id.set(correlation_id)
    causation = current_causation_id.set(event_id)
    try:
        yield
    finally:
        current_causation_id.reset(causation)
        current_correlation_id.reset(correlation)
