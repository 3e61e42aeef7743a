"""Event models and the envelope every message on the bus travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.context import current_causation_id, current_correlation_id


class Event(BaseModel):
    """A fact that happened, in the past tense. Subclasses register with `@event`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int]

    @classmethod
    def routing_key(cls) -> str:
        return f"{cls.event_type}.v{cls.event_version}"


class Envelope(BaseModel):
    """What travels on the bus: identity, time, provenance and the event's own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID
    type: str = Field(max_length=100)
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    producer: str = Field(max_length=50)
    correlation_id: str = Field(max_length=100)
    causation_id: uuid.UUID | None = None
    payload: dict[str, Any]

    def event(self) -> Event:
        """The payload as its typed event; raises UnknownEvent or a ValidationError."""
        model = REGISTRY.get((self.type, self.version))
        if model is None:
            raise UnknownEvent(f"{self.type} v{self.version}")
        return model.model_validate(self.payload)


class UnknownEvent(ValueError):
    pass


REGISTRY: dict[tuple[str, int], type[Event]] = {}

E = TypeVar("E", bound=type[Event])


def event(event_type: str, version: int) -> Any:
    """Register an event model under its type and version."""

    def register(model: E) -> E:
        key = (event_type, version)
        if key in REGISTRY:
            raise ValueError(f"event {event_type} v{version} registered twice")
        model.event_type = event_type
        model.event_version = version
        REGISTRY[key] = model
        return model

    return register


def wrap(item: Event, *, producer: str) -> Envelope:
    """An envelope for `item`, carrying the correlation and causation of the work at hand."""
    return Envelope(
        event_id=uuid.uuid4(),
        type=item.event_type,
        version=item.event_version,
        occurred_at=datetime.now(UTC),
        producer=producer,
        correlation_id=current_correlation_id.get() or str(uuid.uuid4()),
        causation_id=current_causation_id.get(),
        payload=item.model_dump(mode="json"),
    )
