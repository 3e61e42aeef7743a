"""The broker as a deployment defines it: the queues and bindings the handlers declare
(`devtools.subscriptions`) with the arguments of `shared.topology`, and per service
permissions to configure and read its own queues and the exchanges, and to write to the event
exchange and its own queues. Written to deploy/rabbitmq/definitions.json; a test keeps it true.

    python -m devtools.broker_definitions > deploy/rabbitmq/definitions.json

It holds no user and no password: deploy/rabbitmq/start.sh adds each service's user with the
password from the environment before importing it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from devtools.subscriptions import SUBSCRIPTIONS
from shared.topology import (
    DEAD_LETTER_EXCHANGE,
    DEAD_LETTER_QUEUE_ARGUMENTS,
    EXCHANGE,
    PUBLISHERS,
    consumer_of,
    dead_letter_queue,
    queue_arguments,
)

VHOST = "/"


def broker_users() -> list[str]:
    """Every service that connects to the broker: those that publish or consume events."""
    consumers = {consumer_of(name) for name in SUBSCRIPTIONS}
    return sorted(set(PUBLISHERS) | consumers)


def permissions(service: str) -> dict[str, str]:
    """RabbitMQ's regular expressions for what `service` may configure, write and read."""
    own = re.escape(service + ".") + ".+"
    events, dead = re.escape(EXCHANGE), re.escape(DEAD_LETTER_EXCHANGE)
    return {
        # Declaring: both exchanges, its own queues and their dead letters.
        "configure": f"^({events}|{dead}|{own})$",
        # Publishing to the event exchange; binding its own queues.
        "write": f"^({events}|{own})$",
        # Binding from both exchanges; consuming its own queues.
        "read": f"^({events}|{dead}|{own})$",
    }


def definitions() -> dict[str, Any]:
    queues, bindings = [], []
    for name, events in SUBSCRIPTIONS.items():
        dead = dead_letter_queue(name)
        queues += [
            _queue(dead, DEAD_LETTER_QUEUE_ARGUMENTS),
            _queue(name, queue_arguments(name, DEAD_LETTER_EXCHANGE)),
        ]
        bindings.append(_binding(DEAD_LETTER_EXCHANGE, dead, name))
        bindings += [_binding(EXCHANGE, name, item.routing_key()) for item in events]
    return {
        "vhosts": [{"name": VHOST}],
        "permissions": [
            {"user": service, "vhost": VHOST} | permissions(service) for service in broker_users()
        ],
        "exchanges": [
            _exchange(EXCHANGE, "topic"),
            _exchange(DEAD_LETTER_EXCHANGE, "direct"),
        ],
        "queues": queues,
        "bindings": bindings,
    }


def _exchange(name: str, kind: str) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": VHOST,
        "type": kind,
        "durable": True,
        "auto_delete": False,
        "internal": False,
        "arguments": {},
    }


def _queue(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": VHOST,
        "durable": True,
        "auto_delete": False,
        "arguments": arguments,
    }


def _binding(exchange: str, queue: str, routing_key: str) -> dict[str, Any]:
    return {
        "source": exchange,
        "vhost": VHOST,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": routing_key,
        "arguments": {},
    }


def render() -> str:
    return json.dumps(definitions(), indent=2) + "\n"


if __name__ == "__main__":
    print(render(), end="")
