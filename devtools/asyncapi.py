"""Every event on the bus as an AsyncAPI 3.0.0 document (JSON), for whoever reads or consumes the
events without reading this code: written to docs/asyncapi.json, and a test keeps it true.

    python -m devtools.asyncapi > docs/asyncapi.json

Nothing in it is written by hand twice: each message's payload is the event's committed
contract (`shared.events.contract`, the envelope with the event's fields inside), the channels
and operations come from `shared.topology` (who publishes each event, which queue takes it), and
the AMQP properties are those `shared.broker` sets on every message it publishes.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools.broker_definitions import VHOST
from shared.events import REGISTRY, Event
from shared.events.contract import contract
from shared.topology import (
    DEAD_LETTER_EXCHANGE,
    EXCHANGE,
    PUBLISHER_OF,
    SUBSCRIPTIONS,
    consumer_of,
    dead_letter_queue,
)

ROOT = Path(__file__).parents[1]
AMQP_BINDING = "0.3.0"
CONTENT_TYPE = "application/json"
# `Broker.publish` publishes persistent messages.
PERSISTENT = 2
LOCAL_REFERENCE = "#/$defs/"
COMPONENT_SCHEMA = "#/components/schemas/"

DESCRIPTION = (
    "Every event the services publish on RabbitMQ, generated from the event models "
    "(`python -m devtools.asyncapi > docs/asyncapi.json`). Each message is a JSON envelope: "
    "`event_id` (unique, also the AMQP `message_id`), `type` and `version` (the routing key is "
    "`<type>.v<version>`, also the AMQP `type`), `occurred_at`, `producer` (the publishing "
    "service), `correlation_id` (shared by every event of one piece of work), `causation_id` "
    "(the `event_id` of the event whose handling caused this one, or null) and `payload`, the "
    "event's own fields. Delivery is at least once: a transactional outbox publishes with "
    "publisher confirms and may publish an event again, so every consumer applies an "
    "`event_id` once (its effect and a `processed_events` row commit together) and a "
    "redelivered event changes nothing. A published version never changes: a breaking change "
    "is a new version beside the old one, on its own routing key."
)


def models() -> list[type[Event]]:
    """Every event, newest version of each type first: the newest keeps the plain names of the
    definitions an older version shaped differently."""
    return sorted(REGISTRY.values(), key=lambda m: (m.event_type, -m.event_version))


@dataclass
class Schemas:
    """The shared definitions gathered from every event, and what each of them reaches, by which
    two events' definitions of one name are told the same or different."""

    definitions: dict[str, Any] = field(default_factory=dict)
    closures: dict[str, dict[str, Any]] = field(default_factory=dict)


def document() -> dict[str, Any]:
    schemas = Schemas()
    messages = {model.routing_key(): message(model, schemas) for model in models()}
    return {
        "asyncapi": "3.0.0",
        "info": info(),
        "servers": {"rabbitmq": server()},
        "defaultContentType": CONTENT_TYPE,
        "channels": {**routing_key_channels(), **queue_channels()},
        "operations": {**send_operations(), **receive_operations()},
        "components": {
            "messages": messages,
            "schemas": dict(sorted(schemas.definitions.items())),
            "securitySchemes": {"brokerUser": broker_user_scheme()},
        },
    }


