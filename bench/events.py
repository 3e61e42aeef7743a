"""Events per second through outbox → relay → RabbitMQ → idempotent consumer.

Ours: `shared.outbox.add_event` (100 events per transaction), `relay_outbox` and a
`shared.consumer.Consumer` whose handler does nothing, on a fresh database and queue prefix; timed
from the first insert until the consumer has applied the last event. Baseline in the same run:
raw aio-pika publishing the same bodies with publisher confirms, 200 at a time.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg

from bench.infra import AMQP_URL, amqp_prefix, databases
from bench.stats import Row, against, summarise
from shared.broker import Broker
from shared.consumer import Consumer
from shared.db import apply_migrations
from shared.events import wrap
from shared.events.identity import UserRegistered
from shared.metrics import Metrics
from shared.outbox import add_event, relay_outbox

QUEUE = "company.users"
MIGRATIONS = Path(__file__).parents[1] / "shared" / "migrations"


def registered(index: int) -> UserRegistered:
    return UserRegistered(
        user_id=uuid.uuid4(),
        email=f"anna.{index}@example.com",
        first_name="Anna",
        last_name="Ek",
        language="sv",
        invitation_id=None,
        privacy_policy_version="2026-1",
        registered_at=datetime.now(UTC),
    )


async def through_outbox(dsn: str, prefix: str, count: int) -> float:
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    broker = await Broker.connect(AMQP_URL, prefix)
    metrics = Metrics()
    done = asyncio.Event()
    applied = 0

    async def handler(conn: Any, envelope: Any, item: Any) -> None:
        nonlocal applied
        applied += 1
        if applied >= count:
            done.set()

    consumer = Consumer(QUEUE, pool, broker, {UserRegistered: handler}, metrics, prefetch=64)
    tasks = [
        asyncio.create_task(consumer.run()),
        asyncio.create_task(relay_outbox(pool, dsn, broker, metrics)),
    ]
    try:
        started = time.perf_counter()
        for first in range(0, count, 100):
            async with pool.acquire() as conn, conn.transaction():
                for index in range(first, min(first + 100, count)):
                    await add_event(conn, registered(index), producer="bench")
        await asyncio.wait_for(done.wait(), 300)
        return count / (time.perf_counter() - started)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await broker.close()
        await pool.close()


async def raw_publishing(prefix: str, count: int) -> float:
    bodies = [
        wrap(registered(i), producer="bench").model_dump_json().encode() for i in range(count)
    ]
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            prefix + "raw", aio_pika.ExchangeType.TOPIC, auto_delete=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")
        started = time.perf_counter()
        for first in range(0, count, 200):
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                        routing_key="identity.user_registered",
                    )
                    for body in bodies[first : first + 200]
                )
            )
        return count / (time.perf_counter() - started)


async def run(quick: bool) -> list[Row]:
    count, rounds = (500, 1) if quick else (3000, 3)
    ours: list[float] = []
    raw: list[float] = []
    async with databases() as make:
        for _ in range(rounds):
            async with amqp_prefix() as prefix:
                dsn = await make("events")
                conn = await asyncpg.connect(dsn)
                try:
                    await apply_migrations(conn, {"shared": MIGRATIONS})
                finally:
                    await conn.close()
                # The topology (queues included) is declared by Broker.connect.
                raw.append(await raw_publishing(prefix, count))
                ours.append(await through_outbox(dsn, prefix, count))
    base = summarise("events", f"{count} events", "aio-pika confirms", "events/s", raw)
    mine = summarise("events", f"{count} events", "outbox→consumer", "events/s", ours)
    return [against(mine, base, floor=0.5), against(base, base)]
