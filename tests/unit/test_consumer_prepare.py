"""Two-step handlers on the consumer (real PostgreSQL and RabbitMQ): the slow step prepares with
no transaction open and no connection of the consumer's held, an event processed already is not
prepared again, and a preparer waiting for another service is retried until its event is
recorded once; and how `handlers_of` builds such handlers from their declarations.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import ModuleType

import asyncpg
import pytest

from shared.client import ServiceUnavailable
from shared.consumer import Refused, TwoStepHandler
from shared.context import current_causation_id, current_correlation_id
from shared.db import Connection, create_pool
from shared.events import Envelope
from shared.events.identity import UserRegistered
from shared.subscriptions import handlers_of, subscriber
from tests.scratch import MakeDatabase
from tests.unit.test_consumer import (
    MAX_ATTEMPTS,
    Bus,
    Call,
    body,
    consuming,
    fresh_bus,
    registered,
    workers,
)


@pytest.fixture
async def bus(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Bus]:
    async with fresh_bus(make_database, make_amqp_prefix) as fresh:
        yield fresh


@dataclass
class Preparing:
    """A two-step handler that remembers every call of each step.

    Its preparer borrows a connection of `borrowing`, if given, and fails if none is free; it
    finds the service it needs away for the events in `unavailable`, as many times as said
    there, fails for those in `failing` and refuses those in `refusing`. Its record step writes
    the effect.
    """

    borrowing: asyncpg.Pool | None = None
    unavailable: dict[uuid.UUID, int] = field(default_factory=dict)
    failing: set[uuid.UUID] = field(default_factory=set)
    refusing: set[uuid.UUID] = field(default_factory=set)
    prepared: list[Call] = field(default_factory=list)
    recorded: list[tuple[uuid.UUID, str]] = field(default_factory=list)

    def handler(self) -> TwoStepHandler:
        return TwoStepHandler(prepare=self.prepare, record=self.record)

    async def prepare(self, envelope: Envelope, item: UserRegistered) -> str:
        event_id = envelope.event_id
        self.prepared.append(
            Call(event_id, current_correlation_id.get(), current_causation_id.get())
        )
        if self.borrowing is not None:
            await self._borrow(self.borrowing)
        if self.unavailable.get(event_id):
            self.unavailable[event_id] -= 1
            raise ServiceUnavailable("the service preparing needs is away")
        if event_id in self.failing:
            raise ValueError(f"nothing can prepare {event_id}")
        if event_id in self.refusing:
            raise Refused(f"{event_id} contradicts what is known")
        return f"prepared {event_id}"

    async def record(
        self, conn: Connection, envelope: Envelope, item: UserRegistered, *, prepared: str
    ) -> None:
        assert conn.is_in_transaction()
        self.recorded.append((envelope.event_id, prepared))
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", envelope.event_id)

    def prepared_for(self, envelope: Envelope) -> int:
        return sum(call.event_id == envelope.event_id for call in self.prepared)

    @staticmethod
    async def _borrow(pool: asyncpg.Pool) -> None:
        try:
            async with pool.acquire(timeout=2) as conn:
                assert not conn.is_in_transaction()
                await conn.execute("SELECT 1")
        except TimeoutError:
            # Not a ConnectionError: the consumer would wait it out instead of failing it.
            raise ValueError("the consumer holds the only connection while preparing") from None


async def test_the_preparer_holds_no_connection_of_the_consumer_and_runs_in_no_transaction(
    bus: Bus,
) -> None:
    envelopes = [registered() for _ in range(10)]
    await bus.publish(*map(body, envelopes))
    one_connection = await create_pool(bus.dsn, min_size=1, max_size=1)
    handler = Preparing(borrowing=one_connection)

    try:
        async with consuming(bus, handler.handler(), 1, pool=one_connection):
            await bus.until_settled(consumed=10)
    finally:
        await one_connection.close()

    ids = [e.event_id for e in envelopes]
    assert sorted(await bus.effects()) == sorted(ids)
    assert sorted(handler.recorded) == sorted((i, f"prepared {i}") for i in ids)
    assert set(handler.prepared) == {
        Call(e.event_id, e.correlation_id, e.event_id) for e in envelopes
    }
    assert len(handler.prepared) == 10
    assert bus.outcomes() == {"applied": 10, "duplicate": 0, "failed": 0, "refused": 0}
    assert await bus.dead_letters() == []


@workers
async def test_an_event_processed_already_is_not_prepared_again(bus: Bus, workers: int) -> None:
    envelopes = [registered() for _ in range(10)]
    seen_before, copied_later = envelopes[0], envelopes[6]
    await bus.mark_processed(seen_before)
    await bus.publish(*map(body, envelopes))
    handler = Preparing()

    async with consuming(bus, handler.handler(), workers):
        await bus.until_settled(consumed=10)
        await bus.publish(body(copied_later))
        await bus.until_settled(consumed=11)

    fresh = [e.event_id for e in envelopes[1:]]
    assert sorted(await bus.effects()) == sorted(fresh)
    assert handler.prepared_for(seen_before) == 0
    assert handler.prepared_for(copied_later) == 1
    assert bus.outcomes() == {"applied": 9, "duplicate": 2, "failed": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == []


@workers
async def test_a_preparer_waiting_for_a_service_is_retried_until_its_event_is_recorded_once(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(10)]
    unlucky = envelopes[3]
    await bus.publish(*map(body, envelopes))
    # More outages than attempts: a service away is waited out, never counted as a failure.
    outages = MAX_ATTEMPTS + 1
    handler = Preparing(unavailable={unlucky.event_id: outages})

    async with consuming(bus, handler.handler(), workers):
        await bus.until_settled(consumed=10)

    ids = [e.event_id for e in envelopes]
    assert sorted(await bus.effects()) == sorted(ids)
    assert handler.prepared_for(unlucky) == outages + 1
    assert [event_id for event_id, _ in handler.recorded].count(unlucky.event_id) == 1
    assert bus.outcomes() == {"applied": 10, "duplicate": 0, "failed": 0, "refused": 0}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 0, "refused": 0}
    assert await bus.waiting() == 0
    assert await bus.dead_letters() == []


@workers
async def test_a_failing_or_refusing_preparer_dead_letters_its_event_alone(
    bus: Bus, workers: int
) -> None:
    envelopes = [registered() for _ in range(10)]
    bad, forged = envelopes[2], envelopes[7]
    await bus.publish(*map(body, envelopes))
    handler = Preparing(failing={bad.event_id}, refusing={forged.event_id})

    async with consuming(bus, handler.handler(), workers):
        await bus.until_settled(consumed=10, dead=2)

    good = [e.event_id for e in envelopes if e not in (bad, forged)]
    assert sorted(await bus.effects()) == sorted(good)
    assert await bus.processed() == set(good)
    assert handler.prepared_for(bad) == MAX_ATTEMPTS
    assert handler.prepared_for(forged) == 1
    assert bus.outcomes() == {"applied": 8, "duplicate": 0, "failed": 1, "refused": 1}
    assert bus.dead_lettered() == {"unreadable": 0, "handler": 1, "refused": 1}
    assert await bus.waiting() == 0
    assert sorted(await bus.dead_letters()) == sorted([body(bad), body(forged)])


async def prepare_greeting(envelope: Envelope, event: UserRegistered, *, greeting: str) -> str:
    return greeting


async def on_registered(
    conn: Connection, envelope: Envelope, event: UserRegistered, *, prepared: str, clock: object
) -> None:
    pass


def test_handlers_of_gives_preparer_and_record_step_the_dependencies_each_names() -> None:
    module = ModuleType("handlers")
    module.on_registered = subscriber("company.users", prepare=prepare_greeting)(on_registered)  # type: ignore[attr-defined]
    handler = handlers_of(module, "company.users", greeting="hej", clock=None, other=1)[
        UserRegistered
    ]
    assert isinstance(handler, TwoStepHandler)
    assert handler.prepare.keywords == {"greeting": "hej"}  # type: ignore[attr-defined]
    assert handler.record.keywords == {"clock": None}  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="prepare_greeting needs greeting"):
        handlers_of(module, "company.users", clock=None)
    with pytest.raises(TypeError, match="on_registered needs clock"):
        handlers_of(module, "company.users", greeting="hej")


def test_a_handler_with_a_preparer_takes_what_it_prepared() -> None:
    async def on_anything(conn: Connection, envelope: Envelope, event: UserRegistered) -> None:
        pass

    with pytest.raises(TypeError, match="takes no `prepared`"):
        subscriber("company.users", prepare=prepare_greeting)(on_anything)
