"""Running services in the test's event loop and watching what they publish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
from aiohttp import web
from aiohttp.test_utils import unused_port

from shared.events import Envelope
from shared.topology import EXCHANGE


@asynccontextmanager
async def serving(app: web.Application, port: int = 0) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 and yield its base URL; clean up contexts run on exit."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = port or unused_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


class EventTap:
    """A private queue bound to every event of one prefix: what the services published."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self._changed = asyncio.Condition()

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            envelope = Envelope.model_validate_json(message.body)
        async with self._changed:
            self.envelopes.append(envelope)
            self._changed.notify_all()

    async def wait_for(
        self,
        predicate: Callable[[Envelope], bool],
        count: int = 1,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[Envelope]:
        async def enough() -> list[Envelope]:
            async with self._changed:
                await self._changed.wait_for(
                    lambda: len([e for e in self.envelopes if predicate(e)]) >= count
                )
                return [e for e in self.envelopes if predicate(e)]

        return await asyncio.wait_for(enough(), timeout)

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e.payload for e in self.envelopes if e.type == event_type]


@asynccontextmanager
async def tapping(amqp_url: str, prefix: str) -> AsyncIterator[EventTap]:
    tap = EventTap()
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            prefix + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(tap._on_message)
        yield tap


class TcpProxy:
    """A TCP relay on a port of its own to `target_port` on loopback, which a test can cut (every
    connection closed, new ones refused) and restore: a server gone away and come back."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = unused_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            writer.close()
            return
        self._writers |= {writer, upstream_writer}
        try:
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        finally:
            self._writers -= {writer, upstream_writer}


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()
