"""A robust RabbitMQ connection with a confirming channel for publishing."""

from __future__ import annotations

import uuid

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

from shared.topology import declare_topology


class Broker:
    """The connection a service holds; reconnects by itself after an outage."""

    def __init__(
        self,
        connection: AbstractRobustConnection,
        channel: AbstractChannel,
        exchange: AbstractExchange,
        prefix: str,
    ) -> None:
        self.connection = connection
        self.channel = channel
        self.exchange = exchange
        self.prefix = prefix

    @classmethod
    async def connect(cls, url: str, prefix: str) -> Broker:
        connection = await aio_pika.connect_robust(url, reconnect_interval=1)
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_topology(channel, prefix)
        return cls(connection, channel, exchange, prefix)

    async def publish(self, routing_key: str, body: bytes, event_id: uuid.UUID) -> None:
        """Publish persistently and wait for the broker's confirmation."""
        await self.exchange.publish(
            aio_pika.Message(
                body,
                message_id=str(event_id),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                type=routing_key,
            ),
            routing_key=routing_key,
            timeout=10,
        )

    @property
    def is_connected(self) -> bool:
        return not self.connection.is_closed and not self.channel.is_closed

    async def close(self) -> None:
        await self.connection.close()
