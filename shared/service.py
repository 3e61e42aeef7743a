"""Building blocks of a service's composition root: each resource a cleanup context."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from aiohttp import web
from pydantic import ValidationError

from shared.broker import Broker
from shared.consumer import Consumer, Handler
from shared.db import TRANSIENT_ERRORS, open_pool
from shared.events import Event
from shared.file_store import FileStore
from shared.http import HEALTH_CHECKS, METRICS
from shared.logs import configure_logging
from shared.outbox import relay_outbox
from shared.settings import FileStoreSettings, ServiceSettings
from shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

POOL = web.AppKey("pool", asyncpg.Pool)
FILES = web.AppKey("files", FileStore)
BROKER = web.AppKey("broker", Broker)

CleanupContext = Callable[[web.Application], AsyncIterator[None]]

S = TypeVar("S", bound=ServiceSettings)


def load_settings(settings_class: type[S], service: str) -> S:
    """The service's settings from the environment, or an exit that says what is wrong.

    Only the messages: the values refused (secrets, URLs with passwords) never reach the log.
    """
    try:
        return settings_class()
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
        raise SystemExit(f"{service} refuses to start:\n{problems}") from None


def database(settings: ServiceSettings, migrations: Path) -> CleanupContext:
    """A migrated pool in `app[POOL]`, and a health check on it."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        async with open_pool(settings.database_url, migrations) as pool:
            app[POOL] = pool

            async def database_reachable() -> bool:
                async with pool.acquire(timeout=2) as conn:
                    return bool(await conn.fetchval("SELECT true"))

            app[HEALTH_CHECKS].append(database_reachable)
            yield

    return context


def file_store(settings: FileStoreSettings) -> CleanupContext:
    """The file store in `app[FILES]`, and a health check on it."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        async with FileStore.open(settings.files_url) as files:
            app[FILES] = files
            app[HEALTH_CHECKS].append(files.reachable)
            yield

    return context


def messaging(settings: ServiceSettings, *, connect_seconds: float = 60) -> CleanupContext:
    """A broker connection in `app[BROKER]` with the topology declared, and the outbox relay."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        broker = await _connect(settings, connect_seconds)
        app[BROKER] = broker

        async def broker_connected() -> bool:
            return broker.is_connected

        app[HEALTH_CHECKS].append(broker_connected)
        relay = asyncio.create_task(
            relay_outbox(app[POOL], settings.database_url, broker, app[METRICS])
        )
        try:
            yield
        finally:
            await cancel_and_wait(relay)
            await broker.close()

    return context


def consuming(
    name: str,
    handlers: Callable[[web.Application], dict[type[Event], Handler]],
    **tuning: int,
) -> CleanupContext:
    """Consume the queue `name` with the handlers the application builds; `tuning` (batch size,
    concurrency) as `Consumer` takes it."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        consumer = Consumer(name, app[POOL], app[BROKER], handlers(app), app[METRICS], **tuning)
        task = asyncio.create_task(consumer.run())
        try:
            yield
        finally:
            await cancel_and_wait(task)

    return context


def background(
    name: str, work: Callable[[web.Application], Coroutine[Any, Any, None]]
) -> CleanupContext:
    """Run `work(app)` until it returns or the application stops, restarting it if it fails."""

    async def forever(app: web.Application) -> None:
        while True:
            try:
                await work(app)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task %s failed; restarting", name)
                await asyncio.sleep(1)

    async def context(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(forever(app))
        try:
            yield
        finally:
            await cancel_and_wait(task)

    return context


async def _connect(settings: ServiceSettings, within: float) -> Broker:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return await Broker.connect(
                settings.broker_addresses, settings.queue_prefix, user_of=settings.broker_user
            )
        except (*TRANSIENT_ERRORS, ConnectionError) as error:
            if asyncio.get_running_loop().time() > deadline:
                raise
            log.warning("waiting for the broker: %r", error)
            await asyncio.sleep(1)


def serve(app: web.Application, settings: ServiceSettings, service: str) -> None:
    """Run `app` until SIGINT or SIGTERM, logging as JSON."""
    configure_logging(service, settings.log_level)
    web.run_app(app, host=settings.host, port=settings.port, access_log=None, print=None)
