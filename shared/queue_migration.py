"""Queues declared otherwise than `shared.topology` declares them now (classic, by an older
version) become what it declares, under the same names, without losing a message.

RabbitMQ cannot change a queue's type or arguments in place: declaring it otherwise fails with
PRECONDITION_FAILED. So such a queue is emptied into a holding queue, declared the new way under
the name `<queue>.migrating`, deleted, declared again the new way, and refilled from the holding
queue, which is then deleted. The holding queue takes the queue's bindings before the old queue
gives them up, so an event published meanwhile waits there: none is routed nowhere.

A message is moved by publishing a copy (its body and every property: its `user_id`, its
`message_id`, the `x-death` history of a dead letter) to the target queue with a publisher
confirm, and acknowledging the original only then. A crash between the two leaves the message
twice, never lost; the consumers' processed-events table absorbs the copy. Run again after a
crash, a migration finishes what it left.

Only the broker may stamp a `user_id` other than the publisher's own, so the migration needs a
broker user that may configure every queue and publish under any user (tags `administrator` and
`impersonator`; `guest` in development, where every service publishes as guest), not a service's
own. It runs with the consumers stopped (`portal broker migrate-queues`, see docs/reliability.md),
so that none consumes or re-declares an old queue half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage

from shared.topology import (
    DEAD_LETTER_EXCHANGE,
    DEAD_LETTER_QUEUE_ARGUMENTS,
    EXCHANGE,
    SUBSCRIPTIONS,
    dead_letter_queue,
    queue_arguments,
    queue_exists,
)

HOLDING_SUFFIX = ".migrating"


@dataclass(frozen=True)
class QueueShape:
    """A queue as the topology declares it: its name, arguments and (exchange, routing key)s."""

    name: str
    arguments: dict[str, Any]
    bindings: tuple[tuple[str, str], ...]

    @property
    def holding(self) -> str:
        return self.name + HOLDING_SUFFIX


def queue_shapes(prefix: str) -> list[QueueShape]:
    """Every queue of the topology under `prefix`, each dead-letter queue before its queue."""
    events, dead = prefix + EXCHANGE, prefix + DEAD_LETTER_EXCHANGE
    shapes = []
    for name, subscribed in SUBSCRIPTIONS.items():
        queue = prefix + name
        shapes.append(
            QueueShape(dead_letter_queue(queue), DEAD_LETTER_QUEUE_ARGUMENTS, ((dead, queue),))
        )
        keys = tuple((events, item.routing_key()) for item in subscribed)
        shapes.append(QueueShape(queue, queue_arguments(queue, dead), keys))
    return shapes


async def migrate_queues(connection: AbstractConnection, prefix: str) -> dict[str, int]:
    """Bring every queue of the topology under `prefix` to its current shape; return how many
    messages each queue that had to move held (0 for one moved empty, none for the others)."""
    moved = {}
    for shape in queue_shapes(prefix):
        count = await migrate_queue(connection, shape)
        if count is not None:
            moved[shape.name] = count
    return moved


async def migrate_queue(connection: AbstractConnection, shape: QueueShape) -> int | None:
    """Move `shape.name` to its shape through its holding queue if it has another; return the
    messages moved, or None if it had its shape already (or does not exist yet)."""
    if await queue_exists(connection, shape.holding):
        # Left by a migration that stopped half-way: the queue itself was declared anew.
        return await _relocate(connection, shape, shape.holding, shape.name)
    if not await queue_exists(connection, shape.name) or await queue_exists(
        connection, shape.name, shape.arguments
    ):
        return None
    moved = await _relocate(connection, shape, shape.name, shape.holding)
    await _relocate(connection, shape, shape.holding, shape.name)
    return moved


async def _relocate(
    connection: AbstractConnection, shape: QueueShape, source: str, target: str
) -> int:
    """Declare `target` in the shape, with its bindings, take them from `source`, move every
    message of `source` into `target` and delete `source`; return the messages moved."""
    channel = await _confirming_channel(connection)
    try:
        await _declare(channel, target, shape)
        await _unbind(channel, source, shape)
        moved = await _move(channel, source, target)
        await _delete_emptied(channel, source)
    finally:
        await channel.close()
    return moved


async def _confirming_channel(connection: AbstractConnection) -> AbstractChannel:
    # A copy that reaches no queue comes back and raises, instead of being confirmed and lost.
    return await connection.channel(publisher_confirms=True, on_return_raises=True)


async def _declare(channel: AbstractChannel, name: str, shape: QueueShape) -> None:
    queue = await channel.declare_queue(name, durable=True, arguments=shape.arguments)
    for exchange, routing_key in shape.bindings:
        await queue.bind(exchange, routing_key=routing_key)


async def _unbind(channel: AbstractChannel, name: str, shape: QueueShape) -> None:
    queue = await channel.declare_queue(name, passive=True)
    for exchange, routing_key in shape.bindings:
        await queue.unbind(exchange, routing_key=routing_key)


async def _move(channel: AbstractChannel, source: str, target: str) -> int:
    """Every message of `source` into `target`, each acknowledged once its copy is confirmed."""
    queue = await channel.declare_queue(source, passive=True)
    moved = 0
    while (message := await queue.get(no_ack=False, fail=False)) is not None:
        await channel.default_exchange.publish(_copy(message), routing_key=target, mandatory=True)
        await message.ack()
        moved += 1
    return moved


async def _delete_emptied(channel: AbstractChannel, name: str) -> None:
    """Delete a queue just emptied and unbound, making sure it is still empty (quorum queues
    refuse the `if-empty` flag of a deletion)."""
    queue = await channel.declare_queue(name, passive=True)
    if queue.declaration_result.message_count:
        raise RuntimeError(f"{name} received messages while it was emptied; run again")
    await channel.queue_delete(name)


def _copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    return aio_pika.Message(
        message.body,
        headers=message.headers,
        content_type=message.content_type,
        content_encoding=message.content_encoding,
        delivery_mode=message.delivery_mode,
        priority=message.priority,
        correlation_id=message.correlation_id,
        reply_to=message.reply_to,
        expiration=message.expiration,
        message_id=message.message_id,
        timestamp=message.timestamp,
        type=message.type,
        user_id=message.user_id,
        app_id=message.app_id,
    )
