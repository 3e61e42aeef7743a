"""The batching consumer on real PostgreSQL and RabbitMQ: every event applied once, the rest
dead-lettered, nothing left unsettled; with one worker and with several.

Messages are published before the consumer starts, so that most arrive while a batch is being
applied and travel together. What a test asserts holds however they split into batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import pytest

from shared.broker import Broker
from shared.consumer import Consumer, Handler, Refused
from shared.context import current_causation_id, current_correlation_id
from shared.db import SHARED_MIGRATIONS, Connection, apply_migrations, create_pool
from shared.events import Envelope, wrap
from shared.events.identity import EmailConfirmed, UserDeleted, UserRegistered
from shared.metrics import Metrics
from shared.topology import dead_letter_queue
from tests.conftest import AMQP_URL, MakeDatabase
from tests.events import user_registered
from tests.waiting import eventually

QUEUE = "company.users"  # subscribes to UserRegistered (published here) and UserDeleted
ROUTING_KEY = UserRegistered.routing_key()
MAX_ATTEMPTS = 2

workers = pytest.mark.parametrize("workers", [1, 3], ids=["1-worker", "3-workers"])


def registered() -> Envelope:
    return wrap(user_registered(), producer="test")


def body(envelope: Envelope) -> bytes:
    return envelope.model_dump_json().encode()


@dataclass(frozen=True)
class Call:
    event_id: uuid.UUID
    correlation_id: str | None
    causation_id: uuid.UUID | None


@dataclass
class Recorder:
    """The consumer's handler: writes the event's effect in the consumer's transaction and
    remembers every call, also those whose transaction was rolled back.

    It raises for the events in `failing`, refuses those in `refusing`, and loses its database connection for those in
    `disconnecting`, as many times as said there: both after writing the effect, which must then
    not be kept.
    """

    failing: set[uuid.UUID] = field(default_factory=set)
    refusing: set[uuid.UUID] = field(default_factory=set)
    disconnecting: dict[uuid.UUID, int] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    async def __call__(self, conn: Connection, envelope: Envelope, item: UserRegistered) -> None:
        context = Call(envelope.event_id, current_correlation_id.get(), current_causation_id.get())
        self.calls.append(context)
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", envelope.event_id)
        if envelope.event_id in self.failing:
            raise ValueError(f"no handler can apply {envelope.event_id}")
        if envelope.event_id in self.refusing:
            raise Refused(f"{envelope.event_id} contradicts what is known")
        if self.disconnecting.get(envelope.event_id):
            self.disconnecting[envelope.event_id] -= 1
            await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    def calls_for(self, envelope: Envelope) -> int:
        return sum(call.event_id == envelope.event_id for call in self.calls)


@dataclass
class Bus:
    """A fresh database with the shared migrations, a fresh queue prefix, and what to look at."""

    pool: asyncpg.Pool
    publisher: Broker
    dsn: str
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def prefix(self) -> str:
        return self.publisher.prefix

    @property
    def dead_queue(self) -> str:
        return dead_letter_queue(self.prefix + QUEUE)

    async def publish(self, *bodies: bytes) -> None:
        for message in bodies:
            await self.publisher.publish(ROUTING_KEY, message, uuid.uuid4())

    async def effects(self) -> list[uuid.UUID]:
        """The event ids whose effect committed, once per commit."""
        async with self.pool.acquire() as conn:
            return [row["event_id"] for row in await conn.fetch("SELECT event_id FROM effects")]

    async def processed(self) -> set[uuid.UUID]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT event_id FROM processed_events WHERE consumer = $1", QUEUE
            )
        return {row["event_id"] for row in rows}

    async def mark_processed(self, envelope: Envelope) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)",
                QUEUE,
                envelope.event_id,
            )

    def outcomes(self) -> dict[str, float]:
        """The readable messages the consumer counted, by outcome."""
        labels = {"consumer": QUEUE, "type": UserRegistered.event_type}
        return {
            outcome: self._sample("portal_events_consumed_total", {**labels, "outcome": outcome})
            for outcome in ("applied", "duplicate", "failed", "refused")
        }

    def dead_lettered(self) -> dict[str, float]:
        """The messages the consumer dead-lettered, by reason."""
        return {
            reason: self._sample(
                "portal_events_dead_lettered_total", {"consumer": QUEUE, "reason": reason}
            )
            for reason in ("unreadable", "handler", "refused")
        }

    def _sample(self, name: str, labels: dict[str, str]) -> float:
        return self.metrics.registry.get_sample_value(name, labels) or 0

    async def depth(self, queue: str) -> int:
        """Messages ready in `queue`: a message still delivered to a consumer is not counted."""
        channel = await self.publisher.connection.channel()
        async with channel:
            declared = await channel.declare_queue(queue, passive=True)
            return declared.declaration_result.message_count or 0

    async def waiting(self) -> int:
        return await self.depth(self.prefix + QUEUE)

    async def dead_letters(self) -> list[bytes]:
        """Take every message out of the consumer's dead-letter queue."""
        channel = await self.publisher.connection.channel()
        async with channel:
            queue = await channel.get_queue(self.dead_queue)
            bodies = []
            while message := await queue.get(no_ack=True, fail=False):
                bodies.append(message.body)
            return bodies

    async def until_settled(self, *, consumed: int, dead: int = 0) -> None:
        """Wait until `consumed` readable messages were counted and `dead` messages have reached
        the dead-letter queue: once there, they were settled on the consumer's channel."""

        async def settled() -> bool:
            counted = sum(self.outcomes().values())
            return counted >= consumed and await self.depth(self.dead_queue) >= dead

        await eventually(settled)


