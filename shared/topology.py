"""The bus's shape: one durable topic exchange, and per consumer a durable queue and its dead letters.

Every service declares the whole topology at start, so an event published before its consumer
first ran still finds its queue. Every queue is a quorum queue, replicated over the nodes of a
cluster, so a node going away loses no message; queues made classic by an older version are
moved over by `portal broker migrate-queues` (shared/queue_migration.py).
"""

from __future__ import annotations

from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange, AbstractQueue

from shared.bindings import BINDINGS
from shared.events import REGISTRY, Event
from shared.events.company import (
    BankAccountChanged,
    BuyerChanged,
    BuyerChangedV1,
    BuyerUsersChanged,
    ConnectionEstablished,
    MemberInvited,
    SupplierInvited,
    SupplierProfileChanged,
    TermsAccepted,
)
from shared.events.identity import (
    EmailConfirmationRequested,
    EmailConfirmed,
    LanguageChanged,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
    UserDeleted,
    UserRegistered,
)
from shared.events.invoice import (
    InvoiceDelivered,
    InvoiceDeliveryFailed,
    InvoiceRendered,
    InvoiceRenderedV1,
    InvoiceRenderingFailed,
    InvoiceSent,
    InvoiceSentV1,
    InvoiceSentV2,
    InvoiceStatusChanged,
)

EXCHANGE = "portal.events"
DEAD_LETTER_EXCHANGE = "portal.dead-letters"

# The consumer settles every message it is handed, so a message handed out this often was never
# settled: its consumer died or lost the broker each time. It goes to the dead letters instead of
# coming back forever. The limit leaves room for a message caught in many broker outages.
DELIVERY_LIMIT = 20
# Nothing consumes the dead letters: no delivery limit, which would drop what it caught.
DEAD_LETTER_QUEUE_ARGUMENTS: dict[str, Any] = {"x-queue-type": "quorum"}

# Which service publishes each event: a consumer takes an event only from that service's broker
# user (the message's `user_id`, which RabbitMQ checks against the connection's user).
PUBLISHERS: dict[str, tuple[type[Event], ...]] = {
    "identity": (
        UserRegistered,
        EmailConfirmationRequested,
        EmailConfirmed,
        RegistrationAttemptedForExistingAccount,
        PasswordResetRequested,
        PasswordChanged,
        LanguageChanged,
        UserDeleted,
    ),
    "company": (
        SupplierInvited,
        SupplierProfileChanged,
        BuyerChanged,
        BuyerChangedV1,
        TermsAccepted,
        ConnectionEstablished,
        BankAccountChanged,
        MemberInvited,
        BuyerUsersChanged,
    ),
    "invoice": (InvoiceSent, InvoiceSentV2, InvoiceSentV1, InvoiceStatusChanged),
    "renderer": (InvoiceRendered, InvoiceRenderedV1, InvoiceRenderingFailed),
    "notifier": (InvoiceDelivered, InvoiceDeliveryFailed),
}
PUBLISHER_OF: dict[type[Event], str] = {
    item: service for service, events in PUBLISHERS.items() for item in events
}

# Each queue is named after the service that consumes it: `<service>.<what>`. Its events are
# declared beside their handlers (`shared.subscriptions.subscriber`) and generated into
# `shared.bindings` (`python -m devtools.subscriptions`).
_BY_ROUTING_KEY = {item.routing_key(): item for item in REGISTRY.values()}
SUBSCRIPTIONS: dict[str, tuple[type[Event], ...]] = {
    queue: tuple(_BY_ROUTING_KEY[key] for key in keys) for queue, keys in BINDINGS.items()
}

# Bindings an older version declared and no handler wants any more: each consumer removes its
# own at start, or every such event would be dead-lettered as one it cannot apply.
RETIRED_BINDINGS: dict[str, tuple[str, ...]] = {
    # Rendered changed nothing the invoice service keeps: only delivery or its failure does.
    "invoice.statuses": ("invoice.rendered.v1",),
}


async def declare_topology(
    connection: AbstractConnection, channel: AbstractChannel, prefix: str
) -> AbstractExchange:
    """Declare both exchanges, and every queue that does not exist yet with its dead letters and
    bindings; return the event exchange.

    Each service may configure its own queues alone (deploy/rabbitmq): it only checks that the
    others' exist, which the deployment makes sure of, and creates those missing where it may
    (one broker user for all, in development and the tests).
    """
    exchange = await channel.declare_exchange(
        prefix + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
    )
    await channel.declare_exchange(
        prefix + DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
    )
    for name in SUBSCRIPTIONS:
        if not await queue_exists(connection, prefix + name):
            await declare_queue(channel, prefix, name)
    return exchange


async def declare_queue(channel: AbstractChannel, prefix: str, name: str) -> AbstractQueue:
    """Declare the consumer queue `name`, its dead-letter queue and their bindings."""
    queue_name = prefix + name
    dead = await channel.get_exchange(prefix + DEAD_LETTER_EXCHANGE, ensure=False)
    dead_queue = await channel.declare_queue(
        dead_letter_queue(queue_name), durable=True, arguments=DEAD_LETTER_QUEUE_ARGUMENTS
    )
    await dead_queue.bind(dead, routing_key=queue_name)
    queue = await channel.declare_queue(
        queue_name, durable=True, arguments=queue_arguments(queue_name, dead.name)
    )
    exchange = await channel.get_exchange(prefix + EXCHANGE, ensure=False)
    for item in SUBSCRIPTIONS[name]:
        await queue.bind(exchange, routing_key=item.routing_key())
    for key in RETIRED_BINDINGS.get(name, ()):
        # Removing a binding that is not there changes nothing.
        await queue.unbind(exchange, routing_key=key)
    return queue


async def queue_exists(
    connection: AbstractConnection, queue_name: str, arguments: dict[str, Any] | None = None
) -> bool:
    """Whether the queue exists; with `arguments`, whether the existing queue was declared with
    them (declaring it so again changes nothing then, and fails otherwise)."""
    # A passive declaration needs no permission; a failed declaration closes its channel.
    channel = await connection.channel()
    try:
        if arguments is None:
            await channel.declare_queue(queue_name, passive=True)
        else:
            await channel.declare_queue(queue_name, durable=True, arguments=arguments)
    except (
        aio_pika.exceptions.ChannelNotFoundEntity,
        aio_pika.exceptions.ChannelPreconditionFailed,
    ):
        return False
    finally:
        if not channel.is_closed:
            await channel.close()
    return True


def queue_arguments(queue_name: str, dead_letter_exchange: str) -> dict[str, Any]:
    """A consumer queue's: quorum, its dead letters through `dead_letter_exchange`.

    At-least-once dead-lettering keeps a rejected message in the queue until its dead-letter
    queue has confirmed it, so a dead letter survives a node lost meanwhile; RabbitMQ allows it
    only with `reject-publish`, which refuses (nacks) a publish only if a length limit were set.
    """
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": DELIVERY_LIMIT,
        "x-dead-letter-exchange": dead_letter_exchange,
        "x-dead-letter-routing-key": queue_name,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def consumer_of(queue_name: str) -> str:
    return queue_name.split(".")[0]


def dead_letter_queue(queue_name: str) -> str:
    return f"{queue_name}.dead"
