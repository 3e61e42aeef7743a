"""A running renderer on its own database, file store and bus prefix: the tests put the
attachments in the file store, as the invoice service does before it sends an invoice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web

from services.renderer.app import create_app
from shared.broker import Broker
from shared.events import Envelope, Event, wrap
from shared.file_store import FileStore
from shared.http import METRICS
from shared.settings import RendererSettings
from tests.conftest import AMQP_URL, MakeDatabase
from tests.harness import EventTap, serving, tapping

SECRET = "internal-secret-for-renderer-tests"
T = TypeVar("T")


@dataclass
class Renderer:
    url: str
    app: web.Application
    http: aiohttp.ClientSession
    broker: Broker
    events: EventTap
    files: FileStore

    async def publish(self, item: Event) -> Envelope:
        envelope = wrap(item, producer="invoice")
        await self.publish_envelope(envelope)
        return envelope

    async def publish_envelope(self, envelope: Envelope) -> None:
        routing_key = f"{envelope.type}.v{envelope.version}"
        await self.broker.publish(
            routing_key, envelope.model_dump_json().encode(), envelope.event_id
        )

    async def outcome(self, invoice_id: object, timeout: float = 30) -> Envelope:  # noqa: ASYNC109
        """The renderer's answer about the invoice: rendered or rendering failed."""
        found = await self.events.wait_for(
            lambda e: (
                e.type in ("invoice.rendered", "invoice.rendering_failed")
                and e.payload["invoice_id"] == str(invoice_id)
            ),
            timeout=timeout,
        )
        return found[0]

    async def call(
        self, method: str, path: str, token: str | None = SECRET, **kwargs: Any
    ) -> tuple[int, Mapping[str, str], bytes]:
        headers = kwargs.pop("headers", {}) | (
            {"Authorization": f"Bearer {token}"} if token else {}
        )
        async with self.http.request(method, self.url + path, headers=headers, **kwargs) as r:
            return r.status, r.headers, await r.read()

    def consumed(self, outcome: str) -> float:
        labels = {"consumer": "renderer.invoices", "type": "invoice.sent", "outcome": outcome}
        value = self.app[METRICS].registry.get_sample_value("portal_events_consumed_total", labels)
        return value or 0.0


async def eventually(probe: Callable[[], T], within: float = 10.0, every: float = 0.05) -> T:
    """The first truthy answer of `probe`, polled until `within` seconds have passed."""
    async with asyncio.timeout(within):
        while True:
            answer = probe()
            if answer:
                return answer
            # A metric has no event to wait on; polling it is the only way.
            await asyncio.sleep(every)


@pytest.fixture(scope="session")
async def renderer(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Renderer]:
    prefix = make_amqp_prefix()
    files_url = await make_database("files")
    async with (
        tapping(AMQP_URL, prefix) as events,
        FileStore.open(files_url) as files,
        aiohttp.ClientSession() as http,
    ):
        settings = RendererSettings(
            environment="development",
            database_url=await make_database("renderer"),
            files_url=files_url,
            amqp_url=AMQP_URL,
            queue_prefix=prefix,
            internal_secret=SECRET,
            render_workers=2,
            preview_cache_size=8,
        )
        app = create_app(settings)
        broker = await Broker.connect(AMQP_URL, prefix)
        try:
            async with serving(app) as url:
                yield Renderer(url, app, http, broker, events, files)
        finally:
            await broker.close()