@pytest.fixture
async def bus(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Bus]:
    async with fresh_bus(make_database, make_amqp_prefix) as fresh:
        yield fresh


@asynccontextmanager
async def fresh_bus(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Bus]:
    """The `bus` fixture, for other modules' fixtures too."""
    dsn = await make_database("consumer")
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn:
            await apply_migrations(conn, {"shared": SHARED_MIGRATIONS})
            await conn.execute("CREATE TABLE effects (event_id uuid NOT NULL)")
        publisher = await Broker.connect(AMQP_URL, make_amqp_prefix())
        try:
            yield Bus(pool, publisher, dsn)
        finally:
            await publisher.close()
    finally:
        await pool.close()


@asynccontextmanager
async def consuming(
    bus: Bus, handler: Handler, workers: int, pool: asyncpg.Pool | None = None
) -> AsyncIterator[None]:
    """A consumer running on a connection of its own: closing it on exit hands every message
    it left unsettled back to the queue, where `Bus.waiting` sees it. On the bus's pool unless
    given another."""
    broker = await Broker.connect(AMQP_URL, bus.prefix)
    consumer = Consumer(
        QUEUE,
        pool or bus.pool,
        broker,
        {UserRegistered: handler, UserDeleted: handler},
        bus.metrics,
        max_attempts=MAX_ATTEMPTS,
        concurrency=workers,
    )
    running = asyncio.create_task(consumer.run())
    try:
        yield
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await broker.close()


@workers
async def test_every_event_is_applied_once_and_acknowledged(bus: Bus, workers: int) -> None:
    envelopes = [registered() for _ in range(30)]
    await bus.publish(*map(body, envelopes))
    recorder = Recorder()

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=30)

    ids = [e.event_id for e in envelopes]
    assert sorted(await bus.effects()) == sorted(ids)
    assert await bus.processed() == set(ids)
    assert [recorder.calls_for(e) for e in envelopes] == [1] * 30
    assert bus.outcomes() == {"applied": 30, "duplicate": 0, "failed": 0, "refused": 0}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == []


