"""docs/asyncapi.json: what the generator makes of the events now, a valid AsyncAPI 3.0.0 document
by the official schema, and every event, publisher and consumer in it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema.protocols import Validator

from devtools import asyncapi
from shared.events import REGISTRY
from shared.events.contract import snapshot_path
from shared.topology import PUBLISHER_OF, SUBSCRIPTIONS

ROOT = Path(__file__).parents[2]
DOCUMENT = ROOT / "docs" / "asyncapi.json"
# The official schema, unchanged (tests/unit/asyncapi/README.md says where it comes from).
SCHEMA = Path(__file__).parent / "asyncapi" / "3.0.0.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator() -> Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_committed_document_is_what_the_events_make_now() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == asyncapi.render(), (
        "docs/asyncapi.json is out of date: python -m devtools.asyncapi > docs/asyncapi.json"
    )


def test_the_document_is_valid_asyncapi_3(document: dict[str, Any], validator: Validator) -> None:
    assert document["asyncapi"] == "3.0.0"
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def _without_title(document: dict[str, Any]) -> None:
    del document["info"]["title"]


def _transient_delivery(document: dict[str, Any]) -> None:
    document["operations"]["invoice.sent.v2.send"]["bindings"]["amqp"]["deliveryMode"] = 3


def _publish_action(document: dict[str, Any]) -> None:
    document["operations"]["invoice.sent.v2.send"]["action"] = "publish"


def _unknown_channel_binding(document: dict[str, Any]) -> None:
    document["channels"]["invoice.sent.v2"]["bindings"]["amqp"]["is"] = "exchange"


@pytest.mark.parametrize(
    "spoil",
    [_without_title, _transient_delivery, _publish_action, _unknown_channel_binding],
    ids=lambda spoil: spoil.__name__.strip("_"),
)
def test_the_schema_refuses_a_spoiled_document(
    document: dict[str, Any],
    validator: Validator,
    spoil: Callable[[dict[str, Any]], None],
) -> None:
    spoiled = copy.deepcopy(document)
    spoil(spoiled)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(spoiled)


def test_every_event_is_a_message_on_its_routing_key(document: dict[str, Any]) -> None:
    keys = {model.routing_key() for model in REGISTRY.values()}
    assert set(document["components"]["messages"]) == keys
    for key in keys:
        channel = document["channels"][key]
        assert channel["address"] == key
        assert channel["bindings"]["amqp"]["exchange"]["name"] == "portal.events"
        assert document["components"]["messages"][key]["bindings"]["amqp"]["messageType"] == key


def test_every_publisher_and_consumer_is_an_operation(document: dict[str, Any]) -> None:
    expected = {("send", model.routing_key(), model.routing_key()) for model in REGISTRY.values()}
    expected |= {
        ("receive", queue, model.routing_key())
        for queue, events in SUBSCRIPTIONS.items()
        for model in events
    }
    found = {
        (op["action"], _target(op["channel"]), _target(message))
        for op in document["operations"].values()
        for message in op["messages"]
    }
    assert found == expected
    for model in REGISTRY.values():
        send = document["operations"][f"{model.routing_key()}.send"]
        assert send["bindings"]["amqp"]["userId"] == PUBLISHER_OF[model]
        assert send["bindings"]["amqp"]["deliveryMode"] == 2


@pytest.mark.parametrize("model", REGISTRY.values(), ids=lambda m: m.routing_key())
def test_each_message_carries_its_committed_contract(document: dict[str, Any], model: Any) -> None:
    committed = json.loads(snapshot_path(model).read_text(encoding="utf-8"))
    message = document["components"]["messages"][model.routing_key()]
    expected = _inline(committed, {k: v for k, v in committed.items() if k != "$defs"})
    assert _inline(document, message["payload"]) == expected


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for reference in _references(document):
        _resolve(document, reference)


def _target(reference: dict[str, str]) -> str:
    """The last name of a reference: a channel's or a message's id."""
    return reference["$ref"].rsplit("/", 1)[-1]


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return own + [ref for item in value.values() for ref in _references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _references(item)]
    return []


def _resolve(root: dict[str, Any], reference: str) -> Any:
    """The value a local JSON pointer reference names; a KeyError if it names nothing."""
    value: Any = root
    for part in reference.removeprefix("#/").split("/"):
        value = value[part.replace("~1", "/").replace("~0", "~")]
    return value


def _inline(root: dict[str, Any], schema: Any) -> Any:
    """`schema` with every reference into `root` replaced by what it names (no event refers to
    itself, so this ends): two schemas compare equal whatever their definitions are called."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**_inline(root, _resolve(root, schema["$ref"])), **_inline(root, rest)}
        return {k: _inline(root, v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(root, item) for item in schema]
    return schema
