"""Every event the services publish, typed and versioned; the registry maps (type, version)."""

from shared.events import company, identity, invoice
from shared.events.base import REGISTRY, Envelope, Event, UnknownEvent, event, wrap

__all__ = [
    "REGISTRY",
    "Envelope",
    "Event",
    "UnknownEvent",
    "company",
    "event",
    "identity",
    "invoice",
    "wrap",
]
