"""The idempotent consumer: each event's effect and its `processed_events` row commit together.

Events are applied in batches: one transaction, so one commit and one fsync, for every message
that arrived while the previous batch was being applied. A worker takes the first message waiting
and whatever else is already waiting, and never waits for a batch to fill. A batch in which a
handler fails is rolled back and applied again one event at a time, so that a bad event is
dead-lettered alone and holds up none of the others.

A handler whose work is slow (reading files, rendering a document) comes in two steps, as
`TwoStepHandler`: it prepares first, outside any transaction and without a connection of the
consumer's, then records what it prepared in a short transaction. An open transaction would
otherwise hold a connection, and the locks it took, for as long as the slow work takes. An event
processed already is not prepared again; the `processed_events` row written with the effect
stays what decides that an event is applied once.

A handler raises `Refused` for an event that contradicts what its service knows (a forged or
inconsistent fact): it is dead-lettered at once, without retries, and the state stays as it was.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal, TypeVar

import asyncpg
from aio_pika.abc import AbstractIncomingMessage
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from pydantic import ValidationError

from shared.broker import Broker
from shared.context import current_causation_id, current_correlation_id
from shared.db import TRANSIENT_ERRORS, Connection
from shared.events import Envelope, Event, UnknownEvent
from shared.metrics import Metrics
from shared.topology import PUBLISHER_OF, SUBSCRIPTIONS, declare_queue

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class TwoStepHandler:
    """A handler whose slow work is done before its transaction: `prepare(envelope, event)`
    holds no connection while it fetches or renders, and `record(conn, envelope, event,
    prepared=...)` then writes what it came to in the consumer's transaction."""

    prepare: Callable[[Envelope, Any], Awaitable[Any]]
    record: Callable[..., Awaitable[None]]


Handler = Callable[[Connection, Envelope, Any], Awaitable[None]] | TwoStepHandler
Outcome = Literal["applied", "duplicate", "failed", "refused"]

# What settling a message raises once its channel has closed; the broker redelivers it anyway.
SETTLING_ERRORS = (AMQPError, ChannelInvalidStateError, ConnectionError)


class Refused(Exception):
    """An event its handler will not apply whatever the retries: the message says why."""


@dataclass(frozen=True)
class Delivery:
    """A message that could be read: its envelope and the typed event inside."""

    message: AbstractIncomingMessage
    envelope: Envelope
    item: Event
    # What a two-step handler prepared, for it to record.
    prepared: Any = None