def info() -> dict[str, Any]:
    """Versioned with the project, whose version a changed event contract moves on."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        "title": "Leverantörsportalen events",
        "version": project["version"],
        "description": DESCRIPTION,
        "license": {"name": project["license"]},
    }


def server() -> dict[str, Any]:
    return {
        "host": "{host}:{port}",
        "protocol": "amqp",
        "protocolVersion": "0-9-1",
        "title": "RabbitMQ",
        "description": (
            "The deployment's RabbitMQ, a lone node or a cluster: its addresses are "
            "`PORTAL_AMQP_URL` or `PORTAL_AMQP_URLS`. Every exchange and queue is in the virtual "
            f"host `{VHOST}`; where a deployment sets `PORTAL_QUEUE_PREFIX`, every exchange and "
            "queue name below carries it in front."
        ),
        "variables": {
            "host": {"default": "127.0.0.1", "description": "The deployment's broker host."},
            "port": {"default": "5672"},
        },
        "security": [{"$ref": "#/components/securitySchemes/brokerUser"}],
    }


def broker_user_scheme() -> dict[str, Any]:
    return {
        "type": "userPassword",
        "description": (
            "Each service logs in as its own broker user (its name, unless "
            "`PORTAL_BROKER_USERS` says otherwise; `guest` where every service shares one "
            "machine). RabbitMQ stamps that user as the `user_id` of every message the service "
            "publishes, and a consumer dead-letters an event whose `user_id` is not its "
            "publisher's."
        ),
    }


def message(model: type[Event], schemas: Schemas) -> dict[str, Any]:
    """The event's message: its committed contract as the payload, with the definitions it
    shares with other events moved to `components.schemas`."""
    key = model.routing_key()
    payload = hoist(contract(model), key, schemas)
    doc = (model.__doc__ or "").strip()
    return {
        "name": key,
        "title": f"{model.event_type} v{model.event_version}",
        "summary": doc.split("\n\n")[0].replace("\n", " "),
        "description": (
            f"{doc}\n\nPublished by the {PUBLISHER_OF[model]} service as a persistent "
            f"`{CONTENT_TYPE}` message whose AMQP `type` is `{key}`, `message_id` the envelope's "
            "`event_id`, and `user_id` the publishing service's broker user."
        ),
        "contentType": CONTENT_TYPE,
        "correlationId": {
            "description": "Shared by every event of one piece of work.",
            "location": "$message.payload#/correlation_id",
        },
        "payload": payload,
        "bindings": {"amqp": {"messageType": key, "bindingVersion": AMQP_BINDING}},
    }


def hoist(schema: dict[str, Any], key: str, schemas: Schemas) -> dict[str, Any]:
    """`schema` without its `$defs`: the event's payload becomes `components.schemas[key]`, and
    each other definition keeps its name there unless another event defined that name
    differently, when it is named after this event (`<routing key>.<name>`)."""
    definitions = schema.pop("$defs")
    names = {"Payload": key}
    for name in definitions:
        if name != "Payload":
            names[name] = component_name(name, key, definitions, schemas)
    for name, definition in definitions.items():
        schemas.definitions[names[name]] = rename(definition, names)
        schemas.closures[names[name]] = closure(name, definitions)
    envelope: dict[str, Any] = rename(schema, names)
    return envelope


def component_name(name: str, key: str, definitions: dict[str, Any], schemas: Schemas) -> str:
    """`name` if the component of that name is this very definition (with all it refers to),
    else the name qualified by the event's routing key."""
    known = schemas.closures.get(name)
    if known is None or known == closure(name, definitions):
        return name
    return f"{key}.{name}"


def closure(name: str, definitions: dict[str, Any]) -> dict[str, Any]:
    """The definition `name` and every definition it reaches: two definitions are the same only
    if all of these are."""
    found: dict[str, Any] = {}
    pending = [name]
    while pending:
        current = pending.pop()
        if current not in found:
            found[current] = definitions[current]
            pending += references(definitions[current])
    return found


def references(schema: Any) -> list[str]:
    """The names of the local definitions `schema` refers to."""
    if isinstance(schema, dict):
        found = [schema["$ref"].removeprefix(LOCAL_REFERENCE)] if "$ref" in schema else []
        return found + [name for value in schema.values() for name in references(value)]
    if isinstance(schema, list):
        return [name for value in schema for name in references(value)]
    return []


