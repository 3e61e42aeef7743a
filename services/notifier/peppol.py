"""Peppol delivery: an invoice's UBL handed to a Peppol access point, phase4's standalone one.

The access point takes `POST {PORTAL_PEPPOL_AP_URL}/sendas4/{sender}/{receiver}/{docType}/
{process}/{countryC1}` with the UBL as the body and the shared token in `X-Token`, wraps it in an
SBDH and sends it over AS4 to the receiver's access point, and answers with a JSON sending report
whose `overallSuccess` says whether the receiver's access point took it. Sender and receiver are
participant ids in the `iso6523-actorid-upis` scheme: the seller as its document's EndpointID
says (`0007:` and its organisation number, for a Swedish supplier) and the buyer's own
participant id, which its document's EndpointID is too; the document type is Peppol BIS
Billing 3's invoice or credit note; the process its billing process; countryC1 `SE`.

What the answer means:
- 2xx with `overallSuccess` true: delivered.
- a connection that fails or times out, a 5xx, 401/403 (the token: a setting to fix), 408, 429,
  or a report whose `sendingResult` is `TRANSPORT_ERROR`: tried again, with the mailer's back-off.
- any other 4xx, or any other report: failed for good, the answer recorded for the supplier.

Exactly once, as far as it can be: the handler stores the UBL as a pending row (one per invoice)
with the event that asked for it. The sender records each attempt as started, and commits that,
before it posts; it keeps every answer in memory until the answer is recorded, so an answer whose
recording fails (the database away) is recorded later and never posted for again. An invoice the
access point accepted is never posted again, even when the supplier sends it again after its mail
failed. What remains: a notifier that dies between the access point's answer and its recording
leaves an attempt started without an answer; after its lease that invoice is posted once more
(at least once, never lost). docs/peppol.md says more.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import quote

import aiohttp
import asyncpg

from services.notifier import db, delivery
from services.notifier.db import PeppolDelivery
from services.notifier.mailer import DATABASE_ERRORS, retry_delay
from shared.clock import utc_now
from shared.db import Connection
from shared.errors import described
from shared.peppol import PARTICIPANT_SCHEME
from shared.settings import NotifierSettings
from shared.worker import drain_forever

log = logging.getLogger(__name__)

_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
DOCUMENT_TYPES = {
    "invoice": "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    f"::Invoice##{_BILLING}",
    "credit_note": "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    f"::CreditNote##{_BILLING}",
}
PROCESS = "cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
COUNTRY_C1 = "SE"
# The answers the sender keeps: the report is short, an error page need not be whole.
ANSWER_LIMIT = 4000
RETRIED_STATUSES = frozenset({401, 403, 408, 429})


@dataclass(frozen=True)
class Answer:
    outcome: Literal["delivered", "failed", "retry"]
    http_status: int | None
    text: str


def participant(participant_id: str) -> str:
    """`0007:5566778899` as the access point's path names it."""
    return f"{PARTICIPANT_SCHEME}::{participant_id}"


def send_url(base_url: str, item: PeppolDelivery) -> str:
    segments = (participant(item.sender), participant(item.receiver), item.document_type, PROCESS)
    path = "/".join(quote(segment, safe="") for segment in segments)
    return f"{base_url.rstrip('/')}/sendas4/{path}/{COUNTRY_C1}"


def classify(status: int, body: str) -> Answer:
    """What the access point's answer means for the invoice (see the module's docstring)."""
    text = body[:ANSWER_LIMIT]
    if status >= 500 or status in RETRIED_STATUSES:
        return Answer("retry", status, text)
    if status >= 400:
        return Answer("failed", status, text)
    try:
        report = json.loads(body)
    except ValueError:
        return Answer("failed", status, text)
    if isinstance(report, dict) and report.get("overallSuccess") is True:
        return Answer("delivered", status, text)
    if isinstance(report, dict) and report.get("sendingResult") == "TRANSPORT_ERROR":
        return Answer("retry", status, text)
    return Answer("failed", status, text)


