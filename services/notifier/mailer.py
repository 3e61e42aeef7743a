"""The mailer: sends pending mails over SMTP and records each outcome with the row it locked.

Delivery is at least once: a mail is marked sent in the transaction that locked it. The mails the
SMTP server accepted are remembered until that commit succeeds, so a commit lost to a database
outage marks them sent on the next try instead of sending them again; only a notifier that dies
between the SMTP server's answer and the commit sends a mail again, with the same Message-ID.
Transient failures are retried forever with exponential back-off; a permanent rejection of the
mail itself marks it failed.

The mail that delivers an invoice to its buyer reports to the invoice's delivery
(`services.notifier.delivery`) once the SMTP server accepted it or rejected it for good, in the
transaction that records that outcome: `invoice.delivered` (when no other channel is still to
deliver) or `invoice.delivery_failed` is published exactly when the outcome commits.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib
import asyncpg

from services.notifier import db, delivery
from services.notifier.db import DueMail
from shared.clock import utc_now
from shared.context import current_causation_id, current_correlation_id
from shared.db import TRANSIENT_ERRORS, Connection
from shared.errors import described
from shared.metrics import Metrics
from shared.settings import NotifierSettings
from shared.worker import drain_forever

log = logging.getLogger(__name__)

PRODUCER = "notifier"
REASON_LIMIT = 500
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0

# A pooled connection the server closed while idle fails its next use with InternalClientError.
DATABASE_ERRORS = (*TRANSIENT_ERRORS, asyncpg.PostgresError, asyncpg.InternalClientError)


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class Deferred:
    reason: str


@dataclass(frozen=True)
class Rejected:
    reason: str


Outcome = Sent | Deferred | Rejected

# Raised for one message while the session stays usable (aiosmtplib resets the envelope).
MESSAGE_ERRORS = (
    aiosmtplib.SMTPResponseException,
    aiosmtplib.SMTPRecipientsRefused,
    aiosmtplib.SMTPNotSupported,
    ValueError,
)


def retry_delay(failures: int) -> float:
    """Seconds to wait after the `failures`-th failed attempt: 1, 2, 4, … up to a minute."""
    # The exponent is bounded: a mail retried for days must not overflow a float.
    doublings = min(max(failures - 1, 0), 32)
    return min(FIRST_RETRY_SECONDS * 2.0**doublings, MAX_RETRY_SECONDS)


def compose(mail: DueMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    # From the row, not the clock: a mail sent again is the same message.
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    # RFC 3834: tells auto-responders and vacation replies to stay quiet.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def classify(error: Exception) -> Outcome:
    """Whether a failure to send one message is worth retrying.

    A 5xx about the message itself (its recipient, content or size) will not change; anything
    else (the server's state, our login or sender address) can be fixed, so the mail waits.
    """
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        reason = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
        if all(r.code >= 500 for r in error.recipients):
            return Rejected(reason)
        return Deferred(reason)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        reason = f"{error.code} {error.message}"
        permanent = isinstance(error, aiosmtplib.SMTPDataError) and error.code >= 500
        if permanent or (isinstance(error, aiosmtplib.SMTPSenderRefused) and error.code == 552):
            return Rejected(reason)
        return Deferred(reason)
    if isinstance(error, aiosmtplib.SMTPNotSupported | ValueError):
        return Rejected(str(error))
    return Deferred(described(error))


async def deliver(mails: Sequence[DueMail], settings: NotifierSettings) -> dict[uuid.UUID, Outcome]:
    """Send `mails` over one SMTP session; never raises for an SMTP or network failure."""
    outcomes: dict[uuid.UUID, Outcome] = {}
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        timeout=settings.smtp_timeout,
        # STARTTLS demanded, not merely tried: a server that does not offer it gets no mail.
        start_tls=settings.smtp_tls == "starttls",
        use_tls=settings.smtp_tls == "implicit",
        username=settings.smtp_username,
        password=settings.smtp_password,
    )
    try:
        async with client:
            for mail in mails:
                try:
                    await client.send_message(compose(mail, settings.mail_from))
                except MESSAGE_ERRORS as error:
                    outcomes[mail.id] = classify(error)
                else:
                    outcomes[mail.id] = Sent()
    except (aiosmtplib.SMTPException, OSError) as error:
        # The session is gone: whatever was not answered yet waits for the next one.
        reason = described(error)
        for mail in mails:
            outcomes.setdefault(mail.id, Deferred(reason))
    return outcomes


async def send_due_mails(
    pool: asyncpg.Pool,
    settings: NotifierSettings,
    metrics: Metrics,
    *,
    batch_size: int,
    clock: Callable[[], datetime] = utc_now,
    accepted: set[uuid.UUID] | None = None,
) -> int:
    """Send one batch of due mails and record the outcomes; return how many were due.

    `accepted` holds the ids of mails the SMTP server accepted whose outcome has not been
    committed yet; pass the same set on every call so a lost commit sends nothing twice.
    """
    accepted = set() if accepted is None else accepted
    sent = 0
    async with pool.acquire() as conn, conn.transaction():
        mails = await db.lock_due_mails(conn, batch_size)
        if not mails:
            return 0
        outcomes: dict[uuid.UUID, Outcome] = {m.id: Sent() for m in mails if m.id in accepted}
        if outcomes:
            log.info("marking %d mail(s) accepted before a lost commit as sent", len(outcomes))
        unsent = [m for m in mails if m.id not in accepted]
        if unsent:
            outcomes |= await deliver(unsent, settings)
        accepted.update(i for i, outcome in outcomes.items() if isinstance(outcome, Sent))
        for mail in mails:
            match outcomes[mail.id]:
                case Sent():
                    await db.mark_sent(conn, mail.id)
                    await _announce_delivered(conn, mail, clock())
                    sent += 1
                case Deferred(reason):
                    delay = retry_delay(mail.attempts + 1)
                    log.warning(
                        "mail %s (%s) deferred after attempt %d, retrying in %.0f s: %s",
                        mail.id,
                        mail.kind,
                        mail.attempts + 1,
                        delay,
                        reason,
                    )
                    await db.schedule_retry(conn, mail.id, reason, delay)
                case Rejected(reason):
                    log.error("mail %s (%s) rejected for good: %s", mail.id, mail.kind, reason)
                    await db.mark_failed(conn, mail.id, reason)
                    await _announce_failed(conn, mail, reason, clock())
    accepted.difference_update(m.id for m in mails)
    metrics.mails_sent.inc(sent)
    return len(mails)


async def run_mailer(
    pool: asyncpg.Pool,
    settings: NotifierSettings,
    metrics: Metrics,
    *,
    batch_size: int = 50,
    poll_seconds: float = 1.0,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """Send mails forever: woken by NOTIFY on new mails, polling for retries and missed wakes."""
    accepted: set[uuid.UUID] = set()

    async def send() -> int:
        return await send_due_mails(
            pool, settings, metrics, batch_size=batch_size, clock=clock, accepted=accepted
        )

    await drain_forever(
        "mailer",
        send,
        dsn=settings.database_url,
        channel=db.MAILS_CHANNEL,
        batch_size=batch_size,
        waiting_errors=DATABASE_ERRORS,
        poll_seconds=poll_seconds,
    )


async def _announce_delivered(conn: Connection, mail: DueMail, delivered_at: datetime) -> None:
    if mail.delivers_invoice_id is None:
        return
    with _caused_by(mail):
        await delivery.delivered(
            conn, mail.event_id, mail.delivers_invoice_id, "mail", mail.recipient, delivered_at
        )


async def _announce_failed(
    conn: Connection, mail: DueMail, reason: str, failed_at: datetime
) -> None:
    if mail.delivers_invoice_id is None:
        return
    with _caused_by(mail):
        await delivery.failed(conn, mail.event_id, mail.delivers_invoice_id, reason, failed_at)


@contextmanager
def _caused_by(mail: DueMail) -> Iterator[None]:
    """The event about a mail continues the story of the event that asked for the mail."""
    correlation = current_correlation_id.set(mail.correlation_id)
    causation = current_causation_id.set(mail.event_id)
    try:
        yield
    finally:
        current_causation_id.reset(causation)
        current_correlation_id.reset(correlation)