def rename(schema: Any, names: dict[str, str]) -> Any:
    """`schema` with its local references pointing at their components."""
    if isinstance(schema, dict):
        return {
            k: COMPONENT_SCHEMA + names[v.removeprefix(LOCAL_REFERENCE)]
            if k == "$ref"
            else rename(v, names)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [rename(value, names) for value in schema]
    return schema


def routing_key_channels() -> dict[str, Any]:
    """A channel per routing key, on the topic exchange its publisher publishes to."""
    return {
        model.routing_key(): {
            "address": model.routing_key(),
            "title": model.routing_key(),
            "description": (
                f"`{model.routing_key()}` on the topic exchange `{EXCHANGE}`; bound to "
                f"{queue_list(consumers(model))}."
            ),
            "messages": {model.routing_key(): message_reference(model)},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": EXCHANGE,
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                        "vhost": VHOST,
                    },
                    "bindingVersion": AMQP_BINDING,
                }
            },
        }
        for model in models()
    }


def queue_channels() -> dict[str, Any]:
    """A channel per consumer queue: where its service receives the events bound to it."""
    return {queue: queue_channel(queue, events) for queue, events in sorted(SUBSCRIPTIONS.items())}


def queue_channel(queue: str, events: tuple[type[Event], ...]) -> dict[str, Any]:
    keys = ", ".join(f"`{item.routing_key()}`" for item in events)
    return {
        "address": queue,
        "title": queue,
        "description": (
            f"The {consumer_of(queue)} service's durable quorum queue, bound to `{EXCHANGE}` "
            f"with {keys}. A message its consumer cannot read, or whose handler keeps failing, "
            f"goes to `{dead_letter_queue(queue)}` through the direct exchange "
            f"`{DEAD_LETTER_EXCHANGE}`."
        ),
        "messages": {item.routing_key(): message_reference(item) for item in events},
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": {
                    "name": queue,
                    "durable": True,
                    "exclusive": False,
                    "autoDelete": False,
                    "vhost": VHOST,
                },
                "bindingVersion": AMQP_BINDING,
            }
        },
    }


def send_operations() -> dict[str, Any]:
    """Each event sent by the one service that may publish it."""
    return {f"{model.routing_key()}.send": send_operation(model) for model in models()}


def send_operation(model: type[Event]) -> dict[str, Any]:
    key, service = model.routing_key(), PUBLISHER_OF[model]
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{key}"},
        "title": f"{service} sends {key}",
        "description": (
            f"The {service} service publishes from its transactional outbox, with publisher "
            f"confirms; `userId` is its broker user (`{service}` unless "
            "`PORTAL_BROKER_USERS` names another), which RabbitMQ vouches for."
        ),
        "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        "bindings": {
            "amqp": {
                "userId": service,
                "deliveryMode": PERSISTENT,
                "mandatory": True,
                "bindingVersion": AMQP_BINDING,
            }
        },
    }


def receive_operations() -> dict[str, Any]:
    """Each event received on every queue bound to it."""
    return {
        f"{model.routing_key()}.receive.{queue}": receive_operation(model, queue)
        for model in models()
        for queue in consumers(model)
    }


def receive_operation(model: type[Event], queue: str) -> dict[str, Any]:
    key, service = model.routing_key(), consumer_of(queue)
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{queue}"},
        "title": f"{service} receives {key} on {queue}",
        "description": (
            f"The {service} service takes `{key}` from `{queue}` only if its `user_id` is the "
            f"{PUBLISHER_OF[model]} service's broker user, applies each `event_id` once, and "
            "acknowledges it once applied."
        ),
        "messages": [{"$ref": f"#/channels/{queue}/messages/{key}"}],
        "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING}},
    }


def consumers(model: type[Event]) -> list[str]:
    """The queues bound to the event's routing key."""
    return sorted(queue for queue, events in SUBSCRIPTIONS.items() if model in events)


def queue_list(queues: list[str]) -> str:
    return ", ".join(f"`{queue}`" for queue in queues) or "no queue"


def message_reference(model: type[Event]) -> dict[str, str]:
    return {"$ref": f"#/components/messages/{model.routing_key()}"}


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
