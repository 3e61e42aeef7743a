"""Each event's published contract: a JSON schema of its envelope, committed as a snapshot.

Consumers validate with `extra="forbid"`, so any change to a published version would break them:
a changed event is a new version beside the old one, and the old snapshot never changes.

    python -m shared.events.contract    # write snapshots for new event versions
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.events.base import REGISTRY, Envelope, Event

SNAPSHOTS = Path(__file__).parent / "schemas"


def snapshot_path(model: type[Event]) -> Path:
    return SNAPSHOTS / f"{model.routing_key()}.json"


def contract(model: type[Event]) -> dict[str, Any]:
    """The envelope's schema with this event's type, version and payload filled in."""
    schema = Envelope.model_json_schema()
    payload = model.model_json_schema()
    schema["title"] = f"{model.event_type} v{model.event_version}"
    schema["description"] = (model.__doc__ or "").strip()
    schema["properties"]["type"] = {"const": model.event_type, "type": "string"}
    schema["properties"]["version"] = {"const": model.event_version, "type": "integer"}
    schema["properties"]["payload"] = {"$ref": "#/$defs/Payload"}
    schema.setdefault("$defs", {}).update(payload.pop("$defs", {}))
    schema["$defs"]["Payload"] = payload
    return schema


def render(model: type[Event]) -> str:
    return json.dumps(contract(model), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_new_snapshots() -> list[Path]:
    """Write the snapshot of every event version that has none; never touch an existing one."""
    written = []
    for model in REGISTRY.values():
        path = snapshot_path(model)
        if not path.exists():
            path.write_text(render(model), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    import shared.events  # noqa: F401 - registers every event

    for path in write_new_snapshots():
        print(f"wrote {path}")
