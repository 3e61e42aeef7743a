"""Published events keep their shape: a change is a new version, never an edit."""

from __future__ import annotations

import pytest

from shared.events import REGISTRY, Envelope, Event, UnknownEvent, wrap
from shared.events.contract import render, snapshot_path
from tests.events import user_registered


@pytest.mark.parametrize("model", REGISTRY.values(), ids=lambda m: m.routing_key())
def test_each_event_matches_its_committed_snapshot(model: type[Event]) -> None:
    path = snapshot_path(model)
    assert path.exists(), (
        f"no snapshot for {model.routing_key()}: run python -m shared.events.contract"
    )
    assert path.read_text(encoding="utf-8") == render(model), (
        f"{model.routing_key()} changed after it was published: add version "
        f"{model.event_version + 1} beside it instead"
    )


def test_an_envelope_round_trips_to_its_typed_event() -> None:
    event = user_registered()
    envelope = Envelope.model_validate_json(wrap(event, producer="identity").model_dump_json())
    assert envelope.event() == event
    assert envelope.type == "identity.user_registered" and envelope.version == 1


def test_unknown_versions_and_extra_fields_are_refused() -> None:
    event = user_registered()
    envelope = wrap(event, producer="identity")
    with pytest.raises(UnknownEvent):
        envelope.model_copy(update={"version": 99}).event()
    with pytest.raises(ValueError):
        envelope.model_copy(update={"payload": {**envelope.payload, "admin": True}}).event()