class Consumer:
    """Consumes one queue of `SUBSCRIPTIONS` with one handler per subscribed event type.

    A message that cannot be parsed, or whose handler keeps failing, is dead-lettered; while the
    database is unreachable the messages are held and retried, never dropped.

    `concurrency` workers each apply batches of up to `batch_size` events. Handlers that take
    long or wait on another service (rendering, fetching documents) want `batch_size=1` and
    several workers: a batch is prepared one event after the other before it is applied, so one
    slow event would hold back every other event's commit, and one event waiting for a service
    would hold the whole batch.
    """

    def __init__(
        self,
        name: str,
        pool: asyncpg.Pool,
        broker: Broker,
        handlers: dict[type[Event], Handler],
        metrics: Metrics,
        *,
        max_attempts: int = 5,
        batch_size: int = 100,
        concurrency: int = 1,
        prefetch: int | None = None,
    ) -> None:
        subscribed = set(SUBSCRIPTIONS[name])
        if subscribed != set(handlers):
            raise ValueError(f"consumer {name} handles {set(handlers)}, subscribes {subscribed}")
        self.name = name
        self.pool = pool
        self.broker = broker
        self.handlers = handlers
        self.metrics = metrics
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.concurrency = concurrency
        # Room for the next batches to arrive while each worker applies one.
        self.prefetch = prefetch or 2 * batch_size * concurrency

    async def run(self) -> None:
        """Consume until cancelled; after a reconnect the robust channel consumes again."""
        channel = await self.broker.connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        # Its own queue, declared again: a subscription added since the queue was made binds now.
        queue = await declare_queue(channel, self.broker.prefix, self.name)
        arrived: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        await queue.consume(arrived.put)
        async with asyncio.TaskGroup() as workers:
            for _ in range(self.concurrency):
                workers.create_task(self._work(arrived))

    async def _work(self, arrived: asyncio.Queue[AbstractIncomingMessage]) -> None:
        while True:
            messages = [await arrived.get()]
            while len(messages) < self.batch_size and not arrived.empty():
                messages.append(arrived.get_nowait())
            try:
                await self._consume(messages)
            except Exception:
                # A bug, not a failing handler. Nothing may stay unsettled behind a later
                # acknowledgement of several at once, so what is left goes to the dead letters.
                log.exception("%s dead-letters what is left of a batch", self.name)
                for message in messages:
                    if not message.processed and _channel_open(message):
                        await _reject(message)

    async def _consume(self, messages: list[AbstractIncomingMessage]) -> None:
        deliveries = []
        for message in messages:
            # A message of a channel that closed meanwhile has been given to the next one.
            if not _channel_open(message) or not (delivery := await self._read(message)):
                continue
            if prepared := await self._prepare(delivery):
                deliveries.append(prepared)
        if len(deliveries) > 1:
            if await self._consume_together(deliveries):
                return
            log.warning("%s applies %d events one at a time", self.name, len(deliveries))
        for delivery in deliveries:
            await self._consume_alone(delivery)

    async def _read(self, message: AbstractIncomingMessage) -> Delivery | None:
        """The message's event, or None once an unreadable or forged message is dead-lettered."""
        try:
            envelope = Envelope.model_validate_json(message.body)
            item = envelope.event()
            if type(item) not in self.handlers:
                # A binding left from an older topology, say: no handler will ever apply it.
                raise ValueError(f"no handler for {envelope.type} on {self.name}")
        except (ValidationError, UnknownEvent, ValueError) as error:
            log.error("dead-lettering unreadable message on %s: %s", self.name, error)
            self.metrics.events_dead_lettered.labels(self.name, "unreadable").inc()
            await _reject(message)
            return None
        publisher = self.broker.user_of(PUBLISHER_OF[type(item)])
        if message.user_id != publisher:
            # Only the service that owns an event type may publish it (RabbitMQ vouches for the
            # user_id): anything else is a forgery or a misconfigured service.
            log.error(
                "dead-lettering %s on %s from broker user %r, not %r",
                envelope.type,
                self.name,
                message.user_id,
                publisher,
            )
            self.metrics.events_dead_lettered.labels(self.name, "impostor").inc()
            await _reject(message)
            return None
        return Delivery(message, envelope, item)

    async def _consume_together(self, deliveries: list[Delivery]) -> bool:
        """Apply the batch in one transaction and acknowledge it; False if a handler failed."""
        try:
            outcomes = await self._apply_patiently(deliveries, attempts=1)
        except Refused:
            outcomes = None
        if outcomes is None:
            return False
        if self.concurrency == 1:
            # A lone worker settles messages in the order they arrived, so every earlier
            # delivery on the channel is settled already: one frame acknowledges the batch.
            await _ack(deliveries[-1].message, multiple=True)
        else:
            for delivery in deliveries:
                await _ack(delivery.message)
        for delivery, outcome in zip(deliveries, outcomes, strict=True):
            self._count(delivery, outcome)
        return True

    async def _consume_alone(self, delivery: Delivery) -> None:
        try:
            outcomes = await self._apply_patiently([delivery], attempts=self.max_attempts)
        except Refused as refusal:
            await self._refuse(delivery, refusal)
            return
        if outcomes is None:
            await self._fail(delivery)
        else:
            await _ack(delivery.message)
            self._count(delivery, outcomes[0])

    async def _prepare(self, delivery: Delivery) -> Delivery | None:
        """The delivery with what its handler prepared, if it has two steps; None once it is
        settled instead: acknowledged if its event was processed already, dead-lettered if the
        handler refused it or kept failing to prepare it."""
        handler = self.handlers[type(delivery.item)]
        if not isinstance(handler, TwoStepHandler):
            return delivery
        try:
            prepared = await self._patiently(
                partial(self._prepared, delivery, handler),
                [delivery],
                attempts=self.max_attempts,
            )
        except Refused as refusal:
            await self._refuse(delivery, refusal)
            return None
        if isinstance(prepared, Delivery):
            return prepared
        if prepared == "duplicate":
            await _ack(delivery.message)
            self._count(delivery, "duplicate")
        else:
            await self._fail(delivery)
        return None

    async def _prepared(
        self, delivery: Delivery, handler: TwoStepHandler
    ) -> Delivery | Literal["duplicate"]:
        """The delivery with what `handler` prepared, holding no connection meanwhile; or
        "duplicate", unprepared, if its event was processed already: a redelivered event is
        not fetched or rendered again."""
        async with self.pool.acquire() as conn:
            processed = await conn.fetchval(
                "SELECT true FROM processed_events WHERE consumer = $1 AND event_id = $2",
                self.name,
                delivery.envelope.event_id,
            )
        if processed:
            return "duplicate"
        with _caused_by(delivery.envelope):
            prepared = await handler.prepare(delivery.envelope, delivery.item)
        return replace(delivery, prepared=prepared)

    async def _refuse(self, delivery: Delivery, refusal: Refused) -> None:
        envelope = delivery.envelope
        log.warning("%s refuses %s %s: %s", self.name, envelope.type, envelope.event_id, refusal)
        self.metrics.events_dead_lettered.labels(self.name, "refused").inc()
        await _reject(delivery.message)
        self._count(delivery, "refused")

    async def _fail(self, delivery: Delivery) -> None:
        self.metrics.events_dead_lettered.labels(self.name, "handler").inc()
        await _reject(delivery.message)
        self._count(delivery, "failed")

    async def _apply_patiently(
        self, deliveries: list[Delivery], *, attempts: int
    ) -> list[Outcome] | None:
        """Each event's outcome, applied in one transaction and waiting out outages; None once
        handlers have failed `attempts` times. `Refused` is raised at once."""
        return await self._patiently(
            partial(self._apply_in_transaction, deliveries), deliveries, attempts=attempts
        )

    async def _apply_in_transaction(self, deliveries: list[Delivery]) -> list[Outcome]:
        async with self.pool.acquire() as conn, conn.transaction():
            return await self._apply(conn, deliveries)

    async def _patiently(
        self, attempt: Callable[[], Awaitable[T]], deliveries: list[Delivery], *, attempts: int
    ) -> T | None:
        """What `attempt` returns, tried again while what it needs is away (the database,
        another service); None once it has failed otherwise `attempts` times. `Refused` is
        raised at once."""
        failures, backoff = 0, 0.2
        while True:
            try:
                return await attempt()
            except Refused:
                raise
            except TRANSIENT_ERRORS as error:
                log.warning("%s waiting for what it needs: %r", self.name, error)
            except Exception:
                failures += 1
                kinds = sorted({d.envelope.type for d in deliveries})
                log.exception("%s failed on %s (attempt %d)", self.name, kinds, failures)
                if failures >= attempts:
                    return None
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _apply(self, conn: Connection, deliveries: list[Delivery]) -> list[Outcome]:
        """Run the handlers, once per event id: also an event that comes twice in one batch."""
        fresh = await _record_processed(conn, self.name, [d.envelope.event_id for d in deliveries])
        outcomes: list[Outcome] = []
        for delivery in deliveries:
            event_id = delivery.envelope.event_id
            if event_id not in fresh:
                outcomes.append("duplicate")
                continue
            fresh.discard(event_id)
            handler = self.handlers[type(delivery.item)]
            with _caused_by(delivery.envelope):
                if isinstance(handler, TwoStepHandler):
                    await handler.record(
                        conn, delivery.envelope, delivery.item, prepared=delivery.prepared
                    )
                else:
                    await handler(conn, delivery.envelope, delivery.item)
            outcomes.append("applied")
        return outcomes

    def _count(self, delivery: Delivery, outcome: Outcome) -> None:
        self.metrics.events_consumed.labels(self.name, delivery.envelope.type, outcome).inc()


