"""The transactional outbox: events are rows committed with the change, then relayed to the bus."""

from __future__ import annotations

import asyncio

import asyncpg

from shared.broker import Broker
from shared.db import Connection
from shared.events import Envelope, Event, wrap
from shared.metrics import Metrics
from shared.worker import drain_forever


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
) -> None:
    """Publish the outbox until cancelled; a broker or database outage only delays it."""

    async def publish() -> int:
        published = await publish_pending(pool, broker, batch_size)
        metrics.events_published.inc(published)
        return published

    await drain_forever(
        "outbox relay",
        publish,
        dsn=dsn,
        channel="outbox",
        batch_size=batch_size,
        # Anything the broker refuses is retried too: the row stays until it is confirmed.
        waiting_errors=(Exception,),
    )
