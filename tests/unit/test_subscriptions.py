"""Subscriptions declared beside their handlers: the bindings derived from them, and the handlers
a consumer gets from them."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType

import pytest

from devtools import subscriptions
from shared.db import Connection
from shared.events import Envelope
from shared.events.identity import UserRegistered
from shared.subscriptions import handlers_of, subscriber, subscriptions_in
from shared.topology import RETIRED_BINDINGS, SUBSCRIPTIONS

ROOT = Path(__file__).parents[2]


def test_the_generated_bindings_are_the_declarations() -> None:
    written = (ROOT / "shared" / "bindings.py").read_text()
    assert written == subscriptions.render(), (
        "python -m devtools.subscriptions > shared/bindings.py"
    )
    assert SUBSCRIPTIONS == subscriptions.SUBSCRIPTIONS


@pytest.mark.parametrize("module", subscriptions.HANDLER_MODULES, ids=lambda m: m.__name__)
def test_every_handler_declares_its_subscription(module: ModuleType) -> None:
    handlers = [
        value
        for name, value in vars(module).items()
        if name.startswith("on_") and inspect.iscoroutinefunction(value)
    ]
    assert handlers
    assert all(hasattr(handler, "subscription") for handler in handlers)


def test_each_queue_belongs_to_the_service_whose_handlers_declare_it() -> None:
    for module in subscriptions.HANDLER_MODULES:
        service = module.__name__.split(".")[1]
        assert {item.queue.split(".")[0] for item in subscriptions_in(module)} == {service}


def test_a_retired_binding_is_no_subscription() -> None:
    for queue, keys in RETIRED_BINDINGS.items():
        assert not {item.routing_key() for item in SUBSCRIPTIONS[queue]} & set(keys)


def test_the_event_is_the_handlers_event_parameter() -> None:
    with pytest.raises(TypeError, match="names no event type"):

        @subscriber("company.users")
        async def on_anything(conn: Connection, envelope: Envelope, event: object) -> None:
            pass


async def on_registered(
    conn: Connection, envelope: Envelope, event: UserRegistered, *, greeting: str
) -> None:
    pass


def test_handlers_get_the_dependencies_they_name_and_no_more() -> None:
    module = ModuleType("handlers")
    module.on_registered = subscriber("company.users")(on_registered)  # type: ignore[attr-defined]
    found = handlers_of(module, "company.users", greeting="hej", clock=None)
    handler = found[UserRegistered]
    assert handler.keywords == {"greeting": "hej"}  # type: ignore[attr-defined]
    assert handlers_of(module, "notifier.mail") == {}
    with pytest.raises(TypeError, match="needs greeting"):
        handlers_of(module, "company.users")


def test_two_handlers_for_one_event_of_one_queue_are_refused() -> None:
    module = ModuleType("handlers")

    async def on_user_registered(
        conn: Connection, envelope: Envelope, event: UserRegistered
    ) -> None:
        pass

    async def on_user_registered_again(
        conn: Connection, envelope: Envelope, event: UserRegistered
    ) -> None:
        pass

    module.first = subscriber("company.users")(on_user_registered)  # type: ignore[attr-defined]
    module.second = subscriber("company.users")(on_user_registered_again)  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="two handlers"):
        subscriptions_in(module)