@workers
async def test_an_event_delivered_again_is_counted_duplicate_and_applied_once(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(20)]
    seen_before, copied_at_once, copied_later = envelopes[0], envelopes[5], envelopes[9]
    await bus.mark_processed(seen_before)
    bodies = [body(e) for e in envelopes]
    bodies.insert(6, body(copied_at_once))  # right behind the original: in its batch, mostly
    await bus.publish(*bodies)
    recorder = Recorder()

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=21)
        await bus.publish(body(copied_later))  # long after the original was applied
        await bus.until_settled(consumed=22)

    fresh = [e.event_id for e in envelopes[1:]]
    assert sorted(await bus.effects()) == sorted(fresh)
    assert await bus.processed() == {e.event_id for e in envelopes}
    assert recorder.calls_for(seen_before) == 0
    assert recorder.calls_for(copied_at_once) == recorder.calls_for(copied_later) == 1
    assert bus.outcomes() == {"applied": 19, "duplicate": 3, "failed": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == []


@workers
async def test_unreadable_messages_are_dead_lettered_and_the_others_applied(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(20)]
    unknown_version = registered().model_copy(update={"version": 99})
    wrong_payload = registered().model_copy(update={"payload": {"admin": True}})
    # Readable, but of a type this queue has no handler for (a binding left behind, say).
    unhandled = wrap(
        EmailConfirmed(user_id=uuid.uuid4(), email="k@example.com", confirmed_at=datetime.now(UTC)),
        producer="test",
    )
    unreadable = [b"not json", body(unknown_version), body(wrong_payload), body(unhandled)]
    bodies = [body(e) for e in envelopes]
    for position, message in zip((3, 10, 17, 21), unreadable, strict=True):
        bodies.insert(position, message)
    await bus.publish(*bodies)
    recorder = Recorder()

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=20, dead=4)

    ids = [e.event_id for e in envelopes]
    assert sorted(await bus.effects()) == sorted(ids)
    assert await bus.processed() == set(ids)
    assert bus.outcomes() == {"applied": 20, "duplicate": 0, "failed": 0, "refused": 0}
    assert bus.dead_lettered() == {"unreadable": 4, "handler": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert sorted(await bus.dead_letters()) == sorted(unreadable)


@workers
async def test_a_failing_handler_dead_letters_its_event_alone(bus: Bus, workers: int) -> None:
    envelopes = [registered() for _ in range(20)]
    bad = envelopes[7]
    await bus.publish(*map(body, envelopes))
    recorder = Recorder(failing={bad.event_id})

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=20, dead=1)

    good = [e.event_id for e in envelopes if e is not bad]
    assert sorted(await bus.effects()) == sorted(good)
    assert await bus.processed() == set(good)
    assert recorder.calls_for(bad) in (MAX_ATTEMPTS, MAX_ATTEMPTS + 1)  # after a batch, or not
    assert bus.outcomes() == {"applied": 19, "duplicate": 0, "failed": 1, "refused": 0}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 1, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == [body(bad)]


@workers
async def test_a_refused_event_is_dead_lettered_at_once_and_the_others_applied(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(20)]
    forged = envelopes[11]
    await bus.publish(*map(body, envelopes))
    recorder = Recorder(refusing={forged.event_id})

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=20, dead=1)

    good = [e.event_id for e in envelopes if e is not forged]
    assert sorted(await bus.effects()) == sorted(good)
    assert await bus.processed() == set(good)
    # No retry can make a refused event acceptable: once alone, after a batch or not.
    assert recorder.calls_for(forged) in (1, 2)
    assert bus.outcomes() == {"applied": 19, "duplicate": 0, "failed": 0, "refused": 1}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 0, "refused": 1}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == [body(forged)]


@workers
async def test_an_event_whose_database_connection_is_lost_is_retried_until_applied_once(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(20)]
    unlucky = envelopes[4]
    await bus.publish(*map(body, envelopes))
    # More losses than attempts: a lost connection is waited out, never counted as a failure.
    losses = MAX_ATTEMPTS + 1
    recorder = Recorder(disconnecting={unlucky.event_id: losses})

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=20)

    ids = [e.event_id for e in envelopes]
    assert sorted(await bus.effects()) == sorted(ids)
    assert await bus.processed() == set(ids)
    assert recorder.calls_for(unlucky) == losses + 1
    assert bus.outcomes() == {"applied": 20, "duplicate": 0, "failed": 0, "refused": 0}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == []


@workers
async def test_each_handler_runs_with_the_correlation_and_causation_of_its_event(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(20)]
    assert len({e.correlation_id for e in envelopes}) == 20
    await bus.publish(*map(body, envelopes))
    recorder = Recorder()

    async with consuming(bus, recorder, workers):
        await bus.until_settled(consumed=20)

    expected = {Call(e.event_id, e.correlation_id, e.event_id) for e in envelopes}
    assert set(recorder.calls) == expected
    assert len(recorder.calls) == 20
