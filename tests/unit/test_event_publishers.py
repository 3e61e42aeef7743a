"""Only the service that owns an event type may publish it: every message carries its broker
user, and a consumer dead-letters an event whose user is not that of the event's publisher."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aio_pika
import asyncpg
import pytest

from shared.broker import Broker
from shared.consumer import Consumer
from shared.db import SHARED_MIGRATIONS, Connection, apply_migrations, create_pool
from shared.events import REGISTRY, Envelope, wrap
from shared.events.identity import UserDeleted, UserRegistered
from shared.metrics import Metrics
from shared.settings import ServiceSettings
from shared.topology import EXCHANGE, PUBLISHER_OF, PUBLISHERS, dead_letter_queue
from tests.conftest import AMQP_URL
from tests.events import user_registered
from tests.scratch import MakeDatabase
from tests.waiting import eventually

QUEUE = "company.users"  # consumes UserRegistered (and UserDeleted), which identity publishes


def test_every_event_type_has_exactly_one_publisher() -> None:
    published = [item for events in PUBLISHERS.values() for item in events]
    assert sorted(map(str, published)) == sorted(map(str, set(published)))
    assert set(PUBLISHER_OF) == set(REGISTRY.values())


def test_each_service_publishes_as_itself_unless_all_share_guest() -> None:
    own = ServiceSettings(environment="development", amqp_url="amqp://company:pw@rabbitmq/")
    assert own.broker_user("identity") == "identity"
    shared = ServiceSettings(environment="development", amqp_url="amqp://guest:guest@127.0.0.1/")
    assert shared.broker_user("identity") == "guest"
    moved = ServiceSettings(
        environment="development",
        amqp_url="amqp://company:pw@rabbitmq/",
        broker_users={"identity": "portal-identity"},
    )
    assert moved.broker_user("identity") == "portal-identity"
    assert moved.broker_user("renderer") == "renderer"


@pytest.fixture
async def pool(make_database: MakeDatabase) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(await make_database("publishers"))
    try:
        async with pool.acquire() as conn:
            await apply_migrations(conn, {"shared": SHARED_MIGRATIONS})
        yield pool
    finally:
        await pool.close()


@asynccontextmanager
async def consumer(
    pool: asyncpg.Pool, prefix: str, user_of: Callable[[str], str] | None
) -> AsyncIterator[list[Envelope]]:
    """A consumer of `QUEUE` expecting each publisher's user from `user_of`; yields what its
    handler applied."""
    applied: list[Envelope] = []

    async def on_user_registered(conn: Connection, envelope: Envelope, _: object) -> None:
        applied.append(envelope)

    broker = await Broker.connect(AMQP_URL, prefix, user_of=user_of)
    running = asyncio.create_task(
        Consumer(
            QUEUE,
            pool,
            broker,
            {UserRegistered: on_user_registered, UserDeleted: on_user_registered},
            Metrics(),
        ).run()
    )
    try:
        yield applied
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await broker.close()


async def publish(prefix: str, user_id: str | None) -> Envelope:
    envelope = wrap(user_registered(), producer="identity")
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(prefix + EXCHANGE)
        await exchange.publish(
            aio_pika.Message(envelope.model_dump_json().encode(), user_id=user_id),
            routing_key=UserRegistered.routing_key(),
        )
    return envelope


async def dead_lettered(prefix: str, count: int) -> list[uuid.UUID]:
    """The event ids of the first `count` messages to reach the dead-letter queue."""
    found: list[uuid.UUID] = []

    async def arrived() -> bool:
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            queue = await channel.get_queue(dead_letter_queue(prefix + QUEUE))
            while message := await queue.get(no_ack=True, fail=False):
                found.append(Envelope.model_validate_json(message.body).event_id)
        return len(found) >= count

    await eventually(arrived)
    return found


async def test_an_event_from_another_broker_user_than_its_publisher_is_dead_lettered(
    pool: asyncpg.Pool, make_amqp_prefix: Callable[[], str]
) -> None:
    prefix = make_amqp_prefix()
    # As in production: identity's events must come from the broker user `identity`.
    production = ServiceSettings(environment="development", amqp_url="amqp://company:pw@rabbitmq/")
    async with consumer(pool, prefix, production.broker_user) as applied:
        forged = await publish(prefix, "guest")  # RabbitMQ vouches that guest sent it
        unsigned = await publish(prefix, None)

        dead = await dead_lettered(prefix, 2)
    assert set(dead) == {forged.event_id, unsigned.event_id}
    assert applied == []


async def test_an_event_from_its_publishers_broker_user_is_applied(
    pool: asyncpg.Pool, make_amqp_prefix: Callable[[], str]
) -> None:
    prefix = make_amqp_prefix()
    # As on one machine: every service shares guest, and so does the publisher here.
    development = ServiceSettings(environment="development")
    async with consumer(pool, prefix, development.broker_user) as applied:
        unsigned = await publish(prefix, None)
        genuine = await publish(prefix, "guest")

        dead = await dead_lettered(prefix, 1)

        async def genuine_applied() -> bool:
            return bool(applied)

        await eventually(genuine_applied)
    assert [e.event_id for e in applied] == [genuine.event_id]
    assert dead == [unsigned.event_id]


async def test_a_service_stamps_its_broker_user_on_what_it_publishes(
    make_amqp_prefix: Callable[[], str],
) -> None:
    broker = await Broker.connect(AMQP_URL, make_amqp_prefix())
    try:
        channel = await broker.connection.channel()
        tap = await channel.declare_queue(exclusive=True)
        await tap.bind(broker.exchange, routing_key="#")
        await broker.publish(UserRegistered.routing_key(), b"{}", uuid.uuid4())
        message = await eventually(lambda: tap.get(no_ack=True, fail=False))
    finally:
        await broker.close()
    assert message.user_id == "guest"