async def post(
    session: aiohttp.ClientSession, settings: NotifierSettings, item: PeppolDelivery
) -> Answer:
    """One attempt; never raises for a network failure."""
    try:
        async with session.post(
            send_url(settings.peppol_ap_url, item),
            data=item.xml,
            headers={"X-Token": settings.peppol_ap_token, "Content-Type": "application/xml"},
            timeout=aiohttp.ClientTimeout(total=settings.peppol_ap_timeout),
            allow_redirects=False,
        ) as response:
            body = await response.content.read(ANSWER_LIMIT)
            return classify(response.status, body.decode("utf-8", "replace"))
    except (TimeoutError, aiohttp.ClientError) as error:
        return Answer("retry", None, described(error))


async def record(conn: Connection, item: PeppolDelivery, answer: Answer, now: datetime) -> None:
    """The answer, and for a final one the invoice's delivery, in the caller's transaction."""
    if answer.outcome == "retry":
        delay = retry_delay(item.attempts)
        log.warning(
            "Peppol delivery of invoice %s deferred after attempt %d, retrying in %.0f s: %s %s",
            item.invoice_id,
            item.attempts,
            delay,
            answer.http_status,
            answer.text[:200],
        )
        await db.record_peppol_answer(
            conn,
            item.invoice_id,
            item.event_id,
            status="pending",
            answer_status=answer.http_status,
            answer=answer.text,
            retry_seconds=delay,
        )
        return
    if not await db.record_peppol_answer(
        conn,
        item.invoice_id,
        item.event_id,
        status=answer.outcome,
        answer_status=answer.http_status,
        answer=answer.text,
    ):
        return
    if answer.outcome == "delivered":
        await delivery.delivered(conn, item.event_id, item.invoice_id, "peppol", item.receiver, now)
    else:
        log.error("Peppol delivery of invoice %s refused: %s", item.invoice_id, answer.text)
        reason = f"Peppol: {answer.http_status} {answer.text}"
        await delivery.failed(conn, item.event_id, item.invoice_id, reason, now)


async def send_due(
    pool: asyncpg.Pool,
    settings: NotifierSettings,
    session: aiohttp.ClientSession,
    *,
    batch_size: int,
    answered: dict[uuid.UUID, tuple[PeppolDelivery, Answer]],
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Record the answers not recorded yet, then post one batch of due deliveries and record
    theirs; how many were due. `answered` is the same dict on every call."""
    for invoice_id, (item, answer) in list(answered.items()):
        async with pool.acquire() as conn, conn.transaction():
            await record(conn, item, answer, clock())
        del answered[invoice_id]
    async with pool.acquire() as conn, conn.transaction():
        lease = settings.peppol_ap_timeout + 30
        due = await db.start_peppol_attempts(conn, batch_size, lease, list(answered))
    answers = await asyncio.gather(*(post(session, settings, item) for item in due))
    for item, answer in zip(due, answers, strict=True):
        answered[item.invoice_id] = (item, answer)
    for item, answer in zip(due, answers, strict=True):
        async with pool.acquire() as conn, conn.transaction():
            await record(conn, item, answer, clock())
        del answered[item.invoice_id]
    return len(due)


async def run_peppol_sender(
    pool: asyncpg.Pool,
    settings: NotifierSettings,
    *,
    batch_size: int = 8,
    poll_seconds: float = 1.0,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """Post pending deliveries forever: woken by NOTIFY, polling for retries and missed wakes."""
    answered: dict[uuid.UUID, tuple[PeppolDelivery, Answer]] = {}
    async with aiohttp.ClientSession() as session:

        async def send() -> int:
            return await send_due(
                pool, settings, session, batch_size=batch_size, answered=answered, clock=clock
            )

        await drain_forever(
            "peppol",
            send,
            dsn=settings.database_url,
            channel=db.PEPPOL_CHANNEL,
            batch_size=batch_size,
            waiting_errors=DATABASE_ERRORS,
            poll_seconds=poll_seconds,
        )
