"""Events per second through outbox → relay → RabbitMQ → idempotent consumer.

Ours: `shared.outbox.add_event` (100 events per transaction) and `relay_outbox` in this process, a
`shared.consumer.Consumer` whose handler does nothing in a process of its own (as the producing
and the consuming service are), on a fresh database and queue prefix; timed
from the first insert until the consumer has applied the last event. Baseline in the same run:
raw aio-pika publishing the same bodies with publisher confirms, 200 at a time, persistent, to a
durable queue as the topology's are. Both build their events before the clock starts.
"""

from __future__ import annotations

import asyncio
import sys
import time
from asyncio.subprocess import PIPE
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
from tests.events import user_registered

QUEUE = "company.users"
MIGRATIONS = Path(__file__).parents[1] / "shared" / "migrations"


async def consume(dsn: str, prefix: str, count: int) -> None:
    """The consuming service's part, in a process of its own as in a deployment: say `ready`,
    apply `count` events, say `done`."""
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    broker = await Broker.connect(AMQP_URL, prefix)
    done = asyncio.Event()
    applied = 0

    async def handler(conn: Any, envelope: Any, item: Any) -> None:
        nonlocal applied
        applied += 1
        if applied >= count:
            done.set()

    consumer = Consumer(QUEUE, pool, broker, {UserRegistered: handler}, Metrics())
    task = asyncio.create_task(consumer.run())
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), 300)
        print("done", flush=True)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await broker.close()
        await pool.close()


async def through_outbox(dsn: str, prefix: str, count: int) -> float:
    """The producing service's part here (outbox and relay), the consumer in a child process."""
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    broker = await Broker.connect(AMQP_URL, prefix)
    metrics = Metrics()
    consumer = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.events", dsn, prefix, str(count), stdout=PIPE
    )
    assert consumer.stdout is not None
    relay = asyncio.create_task(relay_outbox(pool, dsn, broker, metrics))
    # Built before the clock starts, as the baseline's bodies are: the events, not their making.
    events = [user_registered() for _ in range(count)]
    try:
        if await consumer.stdout.readline() != b"ready\n":
            raise RuntimeError("the consumer process did not start")
        started = time.perf_counter()
        for first in range(0, count, 100):
            async with pool.acquire() as conn, conn.transaction():
                for item in events[first : first + 100]:
                    await add_event(conn, item, producer="bench")
        if await asyncio.wait_for(consumer.stdout.readline(), 300) != b"done\n":
            raise RuntimeError("the consumer process stopped before the last event")
        return count / (time.perf_counter() - started)
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        if consumer.returncode is None:
            consumer.kill()
        await consumer.wait()
        await broker.close()
        await pool.close()


async def raw_publishing(prefix: str, count: int) -> float:
    bodies = [
        wrap(user_registered(), producer="bench").model_dump_json().encode() for _ in range(count)
    ]
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            prefix + "raw", aio_pika.ExchangeType.TOPIC, auto_delete=True
        )
        # Durable, like the topology's queues: persistent messages to it are written to disk.
        queue = await channel.declare_queue(prefix + "raw", durable=True)
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
        rate = count / (time.perf_counter() - started)
        await queue.delete(if_unused=False, if_empty=False)
        return rate


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


if __name__ == "__main__":
    asyncio.run(consume(sys.argv[1], sys.argv[2], int(sys.argv[3])))
