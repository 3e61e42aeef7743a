"""Which queue feeds each event handler, declared where the handler is defined.

    @subscriber("invoice.statuses")
    async def on_invoice_delivered(conn, envelope, event: InvoiceDelivered) -> None: ...

The event is the type of the handler's `event` parameter, so the declaration and the signature
cannot disagree. The queues' bindings are derived from these declarations (`bindings`; all of
them in `devtools/subscriptions.py`), and a service's consumer takes its handlers from them
(`handlers_of`): a handler without its subscription, or the reverse, cannot happen.

A handler with slow work to do (fetching, rendering) declares a preparer beside it, which does
that work before the transaction opens; the handler then records what it prepared:

    async def prepare_mails(envelope, event: InvoiceRendered, *, documents) -> Mails: ...

    @subscriber("notifier.mail", prepare=prepare_mails)
    async def on_invoice_rendered(conn, envelope, event: InvoiceRendered, *, prepared: Mails): ...
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import Any, TypeVar, get_type_hints

from shared.consumer import Handler, TwoStepHandler
from shared.events import Event

H = TypeVar("H", bound=Callable[..., Awaitable[None]])

# The keyword argument in which a handler with a preparer receives what it prepared.
PREPARED = "prepared"


@dataclass(frozen=True)
class Subscription:
    queue: str
    event: type[Event]
    handler: Callable[..., Awaitable[None]]
    prepare: Callable[..., Awaitable[Any]] | None = None


def subscriber(
    queue: str, *, prepare: Callable[..., Awaitable[Any]] | None = None
) -> Callable[[H], H]:
    """Declare that the handler applies, from `queue`, the event its `event` parameter names.
    `prepare(envelope, event)`, if given, runs first, outside the transaction, and the handler
    takes what it returns as `prepared`."""

    def declare(handler: H) -> H:
        event = get_type_hints(handler).get("event")
        if not (isinstance(event, type) and issubclass(event, Event)):
            raise TypeError(f"{handler.__qualname__}: its `event` parameter names no event type")
        if prepare is not None and PREPARED not in _keyword_only(handler):
            raise TypeError(f"{handler.__qualname__}: takes no `{PREPARED}` to record")
        subscription = Subscription(queue, event, handler, prepare)
        handler.subscription = subscription  # type: ignore[attr-defined]
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
    """The module's handlers of `queue`, each handler and preparer given the keyword-only
    arguments it takes (the renderer, the clock) from `dependencies`; one it takes and is not
    given is an error at start."""
    handlers: dict[type[Event], Handler] = {}
    for item in subscriptions_in(module):
        if item.queue != queue:
            continue
        if item.prepare is None:
            handlers[item.event] = _given(item.handler, dependencies)
        else:
            handlers[item.event] = TwoStepHandler(
                prepare=_given(item.prepare, dependencies),
                record=_given(item.handler, dependencies, besides=PREPARED),
            )
    return handlers


def _given(
    function: Callable[..., Awaitable[Any]], dependencies: dict[str, Any], besides: str = ""
) -> partial[Awaitable[Any]]:
    """`function` with its keyword-only arguments from `dependencies`, all but `besides`, which
    the consumer passes itself."""
    wanted = [name for name in _keyword_only(function) if name != besides]
    if missing := [name for name in wanted if name not in dependencies]:
        raise TypeError(f"{function.__qualname__} needs {', '.join(missing)}")
    return partial(function, **{name: dependencies[name] for name in wanted})


def _keyword_only(function: Callable[..., Any]) -> list[str]:
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
