"""A robust RabbitMQ connection with a confirming channel for publishing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection
from yarl import URL

from shared.topology import declare_topology


class Broker:
    """The connection a service holds; reconnects by itself after an outage.

    `user` is the broker user it logs in as, stamped on every message it publishes;
    `user_of(service)` the user a consumer expects on the events `service` publishes: by
    default this connection's own, as when every service shares one user.
    """

    def __init__(
        self,
        connection: AbstractRobustConnection,
        channel: AbstractChannel,
        exchange: AbstractExchange,
        prefix: str,
        user: str,
        user_of: Callable[[str], str],
    ) -> None:
        self.connection = connection
        self.channel = channel
        self.exchange = exchange
        self.prefix = prefix
        self.user = user
        self.user_of = user_of

    @classmethod
    async def connect(
        cls, url: str, prefix: str, *, user_of: Callable[[str], str] | None = None
    ) -> Broker:
        # aio-pika, like RabbitMQ's clients, logs in as guest when the URL names no user.
        user = URL(url).user or "guest"
        connection = await aio_pika.connect_robust(url, reconnect_interval=1)
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_topology(connection, channel, prefix)
        return cls(connection, channel, exchange, prefix, user, user_of or (lambda _: user))

    async def publish(self, routing_key: str, body: bytes, event_id: uuid.UUID) -> None:
        """Publish persistently and wait for the broker's confirmation."""
        await self.exchange.publish(
            aio_pika.Message(
                body,
                message_id=str(event_id),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                type=routing_key,
                # RabbitMQ refuses a user_id other than the connection's: consumers can trust it.
                user_id=self.user,
            ),
            routing_key=routing_key,
            timeout=10,
        )

    @property
    def is_connected(self) -> bool:
        return not self.connection.is_closed and not self.channel.is_closed

    async def close(self) -> None:
        await self.connection.close()
