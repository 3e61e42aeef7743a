"""The idempotent consumer: each event's effect and its `processed_events` row commit together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from shared.broker import Broker
from shared.context import current_causation_id, current_correlation_id
from shared.db import TRANSIENT_ERRORS, Connection
from shared.events import Envelope, Event, UnknownEvent
from shared.metrics import Metrics
from shared.topology import SUBSCRIPTIONS

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Envelope, Any], Awaitable[None]]


class Consumer:
    """Consumes one queue of `SUBSCRIPTIONS` with one handler per subscribed event type.

    A message that cannot be parsed, or whose handler keeps failing, is dead-lettered; while the
    database is unreachable the message is held and retried, never dropped.
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
        prefetch: int = 8,
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
        self.prefetch = prefetch

    async def run(self) -> None:
        channel = await self.broker.connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        queue = await channel.get_queue(self.broker.prefix + self.name, ensure=True)
        await queue.consume(self.on_message)
        await asyncio.Future()  # consume until cancelled

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
            item = envelope.event()
        except (ValidationError, UnknownEvent, ValueError) as error:
            log.error("dead-lettering unreadable message on %s: %s", self.name, error)
            self.metrics.events_dead_lettered.labels(self.name, "unreadable").inc()
            await message.reject(requeue=False)
            return
        current_correlation_id.set(envelope.correlation_id)
        current_causation_id.set(envelope.event_id)
        outcome = await self.apply(envelope, item)
        if outcome == "failed":
            self.metrics.events_dead_lettered.labels(self.name, "handler").inc()
            await message.reject(requeue=False)
        else:
            await message.ack()
        self.metrics.events_consumed.labels(self.name, envelope.type, outcome).inc()

    async def apply(self, envelope: Envelope, item: Event) -> str:
        """Run the handler once per event id; return applied, duplicate or failed."""
        handler = self.handlers[type(item)]
        attempt, backoff = 0, 0.2
        while True:
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    fresh = await conn.fetchval(
                        """INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)
                           ON CONFLICT DO NOTHING RETURNING true""",
                        self.name,
                        envelope.event_id,
                    )
                    if not fresh:
                        return "duplicate"
                    await handler(conn, envelope, item)
                return "applied"
            except TRANSIENT_ERRORS as error:
                log.warning("%s waiting for what it needs: %r", self.name, error)
            except Exception:
                attempt += 1
                log.exception("%s failed on %s (attempt %d)", self.name, envelope.type, attempt)
                if attempt >= self.max_attempts:
                    return "failed"
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
