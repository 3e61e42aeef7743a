"""The bus's shape: one durable topic exchange, and per consumer a durable queue and its dead letters.

Every service declares the whole topology at start, so an event published before its consumer
first ran still finds its queue.
"""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange

from shared.events import Event
from shared.events.company import (
    BuyerChanged,
    ConnectionEstablished,
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
    UserRegistered,
)
from shared.events.invoice import (
    InvoiceDelivered,
    InvoiceDeliveryFailed,
    InvoiceRendered,
    InvoiceRenderingFailed,
    InvoiceSent,
    InvoiceSentV1,
)

EXCHANGE = "portal.events"
DEAD_LETTER_EXCHANGE = "portal.dead-letters"

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
    ),
    "company": (
        SupplierInvited,
        SupplierProfileChanged,
        BuyerChanged,
        TermsAccepted,
        ConnectionEstablished,
    ),
    "invoice": (InvoiceSent, InvoiceSentV1),
    "renderer": (InvoiceRendered, InvoiceRenderingFailed),
    "notifier": (InvoiceDelivered, InvoiceDeliveryFailed),
}
PUBLISHER_OF: dict[type[Event], str] = {
    item: service for service, events in PUBLISHERS.items() for item in events
}

# Each queue is named after the service that consumes it: `<service>.<what>`.
SUBSCRIPTIONS: dict[str, tuple[type[Event], ...]] = {
    "identity.invitations": (SupplierInvited,),
    "company.users": (UserRegistered,),
    "invoice.company": (
        SupplierProfileChanged,
        BuyerChanged,
        TermsAccepted,
        ConnectionEstablished,
    ),
    "invoice.statuses": (
        InvoiceRendered,
        InvoiceRenderingFailed,
        InvoiceDelivered,
        InvoiceDeliveryFailed,
    ),
    "renderer.invoices": (InvoiceSent, InvoiceSentV1),
    "notifier.mail": (
        EmailConfirmationRequested,
        RegistrationAttemptedForExistingAccount,
        PasswordResetRequested,
        PasswordChanged,
        SupplierInvited,
        InvoiceRendered,
    ),
}


async def declare_topology(channel: AbstractChannel, prefix: str) -> AbstractExchange:
    """Declare exchanges, queues, dead-letter queues and bindings; return the event exchange."""
    exchange = await channel.declare_exchange(
        prefix + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
    )
    dead = await channel.declare_exchange(
        prefix + DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
    )
    for name, events in SUBSCRIPTIONS.items():
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
        for item in events:
            await queue.bind(exchange, routing_key=item.routing_key())
    return exchange


def consumer_of(queue_name: str) -> str:
    return queue_name.split(".")[0]


def dead_letter_queue(queue_name: str) -> str:
    return f"{queue_name}.dead"