async def _record_processed(
    conn: Connection, consumer: str, event_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Insert the `processed_events` rows; return the ids that were not processed before.

    Sorted, so that batches applied side by side lock their rows in one order, never deadlocking.
    """
    rows = await conn.fetch(
        """INSERT INTO processed_events (consumer, event_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id""",
        consumer,
        sorted(set(event_ids)),
    )
    return {row["event_id"] for row in rows}


@contextmanager
def _caused_by(envelope: Envelope) -> Iterator[None]:
    """Logs, calls and events of the handler carry the correlation of the event it applies."""
    correlation = current_correlation_id.set(envelope.correlation_id)
    causation = current_causation_id.set(envelope.event_id)
    try:
        yield
    finally:
        current_causation_id.reset(causation)
        current_correlation_id.reset(correlation)


def _channel_open(message: AbstractIncomingMessage) -> bool:
    try:
        return not message.channel.is_closed
    except ChannelInvalidStateError:
        return False


async def _ack(message: AbstractIncomingMessage, *, multiple: bool = False) -> None:
    try:
        await message.ack(multiple=multiple)
    except SETTLING_ERRORS as error:
        log.info("not acknowledged; the broker delivers it again: %r", error)


async def _reject(message: AbstractIncomingMessage) -> None:
    try:
        await message.reject(requeue=False)
    except SETTLING_ERRORS as error:
        log.info("not rejected; the broker delivers it again: %r", error)
