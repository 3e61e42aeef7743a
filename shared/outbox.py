"""The transactional outbox: events are rows committed with the change, then relayed to the bus."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

import asyncpg

from shared.broker import Broker
from shared.db import Connection
from shared.events import Envelope, Event, wrap
from shared.metrics import Metrics

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


async def add_event(conn: Connection, item: Event, *, producer: str) -> Envelope:
    """Record `item` for publishing; call inside the transaction that makes the change."""
    envelope = wrap(item, producer=producer)
    await conn.execute(
        "INSERT INTO outbox (event_id, routing_key, body) VALUES ($1, $2, $3)",
        envelope.event_id,
        item.routing_key(),
        envelope.model_dump_json().encode(),
    )
    return envelope


async def publish_pending(pool: asyncpg.Pool, broker: Broker, batch_size: int) -> int:
    """Publish one batch of pending events with confirms, then delete them; return how many.

    Rows stay locked while publishing so replicas share the work; if the commit fails after the
    broker confirmed, the batch is published again, which idempotent consumers absorb.
    """
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """SELECT id, event_id, routing_key, body FROM outbox
               ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""",
            batch_size,
        )
        if not rows:
            return 0
        await asyncio.gather(
            *(broker.publish(r["routing_key"], r["body"], r["event_id"]) for r in rows)
        )
        await conn.execute(
            "DELETE FROM outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
        )
    return len(rows)


async def relay_outbox(
    pool: asyncpg.Pool,
    dsn: str,
    broker: Broker,
    metrics: Metrics,
    *,
    batch_size: int = 200,
    poll_seconds: float = 1.0,
) -> None:
    """Publish the outbox forever: woken by NOTIFY, polling as a fallback, backing off on faults."""
    wake = asyncio.Event()
    listener = asyncio.create_task(_listen(dsn, wake))
    backoff = 0.1
    try:
        while True:
            wake.clear()
            try:
                published = await publish_pending(pool, broker, batch_size)
            except (*TRANSIENT_ERRORS, asyncpg.PostgresError) as error:
                log.warning("outbox relay waiting: %s", error or type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            except Exception as error:  # a publish refused by the broker, for one
                log.warning("outbox relay retrying: %r", error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.1
            metrics.events_published.inc(published)
            if published < batch_size:
                with suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), poll_seconds)
    finally:
        listener.cancel()
        with suppress(asyncio.CancelledError):
            await listener


async def _listen(dsn: str, wake: asyncio.Event) -> None:
    """Set `wake` on every outbox NOTIFY; reconnect after the database comes back."""
    while True:
        with suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await _listen_until_closed(dsn, wake)
        await asyncio.sleep(1)


async def _listen_until_closed(dsn: str, wake: asyncio.Event) -> None:
    conn = await asyncpg.connect(dsn)
    closed = asyncio.Event()
    conn.add_termination_listener(lambda _: closed.set())
    try:
        await conn.add_listener("outbox", lambda *_: wake.set())
        wake.set()  # anything written while nobody listened
        await closed.wait()
    finally:
        with suppress(Exception):
            await conn.close()
