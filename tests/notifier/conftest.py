"""A running notifier on its own database, file store, bus prefix and mail catcher, and a broker
to feed it; the tests put an invoice's files in the store, as the renderer and the invoice service
do before they announce them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from devtools.mailcatcher import MailCatcher, StoredMessage
from devtools.peppol_access_point import AccessPoint
from services.notifier.app import create_app
from shared.broker import Broker
from shared.events import Envelope, Event, wrap
from shared.file_store import FileStore
from shared.http import METRICS
from shared.service import POOL
from shared.settings import NotifierSettings
from tests.conftest import AMQP_URL, MakeDatabase
from tests.harness import TcpProxy
from tests.waiting import eventually

PUBLIC_URL = "https://portal.example"
INTERNAL_SECRET = "internal-secret-for-tests"
PEPPOL_TOKEN = "peppol-token-for-tests"


@pytest.fixture
async def access_point() -> AsyncIterator[tuple[AccessPoint, str]]:
    """The Peppol access point stand-in, and its URL."""
    point = AccessPoint(PEPPOL_TOKEN)
    async with TestServer(point.app()) as server:
        yield point, str(server.make_url("/"))


@dataclass
class Notifier:
    settings: NotifierSettings
    app: web.Application
    client: TestClient[web.Request, web.Application]
    broker: Broker
    catcher: MailCatcher
    files: FileStore
    # The notifier reaches the file store through it: cut, the store is away.
    files_proxy: TcpProxy

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
async def notifier(
    make_database: MakeDatabase,
    make_amqp_prefix: Callable[[], str],
    mailcatcher: MailCatcher,
    access_point: tuple[AccessPoint, str],
) -> AsyncIterator[Notifier]:
    prefix = make_amqp_prefix()
    files_url = await make_database("files")
    proxy = TcpProxy(URL(files_url).port or 5432)
    await proxy.start()
    settings = NotifierSettings(
        environment="development",
        database_url=await make_database("notifier"),
        amqp_url=AMQP_URL,
        queue_prefix=prefix,
        smtp_port=mailcatcher.smtp_port,
        smtp_tls="none",
        public_url=PUBLIC_URL,
        files_url=str(URL(files_url).with_port(proxy.port)),
        internal_secret=INTERNAL_SECRET,
        peppol_ap_url=access_point[1],
        peppol_ap_token=PEPPOL_TOKEN,
        port=0,
    )
    app = create_app(settings)
    broker = await Broker.connect(AMQP_URL, prefix)
    try:
        async with TestClient(TestServer(app)) as client, FileStore.open(files_url) as files:
            notifier = Notifier(settings, app, client, broker, mailcatcher, files, proxy)
            # Started means listening: a test then never races the workers' first wake-up.
            await eventually(notifier.listening)
            yield notifier
    finally:
        await broker.close()
        await proxy.cut()
