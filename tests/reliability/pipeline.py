"""Sending invoices through the invoice API and counting what came out at the other end.

An invoice is counted where its effect lands: a PDF in the renderer's `documents` table, the
buyer's e-mail and the supplier's confirmation at the SMTP server, the UBL at the Peppol access
point (by the invoice number it carries), `delivered` in the invoice database; and, from a tap on the bus, how many distinct `invoice.rendered` and `invoice.delivered`
events were made for it (a redelivered event keeps its id; a doubled piece of work would not).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import aio_pika
import aiohttp
import asyncpg
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from devtools.mailcatcher import MailStore
from devtools.peppol_access_point import AccessPoint
from shared.broker import connect_rotating
from shared.events import Envelope
from shared.topology import EXCHANGE
from tests.invoice.conftest import Supplier

log = logging.getLogger(__name__)
T = TypeVar("T")
X = TypeVar("X")

POLL_SECONDS = 0.5
TAP_QUEUE = "reliability.tap"
MESSAGE_ID = re.compile(r"^[0-9a-f-]{36}\.(?P<kind>[a-z_]+)@")
SUBJECT_NUMBER = re.compile(r"^Faktura (?P<number>\S+) ")


@dataclass(frozen=True)
class SentInvoice:
    """An invoice the sender keyed: sent, or a draft about to be (`Sender.key`)."""

    id: uuid.UUID
    number: str


class Sender:
    """Keys and sends invoices with bounded concurrency, as many users at once would.

    A request that a fault interrupts is tried again, as a user would; a draft that was created
    although its answer was lost is found again by its number, a send that went through although
    its answer was lost is recognised by its status: no invoice is keyed or sent twice.
    """

    def __init__(self, supplier: Supplier, concurrency: int = 20) -> None:
        self.supplier = supplier
        self.concurrency = concurrency
        self.sent: list[SentInvoice] = []
        self.retries = 0
        self._progress = asyncio.Condition()

    async def send(self, numbers: list[str]) -> list[SentInvoice]:
        """Key and send an invoice under each number; return them all once they are sent."""
        return await self._concurrently(numbers, self._key_and_send)

    async def key(self, numbers: list[str]) -> list[SentInvoice]:
        """Key a draft under each number and send none: `send_keyed` sends them, so that the
        sending alone can be timed."""
        return await self._concurrently(numbers, self._key)

    async def send_keyed(self, drafts: list[SentInvoice]) -> list[SentInvoice]:
        """Send drafts that `key` made; return them all once they are sent."""
        return await self._concurrently(drafts, self._send_keyed)

    async def _concurrently(
        self, items: list[X], work: Callable[[X], Awaitable[SentInvoice]]
    ) -> list[SentInvoice]:
        todo = list(reversed(items))
        done: list[SentInvoice] = []

        async def worker() -> None:
            while todo:
                done.append(await work(todo.pop()))

        async with asyncio.TaskGroup() as group:
            for _ in range(min(self.concurrency, len(items))):
                group.create_task(worker())
        return done

    async def wait_sent(self, count: int, within: float = 120) -> None:
        async with asyncio.timeout(within), self._progress:
            await self._progress.wait_for(lambda: len(self.sent) >= count)

    async def _key_and_send(self, number: str) -> SentInvoice:
        return await self._send_keyed(await self._key(number))

    async def _key(self, number: str) -> SentInvoice:
        return SentInvoice(await self._create(number), number)

    async def _send_keyed(self, draft: SentInvoice) -> SentInvoice:
        await self._retrying(f"send {draft.number}", lambda: self._send_draft(draft.id))
        async with self._progress:
            self.sent.append(draft)
            self._progress.notify_all()
        return draft

    async def _create(self, number: str) -> uuid.UUID:
        form = self.supplier.form(number=number)
        tries = 0

        async def attempt() -> uuid.UUID | None:
            nonlocal tries
            tries += 1
            status, body = await self.supplier.call("POST", "/v1/me/invoices", json=form)
            if status == 201:
                return uuid.UUID(body["id"])
            if status == 422 and tries > 1 and "invoice.number_taken" in str(body):
                # An earlier try created it; only its answer was lost.
                return await self._find(number)
            _retry_or_fail(status, body)
            return None

        return await self._retrying(f"create {number}", attempt)

    async def _send_draft(self, invoice_id: uuid.UUID) -> bool | None:
        status, body = await self.supplier.call("POST", f"/v1/me/invoices/{invoice_id}/send")
        if status == 200:
            return True
        if status == 409:
            # Sent by an earlier try whose answer was lost, if it is no longer a draft.
            status, body = await self.supplier.call("GET", f"/v1/me/invoices/{invoice_id}")
            if status == 200 and body["status"] != "draft":
                return True
        _retry_or_fail(status, body)
        return None

    async def _find(self, number: str) -> uuid.UUID | None:
        status, body = await self.supplier.call("GET", "/v1/me/invoices", params={"q": number})
        if status != 200:
            _retry_or_fail(status, body)
            return None
        (found,) = [i for i in body["invoices"] if i["number"] == number]
        return uuid.UUID(found["id"])

    async def _retrying(self, what: str, attempt: Callable[[], Awaitable[T | None]]) -> T:
        backoff = 0.1
        async with asyncio.timeout(120):
            while True:
                try:
                    result = await attempt()
                except (aiohttp.ClientError, TimeoutError) as error:
                    log.info("%s: %r; trying again", what, error)
                    result = None
                if result is not None:
                    return result
                self.retries += 1
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)


def _retry_or_fail(status: int, body: Any) -> None:
    """Nothing (try again) for what an outage answers; an assertion for anything else."""
    assert status >= 500 or status == 429, (status, body)


class EventTap:
    """A durable queue of the test's own, bound to every event: it outlives a broker restart, so
    no event published meanwhile escapes the count. It connects as the services do, to the first
    of the broker's addresses that answers and then to the next."""

    def __init__(self, amqp_urls: list[str], prefix: str) -> None:
        self.amqp_urls = amqp_urls
        self.prefix = prefix
        self.queue_name = prefix + TAP_QUEUE
        # invoice id -> event type -> distinct event ids
        self.events: dict[uuid.UUID, dict[str, set[uuid.UUID]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self.bodies: dict[uuid.UUID, tuple[str, bytes]] = {}
        self.deliveries = 0
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None

    async def start(self) -> None:
        self._connection = await connect_rotating(self.amqp_urls)
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange(
            self.prefix + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        # Quorum, as the services' queues: on a cluster it outlives the node it began on.
        queue = await channel.declare_queue(
            self.queue_name, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await queue.bind(exchange, routing_key="#")
        await queue.consume(self._on_message)

    async def stop(self) -> None:
        """Stop consuming; the queue is deleted with the rest of the run's topology."""
        if self._connection is not None:
            await self._connection.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self.deliveries += 1
        with suppress(ValidationError):
            envelope = Envelope.model_validate_json(message.body)
            invoice_id = _invoice_of(envelope)
            if invoice_id is not None:
                self.events[invoice_id][envelope.type].add(envelope.event_id)
                self.bodies[envelope.event_id] = (message.routing_key or "", message.body)
        with suppress(Exception):  # a lost ack only brings the message back, counted once
            await message.ack()

    def published(self, invoice_ids: Iterable[uuid.UUID], event_type: str) -> list[uuid.UUID]:
        """The distinct ids of `event_type` events about these invoices."""
        return [e for i in invoice_ids for e in self.events.get(i, {}).get(event_type, ())]


def _invoice_of(envelope: Envelope) -> uuid.UUID | None:
    payload = envelope.payload
    raw = payload.get("invoice_id") or (payload.get("invoice") or {}).get("id")
    return uuid.UUID(raw) if raw else None


@dataclass(frozen=True)
class InvoiceMail:
    kind: str
    number: str
    recipients: tuple[str, ...]
    arrived: datetime


class MailIndex:
    """Each caught invoice mail's kind (from its Message-ID) and invoice number (from its
    subject), worked out once per message: the store is read every half second."""

    def __init__(self, store: MailStore) -> None:
        self.store = store
        self._known: dict[str, InvoiceMail | None] = {}

    def mails(self) -> list[InvoiceMail]:
        found = []
        for message in self.store.messages():
            if message.id not in self._known:
                kind = MESSAGE_ID.match(message.message_id)
                number = SUBJECT_NUMBER.match(message.subject)
                self._known[message.id] = (
                    InvoiceMail(kind["kind"], number["number"], message.recipients, message.created)
                    if kind and number
                    else None
                )
            item = self._known[message.id]
            if item is not None:
                found.append(item)
        return found

    def forget(self, numbers: Iterable[str]) -> int:
        """Delete the invoice mails of these numbers from the store, once they are counted: a
        few hundred PDFs and their XML twice over are a lot to keep."""
        wanted = set(numbers)
        ids = [i for i, item in self._known.items() if item and item.number in wanted]
        for i in ids:
            del self._known[i]
        return self.store.delete(ids) if ids else 0


@dataclass
class Counts:
    """What came out for a set of invoices; `per_invoice` keeps each one's tally."""

    sent: int
    pdfs: int
    buyer_mails: int
    peppol: int
    confirmations: int
    delivered: int
    failed: int
    renders: int
    delivery_events: int
    missing: dict[str, list[str]] = field(default_factory=dict)
    doubled: dict[str, list[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not any(self.missing.values())

    @property
    def lost(self) -> int:
        return len({n for numbers in self.missing.values() for n in numbers})

    @property
    def duplicates(self) -> dict[str, int]:
        return {kind: len(numbers) for kind, numbers in self.doubled.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "pdfs": self.pdfs,
            "buyer_mails": self.buyer_mails,
            "peppol_received": self.peppol,
            "confirmations": self.confirmations,
            "delivered": self.delivered,
            "failed": self.failed,
            "rendered_events": self.renders,
            "delivered_events": self.delivery_events,
            "duplicates": sum(self.duplicates.values()),
            "duplicates_by_kind": self.duplicates,
            "lost": self.lost,
        }


@asynccontextmanager
async def connected(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        yield conn
    finally:
        await conn.close()


async def count(
    invoices: list[SentInvoice],
    *,
    renderer_dsn: str,
    invoice_dsn: str,
    files_dsn: str,
    mail: MailIndex,
    buyer_email: str,
    supplier_email: str,
    tap: EventTap,
    access_point: AccessPoint,
) -> Counts:
    ids = [i.id for i in invoices]
    number_of = {i.id: i.number for i in invoices}
    async with connected(renderer_dsn) as conn:
        pdf_of = {
            r["invoice_id"]: r["pdf_sha256"]
            for r in await conn.fetch(
                "SELECT invoice_id, pdf_sha256 FROM documents WHERE invoice_id = ANY($1::uuid[])",
                ids,
            )
        }
    # The documents are where the notifier reads them: in the file store.
    async with connected(files_dsn) as conn:
        pdfs = {
            r["sha256"]
            for r in await conn.fetch(
                """SELECT sha256 FROM files
                   WHERE sha256 = ANY($1::text[]) AND substr(content, 1, 5) = '%PDF-'::bytea""",
                list(set(pdf_of.values())),
            )
        }
    rendered = {invoice_id for invoice_id, sha256 in pdf_of.items() if sha256 in pdfs}
    async with connected(invoice_dsn) as conn:
        statuses = {
            r["id"]: r["status"]
            for r in await conn.fetch(
                "SELECT id, status FROM invoices WHERE id = ANY($1::uuid[])", ids
            )
        }
    to_buyer: Counter[str] = Counter()
    confirmations: Counter[str] = Counter()
    wanted = set(number_of.values())
    for item in mail.mails():
        if item.number not in wanted:
            continue
        if item.kind == "invoice_to_buyer" and buyer_email in item.recipients:
            to_buyer[item.number] += 1
        elif item.kind == "invoice_confirmation" and supplier_email in item.recipients:
            confirmations[item.number] += 1
    # Every document the access point accepted, by the invoice number in its UBL.
    peppol = Counter(r.invoice_number for r in access_point.received if r.invoice_number in wanted)
    renders = {i: len(tap.events.get(i, {}).get("invoice.rendered", ())) for i in ids}
    deliveries = {i: len(tap.events.get(i, {}).get("invoice.delivered", ())) for i in ids}
    numbers = [i.number for i in invoices]
    return Counts(
        sent=len(invoices),
        pdfs=len(rendered),
        buyer_mails=sum(to_buyer.values()),
        peppol=sum(peppol.values()),
        confirmations=sum(confirmations.values()),
        delivered=sum(1 for s in statuses.values() if s == "delivered"),
        failed=sum(1 for s in statuses.values() if s == "failed"),
        renders=sum(renders.values()),
        delivery_events=sum(deliveries.values()),
        missing={
            "pdf": [number_of[i] for i in ids if i not in rendered],
            "buyer_mail": [n for n in numbers if not to_buyer[n]],
            "peppol": [n for n in numbers if not peppol[n]],
            "confirmation": [n for n in numbers if not confirmations[n]],
            "delivered": [number_of[i] for i in ids if statuses.get(i) != "delivered"],
        },
        doubled={
            "buyer_mail": [n for n in numbers if to_buyer[n] > 1],
            "peppol": [n for n in numbers if peppol[n] > 1],
            "confirmation": [n for n in numbers if confirmations[n] > 1],
            "render": [number_of[i] for i in ids if renders[i] > 1],
            "delivery": [number_of[i] for i in ids if deliveries[i] > 1],
        },
    )


async def stage_times(
    invoices: list[SentInvoice], *, invoice_dsn: str, renderer_dsn: str
) -> dict[str, float]:
    """When (seconds after the first invoice was sent) each stage finished its last invoice."""
    ids = [i.id for i in invoices]
    async with connected(invoice_dsn) as conn:
        row = await conn.fetchrow(
            """SELECT min(sent_at), max(sent_at), max(delivered_at) FROM invoices
               WHERE id = ANY($1::uuid[])""",
            ids,
        )
        assert row is not None
        first, sent, delivered = row
    async with connected(renderer_dsn) as conn:
        rendered = await conn.fetchval(
            "SELECT max(rendered_at) FROM documents WHERE invoice_id = ANY($1::uuid[])", ids
        )
    return {
        "last_sent": round((sent - first).total_seconds(), 1),
        "last_rendered": round((rendered - first).total_seconds(), 1),
        "last_delivered": round((delivered - first).total_seconds(), 1),
    }


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    within: float,
    what: str,
) -> T:
    """The first truthy answer of `probe`, polled; a probe failing (the database restarting,
    say) counts as not yet. Fails with the last answer after `within` seconds."""
    answer: object = None
    try:
        async with asyncio.timeout(within):
            while True:
                try:
                    answer = await probe()
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                    answer = error
                else:
                    if answer:
                        return answer
                await asyncio.sleep(POLL_SECONDS)
    except TimeoutError:
        raise AssertionError(f"{what}: still {answer!r} after {within} s") from None
