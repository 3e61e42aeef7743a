"""Which queue feeds each event handler, declared where the handler is defined.

    @subscriber("invoice.statuses")
    async def on_invoice_delivered(conn, envelope, event: InvoiceDelivered) -> None: ...

The event is the type of the handler's `event` parameter, so the declaration and the signature
cannot disagree. The queues' bindings are derived from these declarations (`bindings`; all of
them in `services/subscriptions.py`), and a service's consumer takes its handlers from them
(`handlers_of`): a handler without its subscription, or the reverse, cannot happen.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import Any, TypeVar, get_type_hints

from shared.consumer import Handler
from shared.events import Event

H = TypeVar("H", bound=Callable[..., Awaitable[None]])


@dataclass(frozen=True)
class Subscription:
    queue: str
    event: type[Event]
    handler: Callable[..., Awaitable[None]]


def subscriber(queue: str) -> Callable[[H], H]:
    """Declare that the handler applies, from `queue`, the event its `event` parameter names."""

    def declare(handler: H) -> H:
        event = get_type_hints(handler).get("event")
        if not (isinstance(event, type) and issubclass(event, Event)):
            raise TypeError(f"{handler.__qualname__}: its `event` parameter names no event type")
        handler.subscription = Subscription(queue, event, handler)  # type: ignore[attr-defined]
        return handler

    return declare


def subscriptions_in(*modules: ModuleType) -> list[Subscription]:
    """Every subscription declared in `modules`, each once; two handlers for one event of one
    queue are refused."""
    found: dict[tuple[str, type[Event]], Subscription] = {}
    for module in modules:
        for value in vars(module).values():
            item = getattr(value, "subscription", None)
            if not isinstance(item, Subscription):
                continue
            known = found.setdefault((item.queue, item.event), item)
            if known.handler is not item.handler:
                raise TypeError(f"{item.queue} has two handlers for {item.event.routing_key()}")
    return list(found.values())


def bindings(subscriptions: Iterable[Subscription]) -> dict[str, tuple[type[Event], ...]]:
    """Each queue's events, queues and events in the order of their routing keys."""
    queues: dict[str, list[type[Event]]] = {}
    for item in sorted(subscriptions, key=lambda s: (s.queue, s.event.routing_key())):
        queues.setdefault(item.queue, []).append(item.event)
    return {queue: tuple(events) for queue, events in queues.items()}


def handlers_of(module: ModuleType, queue: str, **dependencies: Any) -> dict[type[Event], Handler]:
    """The module's handlers of `queue`, each given the keyword-only arguments it takes (the
    renderer, the clock) from `dependencies`; one it takes and is not given is an error at start."""
    handlers: dict[type[Event], Handler] = {}
    for item in subscriptions_in(module):
        if item.queue != queue:
            continue
        wanted = [
            name
            for name, parameter in inspect.signature(item.handler).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        if missing := [name for name in wanted if name not in dependencies]:
            raise TypeError(f"{item.handler.__qualname__} needs {', '.join(missing)}")
        handlers[item.event] = partial(item.handler, **{k: dependencies[k] for k in wanted})
    return handlers
