"""A running notifier on its own database, bus prefix and mail catcher, and a broker to feed it;
the renderer's and the invoice service's internal file endpoints as small stand-ins."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, unused_port

from devtools.mailcatcher import MailCatcher, StoredMessage
from services.notifier.app import create_app
from shared.broker import Broker
from shared.events import Envelope, Event, wrap
from shared.http import METRICS
from shared.service import POOL
from shared.settings import NotifierSettings
from tests.conftest import AMQP_URL, MakeDatabase
from tests.harness import serving
from tests.notifier.waiting import eventually

PUBLIC_URL = "https://portal.example"
INTERNAL_SECRET = "internal-secret-for-tests"


class Outside:
    """A service outside the notifier, served on a port of its own that a test can take down and
    bring back; each start serves a fresh application from `build`."""

    def __init__(self, build: Callable[[], web.Application]) -> None:
        self.build = build
        self.port = unused_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: AsyncExitStack | None = None

    async def start(self) -> None:
        running = AsyncExitStack()
        await running.enter_async_context(serving(self.build(), self.port))
        self._running = running

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.aclose()
            self._running = None


@dataclass
class Files:
    """What the renderer and the invoice service hold, and every path the notifier asked for."""

    pdfs: dict[uuid.UUID, bytes] = field(default_factory=dict)
    xmls: dict[uuid.UUID, bytes] = field(default_factory=dict)
    attachments: dict[tuple[uuid.UUID, uuid.UUID], bytes] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def renderer(self) -> web.Application:
        async def document(request: web.Request) -> web.Response:
            self._authorise(request)
            invoice_id = uuid.UUID(request.match_info["invoice_id"])
            store = self.pdfs if request.match_info["kind"] == "pdf" else self.xmls
            if invoice_id not in store:
                raise web.HTTPNotFound()
            return web.Response(body=store[invoice_id])

        app = web.Application()
        app.router.add_get("/internal/v1/invoices/{invoice_id}/{kind:pdf|xml}", document)
        return app

    def invoice_service(self) -> web.Application:
        async def attachment(request: web.Request) -> web.Response:
            self._authorise(request)
            key = (
                uuid.UUID(request.match_info["invoice_id"]),
                uuid.UUID(request.match_info["attachment_id"]),
            )
            if key not in self.attachments:
                raise web.HTTPNotFound()
            return web.Response(body=self.attachments[key], content_type="application/pdf")

        app = web.Application()
        app.router.add_get(
            "/internal/v1/invoices/{invoice_id}/attachments/{attachment_id}", attachment
        )
        return app

    def _authorise(self, request: web.Request) -> None:
        self.requested.append(request.path)
        if request.headers.get("Authorization") != f"Bearer {INTERNAL_SECRET}":
            raise web.HTTPUnauthorized()


@dataclass
class Services:
    files: Files
    renderer: Outside
    invoice: Outside


@dataclass
class Notifier:
    settings: NotifierSettings
    app: web.Application
    client: TestClient[web.Request, web.Application]
    broker: Broker
    catcher: MailCatcher
    services: Services

    @property
    def pool(self) -> asyncpg.Pool:
        return self.app[POOL]

    async def publish(self, item: Event) -> Envelope:
        envelope = wrap(item, producer="test")
        await self.publish_envelope(envelope)
        return envelope

    async def publish_envelope(self, envelope: Envelope) -> None:
        body = envelope.model_dump_json().encode()
        await self.broker.publish(f"{envelope.type}.v{envelope.version}", body, envelope.event_id)

    async def mail_row(self, event_id: object, kind: str) -> asyncpg.Record | None:
        async with self.pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT * FROM mails WHERE event_id = $1 AND kind = $2", event_id, kind
            )

    async def wait_for_mail(self, envelope: Envelope, kind: str) -> StoredMessage:
        """The one mail this event produced, once it arrived and was recorded as sent."""
        message_id = f"{envelope.event_id}.{kind}@leverantorsportalen"
        await self.catcher.store.wait_for(lambda m: m.message_id == message_id)

        async def recorded_sent() -> bool:
            row = await self.mail_row(envelope.event_id, kind)
            return row is not None and row["status"] == "sent"

        await eventually(recorded_sent)
        caught = [m for m in self.catcher.store.messages() if m.message_id == message_id]
        assert len(caught) == 1, f"{len(caught)} copies of {message_id}"
        return caught[0]

    async def listening(self) -> bool:
        """Whether the mailer and the outbox relay both hold their LISTEN connection."""
        # A connection of its own: the app's pool may be the thing under test.
        conn = await asyncpg.connect(self.settings.database_url)
        try:
            return bool(
                await conn.fetchval(
                    """SELECT count(*) = 2 FROM pg_stat_activity
                       WHERE datname = current_database()
                         AND query IN ('LISTEN "mails"', 'LISTEN "outbox"')"""
                )
            )
        finally:
            await conn.close()

    def app_metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        value = self.app[METRICS].registry.get_sample_value(name, labels or {})
        return value or 0.0

    def consumed(self, envelope: Envelope, outcome: str) -> float:
        labels = {"consumer": "notifier.mail", "type": envelope.type, "outcome": outcome}
        return self.app_metric("portal_events_consumed_total", labels)


@pytest.fixture
async def services() -> AsyncIterator[Services]:
    """The renderer and the invoice service, up and holding no files yet."""
    files = Files()
    running = Services(files, Outside(files.renderer), Outside(files.invoice_service))
    await running.renderer.start()
    await running.invoice.start()
    try:
        yield running
    finally:
        await running.renderer.stop()
        await running.invoice.stop()


@pytest.fixture
async def notifier(
    make_database: MakeDatabase,
    make_amqp_prefix: Callable[[], str],
    mailcatcher: MailCatcher,
    services: Services,
) -> AsyncIterator[Notifier]:
    prefix = make_amqp_prefix()
    settings = NotifierSettings(
        environment="development",
        database_url=await make_database("notifier"),
        amqp_url=AMQP_URL,
        queue_prefix=prefix,
        smtp_port=mailcatcher.smtp_port,
        smtp_tls="none",
        public_url=PUBLIC_URL,
        renderer_url=services.renderer.url,
        invoice_url=services.invoice.url,
        internal_secret=INTERNAL_SECRET,
        fetch_timeout=5,
        port=0,
    )
    app = create_app(settings)
    broker = await Broker.connect(AMQP_URL, prefix)
    try:
        async with TestClient(TestServer(app)) as client:
            notifier = Notifier(settings, app, client, broker, mailcatcher, services)
            # Started means listening: a test then never races the workers' first wake-up.
            await eventually(notifier.listening)
            yield notifier
    finally:
        await broker.close()
