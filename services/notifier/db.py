"""The mails table: plain SQL functions taking a connection; the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.db import Connection

MAILS_CHANNEL = "mails"


class Attachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str
    content_type: str
    content: bytes


class NewMail(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: uuid.UUID
    kind: str
    recipient: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    attachments: tuple[Attachment, ...] = ()
    # Set only on the mail that delivers this invoice to its buyer; its outcome is published.
    delivers_invoice_id: uuid.UUID | None = None
    correlation_id: str | None = None


class DueMail(BaseModel):
    """A pending mail whose time has come, locked by the transaction that read it."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    event_id: uuid.UUID
    kind: str
    recipient: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    attempts: int
    created_at: datetime
    attachments: tuple[Attachment, ...] = ()
    delivers_invoice_id: uuid.UUID | None = None
    correlation_id: str | None = None


async def insert_mail(conn: Connection, mail: NewMail) -> uuid.UUID | None:
    """Store `mail` as pending; None when this event already produced a mail of this kind."""
    mail_id: uuid.UUID | None = await conn.fetchval(
        """INSERT INTO mails
               (event_id, kind, recipient, subject, text_body, html_body, message_id,
                delivers_invoice_id, correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (event_id, kind) DO NOTHING
           RETURNING id""",
        mail.event_id,
        mail.kind,
        mail.recipient,
        mail.subject,
        mail.text_body,
        mail.html_body,
        mail.message_id,
        mail.delivers_invoice_id,
        mail.correlation_id,
    )
    if mail_id is not None and mail.attachments:
        await conn.executemany(
            """INSERT INTO mail_attachments (mail_id, position, filename, content_type, content)
               VALUES ($1, $2, $3, $4, $5)""",
            [
                (mail_id, position, a.filename, a.content_type, a.content)
                for position, a in enumerate(mail.attachments)
            ],
        )
    return mail_id


async def lock_due_mails(conn: Connection, limit: int) -> list[DueMail]:
    """Up to `limit` due pending mails, oldest due first, skipping those another sender holds."""
    rows = await conn.fetch(
        """SELECT id, event_id, kind, recipient, subject, text_body, html_body, message_id,
                  attempts, created_at, delivers_invoice_id, correlation_id
           FROM mails
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED""",
        limit,
    )
    if not rows:
        return []
    files: dict[uuid.UUID, list[Attachment]] = {}
    for row in await conn.fetch(
        """SELECT mail_id, filename, content_type, content FROM mail_attachments
           WHERE mail_id = ANY($1::uuid[])
           ORDER BY mail_id, position""",
        [r["id"] for r in rows],
    ):
        files.setdefault(row["mail_id"], []).append(Attachment.model_validate(dict(row)))
    return [
        DueMail.model_validate({**dict(r), "attachments": tuple(files.get(r["id"], ()))})
        for r in rows
    ]


async def mark_sent(conn: Connection, mail_id: uuid.UUID) -> None:
    await conn.execute(
        """UPDATE mails
           SET status = 'sent', sent_at = clock_timestamp(), attempts = attempts + 1
           WHERE id = $1""",
        mail_id,
    )


async def schedule_retry(
    conn: Connection, mail_id: uuid.UUID, error: str, delay_seconds: float
) -> None:
    # clock_timestamp, not now(): the transaction began before the SMTP conversation.
    await conn.execute(
        """UPDATE mails
           SET attempts = attempts + 1, last_error = $2,
               next_attempt_at = clock_timestamp() + make_interval(secs => $3)
           WHERE id = $1""",
        mail_id,
        error,
        delay_seconds,
    )


async def mark_failed(conn: Connection, mail_id: uuid.UUID, error: str) -> None:
    await conn.execute(
        """UPDATE mails SET status = 'failed', attempts = attempts + 1, last_error = $2
           WHERE id = $1""",
        mail_id,
        error,
    )


PEPPOL_CHANNEL = "peppol_deliveries"


class PeppolDelivery(BaseModel):
    """An invoice's UBL to hand to the access point, as the sender locked it."""

    model_config = ConfigDict(frozen=True)

    invoice_id: uuid.UUID
    event_id: uuid.UUID
    sender: str
    receiver: str
    document_type: str
    xml: bytes
    attempts: int
    correlation_id: str | None = None


async def insert_peppol_delivery(
    conn: Connection,
    *,
    invoice_id: uuid.UUID,
    event_id: uuid.UUID,
    sender: str,
    receiver: str,
    document_type: str,
    xml: bytes,
    correlation_id: str | None,
) -> str:
    """Ask for the invoice's UBL to be posted, for the delivery `event_id` asked for; its status
    after: `pending`, or `delivered` when the access point accepted it before, which stays so.
    A failed one is tried afresh (the supplier sent the invoice again)."""
    status: str = (
        await conn.fetchval(
            """INSERT INTO peppol_deliveries
               (invoice_id, event_id, sender, receiver, document_type, xml, correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (invoice_id) DO UPDATE SET
               event_id = excluded.event_id, correlation_id = excluded.correlation_id,
               sender = excluded.sender, receiver = excluded.receiver,
               document_type = excluded.document_type, xml = excluded.xml,
               status = 'pending', attempts = 0, next_attempt_at = now(),
               answer_status = NULL, answer = NULL
             WHERE peppol_deliveries.status <> 'delivered'
           RETURNING status""",
            invoice_id,
            event_id,
            sender,
            receiver,
            document_type,
            xml,
            correlation_id,
        )
        or "delivered"
    )
    if status == "pending":
        await conn.execute("SELECT pg_notify($1, '')", PEPPOL_CHANNEL)
    return status


async def start_peppol_attempts(
    conn: Connection, limit: int, lease_seconds: float, exclude: list[uuid.UUID]
) -> list[PeppolDelivery]:
    """Up to `limit` due pending deliveries, each with an attempt recorded as started and its
    next attempt moved a lease away, so that no other sender takes it while it is posted."""
    rows = await conn.fetch(
        """UPDATE peppol_deliveries SET attempts = attempts + 1,
                  attempt_started_at = clock_timestamp(),
                  next_attempt_at = clock_timestamp() + make_interval(secs => $2)
           WHERE invoice_id IN (
               SELECT invoice_id FROM peppol_deliveries
               WHERE status = 'pending' AND next_attempt_at <= now()
                 AND NOT invoice_id = ANY ($3::uuid[])
               ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING invoice_id, event_id, sender, receiver, document_type, xml, attempts,
                     correlation_id""",
        limit,
        lease_seconds,
        exclude,
    )
    return [PeppolDelivery.model_validate(dict(r)) for r in rows]


async def record_peppol_answer(
    conn: Connection,
    invoice_id: uuid.UUID,
    event_id: uuid.UUID,
    *,
    status: str,
    answer_status: int | None,
    answer: str,
    retry_seconds: float | None = None,
) -> bool:
    """The access point's answer to the attempt for the delivery `event_id`: `delivered`,
    `failed`, or `pending` again in `retry_seconds`. False when the row moved on meanwhile (its
    delivery was settled, or another delivery asked for it) and nothing changed."""
    changed = await conn.fetchval(
        """UPDATE peppol_deliveries SET status = $3, answer_status = $4, answer = $5,
                  delivered_at = CASE WHEN $3 = 'delivered' THEN clock_timestamp() END,
                  next_attempt_at = clock_timestamp() + make_interval(secs => $6)
           WHERE invoice_id = $1 AND event_id = $2 AND status = 'pending'
           RETURNING true""",
        invoice_id,
        event_id,
        status,
        answer_status,
        answer,
        retry_seconds or 0.0,
    )
    return bool(changed)
