"""A robust RabbitMQ connection over the nodes of a cluster, with a confirming channel for
publishing."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence

import aio_pika
from aio_pika import RobustConnection
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection
from aio_pika.exceptions import CONNECTION_EXCEPTIONS, DeliveryError
from yarl import URL

from shared.topology import EXCHANGE, declare_topology

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 1
# A node that neither answers nor refuses (a machine gone) is given up for the next after this.
CONNECT_TIMEOUT_SECONDS = 10


class RotatingConnection(RobustConnection):
    """aio-pika's robust connection (channels, queues and consumers restored after a reconnect)
    over several addresses: the first that answers, and after losing it the next in turn.

    aio-pika's reconnect loop connects to `self.url` alone; each of its attempts here tries every
    address once, starting after the one last used, so a node that went away is tried last.
    """

    def __init__(self, urls: Sequence[str]) -> None:
        if not urls:
            raise ValueError("no broker address")
        super().__init__(URL(urls[0]), reconnect_interval=RECONNECT_SECONDS)
        self.urls = [URL(url) for url in urls]
        self.connections = 0
        self._next = 0

    # aio-pika 10's reconnect loop calls its private `__connect_transport` for every attempt.
    async def _RobustConnection__connect_transport(self) -> None:
        failure: BaseException | None = None
        for _ in self.urls:
            self.url = self.urls[self._next]
            self._next = (self._next + 1) % len(self.urls)
            try:
                await super()._RobustConnection__connect_transport()  # type: ignore[misc]
            except CONNECTION_EXCEPTIONS as error:
                log.warning("broker at %s unavailable: %r", self, error)
                failure = error
                continue
            self.connections += 1
            if self.connections > 1:
                log.warning("reconnected to the broker at %s", self)
            return
        assert failure is not None
        raise failure


async def connect_rotating(urls: Sequence[str]) -> RotatingConnection:
    """A `RotatingConnection`, once one address has answered; raises if none does."""
    connection = RotatingConnection(urls)
    await connection.connect(timeout=CONNECT_TIMEOUT_SECONDS)
    return connection


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
        self._renewing = asyncio.Lock()

    @classmethod
    async def connect(
        cls,
        urls: str | Sequence[str],
        prefix: str,
        *,
        user_of: Callable[[str], str] | None = None,
    ) -> Broker:
        """Connect to the first of the cluster's `urls` (one URL: a lone node) that answers."""
        urls = [urls] if isinstance(urls, str) else list(urls)
        # aio-pika, like RabbitMQ's clients, logs in as guest when the URL names no user.
        user = URL(urls[0]).user or "guest"
        connection = await connect_rotating(urls)
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_topology(connection, channel, prefix)
        return cls(connection, channel, exchange, prefix, user, user_of or (lambda _: user))

    async def publish(self, routing_key: str, body: bytes, event_id: uuid.UUID) -> None:
        """Publish persistently and wait for the broker's confirmation.

        A refused publish (a nack) raises `DeliveryError` after the channel is replaced: a
        channel's first publish to a quorum queue registers with the queue's leader, and a
        channel that found no leader (its node just stopped) is refused by that queue for as
        long as it lives, even once a new leader is elected. A new channel registers anew.
        """
        exchange = self.exchange
        try:
            await exchange.publish(
                aio_pika.Message(
                    body,
                    message_id=str(event_id),
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    type=routing_key,
                    # RabbitMQ refuses a user_id other than the connection's: consumers can
                    # trust it.
                    user_id=self.user,
                ),
                routing_key=routing_key,
                timeout=10,
            )
        except DeliveryError:
            await self._renew_channel(exchange)
            raise

    async def _renew_channel(self, refused: AbstractExchange) -> None:
        """Replace the channel that `refused` publishes on, once for all the publishes it
        refused together."""
        async with self._renewing:
            if self.exchange is not refused or self.connection.is_closed:
                return
            log.warning("publish refused by the broker: publishing on a new channel")
            old = self.channel
            self.channel = await self.connection.channel(publisher_confirms=True)
            self.exchange = await self.channel.get_exchange(self.prefix + EXCHANGE, ensure=False)
            if not old.is_closed:
                await old.close()

    @property
    def is_connected(self) -> bool:
        return not self.connection.is_closed and not self.channel.is_closed

    async def close(self) -> None:
        await self.connection.close()
