"""The operators' custom resources as their CRDs (tests/deployment/crds, see PROVENANCE.md)
describe them: a JSON schema per apiVersion and kind, strict as `kubectl apply` is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CRDS = Path(__file__).parent / "crds"

Schema = dict[str, Any]


def crd_schemas() -> dict[tuple[str, str], Schema]:
    """(apiVersion, kind) → the openAPIV3Schema of every served version of every CRD kept here."""
    schemas = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version["served"]:
                schema = strict(version["schema"]["openAPIV3Schema"])
                schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def strict(schema: Schema) -> Schema:
    """`schema` refusing fields it does not name, as the API server's strict field validation
    (kubectl's default) refuses them, except where the CRD keeps unknown fields."""
    for node in _objects(schema):
        keeps_unknown = node.get("x-kubernetes-preserve-unknown-fields", False)
        if "properties" in node and "additionalProperties" not in node and not keeps_unknown:
            node["additionalProperties"] = False
    return schema


def _objects(node: Any) -> Iterator[Schema]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def problems(manifest: dict[str, Any], schema: Schema) -> list[str]:
    """What the operator's schema refuses in `manifest`, each with where it is."""
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '.'}: {error.message}"
        for error in validator.iter_errors(manifest)
    ]
