"""A worker that drains a table in batches: woken by NOTIFY, polling as a fallback, and backing
off while what it needs (the database, the broker, the SMTP server) is away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

import asyncpg

from shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)


async def drain_forever(
    name: str,
    drain: Callable[[], Awaitable[int]],
    *,
    dsn: str,
    channel: str,
    batch_size: int,
    waiting_errors: tuple[type[BaseException], ...],
    poll_seconds: float = 1.0,
) -> None:
    """Call `drain` (which handles up to `batch_size` rows and says how many) until cancelled."""
    wake = asyncio.Event()
    listener = asyncio.create_task(_listen(dsn, channel, wake))
    backoff = 0.1
    try:
        while True:
            wake.clear()
            try:
                done = await drain()
            except waiting_errors as error:
                log.warning("%s waiting: %s", name, f"{type(error).__name__}: {error}")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.1
            if done < batch_size:
                # Not wait_for: on Python 3.11 it can swallow a cancellation that arrives with the
                # wake-up (CPython gh-86296), and shutdown would then wait forever.
                with suppress(TimeoutError):
                    async with asyncio.timeout(poll_seconds):
                        await wake.wait()
    finally:
        await cancel_and_wait(listener)


async def _listen(dsn: str, channel: str, wake: asyncio.Event) -> None:
    """Set `wake` on every NOTIFY on `channel`; reconnect after the database comes back."""
    while True:
        with suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await _listen_until_closed(dsn, channel, wake)
        await asyncio.sleep(1)


async def _listen_until_closed(dsn: str, channel: str, wake: asyncio.Event) -> None:
    conn = await asyncpg.connect(dsn)
    closed = asyncio.Event()
    conn.add_termination_listener(lambda _: closed.set())
    try:
        await conn.add_listener(channel, lambda *_: wake.set())
        wake.set()  # anything written while nobody listened
        await closed.wait()
    finally:
        with suppress(Exception):
            await conn.close()
