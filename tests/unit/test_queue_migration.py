"""Classic queues holding messages, some of them dead letters, become quorum queues of the same
names holding every message exactly once, with its properties (`shared/queue_migration.py`)."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel, AbstractConnection

from shared.queue_migration import HOLDING_SUFFIX, migrate_queues, queue_shapes
from shared.topology import DEAD_LETTER_EXCHANGE, EXCHANGE, SUBSCRIPTIONS, dead_letter_queue
from tests.conftest import AMQP_URL

EVENTS_PER_KEY = 25
REJECTED = 7  # from renderer.invoices, into its dead-letter queue
ROUTING_KEYS = sorted({item.routing_key() for events in SUBSCRIPTIONS.values() for item in events})


@pytest.fixture
async def connection() -> AsyncIterator[AbstractConnection]:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        yield connection


@pytest.fixture
async def prefix(
    connection: AbstractConnection, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[str]:
    """A fresh prefix; the holding queues a failed migration may leave are deleted with it."""
    prefix = make_amqp_prefix()
    yield prefix
    channel = await connection.channel()
    for shape in queue_shapes(prefix):
        await channel.queue_delete(shape.holding)


async def declare_classic_topology(channel: AbstractChannel, prefix: str) -> None:
    """The topology as the version before quorum queues declared it."""
    events = await channel.declare_exchange(
        prefix + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
    )
    dead = await channel.declare_exchange(
        prefix + DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
    )
    for name, subscribed in SUBSCRIPTIONS.items():
        queue_name = prefix + name
        dead_queue = await channel.declare_queue(dead_letter_queue(queue_name), durable=True)
        await dead_queue.bind(dead, routing_key=queue_name)
        queue = await channel.declare_queue(
            queue_name,
            durable=True,
            arguments={
                "x-dead-letter-exchange": dead.name,
                "x-dead-letter-routing-key": queue_name,
            },
        )
        for item in subscribed:
            await queue.bind(events, routing_key=item.routing_key())


async def contents(
    channel: AbstractChannel, name: str
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    queue = await channel.declare_queue(name, passive=True)
    found = []
    while (message := await queue.get(no_ack=False, fail=False)) is not None:
        found.append(message)
    return found


def queue_types(prefix: str) -> dict[str, str]:
    output = subprocess.run(
        ["rabbitmqctl", "list_queues", "-q", "name", "type", "--formatter", "json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        row["name"]: row["type"] for row in json.loads(output) if row["name"].startswith(prefix)
    }


async def test_classic_queues_become_quorum_queues_holding_every_message_once(
    connection: AbstractConnection, prefix: str
) -> None:
    channel = await connection.channel(publisher_confirms=True)
    await declare_classic_topology(channel, prefix)
    events = await channel.get_exchange(prefix + EXCHANGE)
    expected: dict[str, Counter[str]] = {shape.name: Counter() for shape in queue_shapes(prefix)}
    for routing_key in ROUTING_KEYS:
        for _ in range(EVENTS_PER_KEY):
            message_id = str(uuid.uuid4())
            await events.publish(
                aio_pika.Message(
                    routing_key.encode(),
                    message_id=message_id,
                    type=routing_key,
                    user_id="guest",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=routing_key,
            )
            for name, subscribed in SUBSCRIPTIONS.items():
                if routing_key in {item.routing_key() for item in subscribed}:
                    expected[prefix + name][message_id] += 1
    renderer = await channel.declare_queue(prefix + "renderer.invoices", passive=True)
    for _ in range(REJECTED):
        rejected = await renderer.get(no_ack=False)
        await rejected.reject(requeue=False)
        expected[prefix + "renderer.invoices"][rejected.message_id or ""] -= 1
        expected[prefix + "renderer.invoices.dead"][rejected.message_id or ""] += 1
    await channel.close()
    assert set(queue_types(prefix).values()) == {"classic"}

    moved = await migrate_queues(connection, prefix)

    assert moved == {name: sum(ids.values()) for name, ids in expected.items()}
    assert moved[prefix + "renderer.invoices.dead"] == REJECTED
    assert queue_types(prefix) == {name: "quorum" for name in expected}
    channel = await connection.channel()
    for name, ids in expected.items():
        messages = await contents(channel, name)
        assert Counter(m.message_id for m in messages) == +ids, name
        assert {(m.user_id, m.type, m.body.decode()) for m in messages} == {
            ("guest", m.type, m.type) for m in messages
        }
        if name.endswith(".dead"):
            assert all(m.headers["x-death"][0]["reason"] == "rejected" for m in messages)
    # Nothing left to do: a second run moves nothing, and no holding queue is left.
    assert await migrate_queues(connection, prefix) == {}
    assert not any(name.endswith(HOLDING_SUFFIX) for name in queue_types(prefix))


async def test_a_migration_stopped_half_way_is_finished_by_the_next(
    connection: AbstractConnection, prefix: str
) -> None:
    channel = await connection.channel(publisher_confirms=True)
    await declare_classic_topology(channel, prefix)
    (shape,) = [s for s in queue_shapes(prefix) if s.name == prefix + "renderer.invoices"]
    # Stopped after deleting the classic queue: its messages wait in the holding queue.
    await channel.queue_delete(shape.name)
    await channel.declare_queue(shape.holding, durable=True, arguments=shape.arguments)
    waiting = [str(uuid.uuid4()) for _ in range(5)]
    for message_id in waiting:
        await channel.default_exchange.publish(
            aio_pika.Message(b"{}", message_id=message_id), routing_key=shape.holding
        )

    moved = await migrate_queues(connection, prefix)

    assert moved[shape.name] == len(waiting)
    assert [m.message_id for m in await contents(channel, shape.name)] == waiting
    assert queue_types(prefix)[shape.name] == "quorum"
    assert shape.holding not in queue_types(prefix)
