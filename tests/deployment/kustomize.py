"""The part of kustomize that deploy/kubernetes uses, to read it as `kubectl apply -k` would:
the `resources` files, the `namespace` and the `labels` (on each resource's own metadata).
Anything else in a kustomization is refused, so that this reading cannot silently fall behind
the file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

KNOWN_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources"}
# Kinds that live outside any namespace.
CLUSTER_SCOPED = {"Namespace"}

Manifest = dict[str, Any]


def kustomization(directory: Path) -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(found) - KNOWN_FIELDS
    assert not unknown, f"tests/deployment/kustomize.py does not read {sorted(unknown)}"
    return found


def build(directory: Path) -> list[Manifest]:
    """Every resource the kustomization in `directory` applies, as kustomize renders it."""
    spec = kustomization(directory)
    manifests = []
    for name in spec["resources"]:
        for document in yaml.safe_load_all((directory / name).read_text()):
            if document is not None:
                manifests.append(_transformed(document, spec))
    return manifests


def _transformed(manifest: Manifest, spec: dict[str, Any]) -> Manifest:
    manifest = copy.deepcopy(manifest)
    metadata = manifest.setdefault("metadata", {})
    if "namespace" in spec and manifest["kind"] not in CLUSTER_SCOPED:
        metadata["namespace"] = spec["namespace"]
    for label in spec.get("labels", []):
        assert set(label) == {"pairs"}, "only labels on the resources' own metadata"
        metadata.setdefault("labels", {}).update(label["pairs"])
    return manifest
