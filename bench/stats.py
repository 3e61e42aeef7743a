"""Medians, 95th percentiles and the rows of the results table."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` of the sorted values, by nearest rank: one that was measured."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def p95(values: list[float]) -> float:
    return percentile(values, 0.95)


@dataclass
class Row:
    """One figure of one variant, and its ratio against the baseline measured in the same run."""

    benchmark: str
    case: str
    variant: str
    unit: str
    median: float
    p95: float
    samples: int
    baseline: str = ""
    ratio: float | None = None  # median / the baseline's median
    target: str = ""
    met: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(
    benchmark: str, case: str, variant: str, unit: str, values: list[float], note: str = ""
) -> Row:
    return Row(
        benchmark,
        case,
        variant,
        unit,
        statistics.median(values),
        p95(values),
        len(values),
        note=note,
    )


def against(
    row: Row, baseline: Row, *, limit: float | None = None, floor: float | None = None
) -> Row:
    """Set the ratio to the baseline; `limit` is a highest allowed ratio, `floor` a lowest."""
    row.baseline = baseline.variant
    row.ratio = row.median / baseline.median if baseline.median else None
    if limit is not None:
        row.target = f"≤ {limit:g}×"
        row.met = row.ratio is not None and row.ratio <= limit
    if floor is not None:
        row.target = f"≥ {floor:g}×"
        row.met = row.ratio is not None and row.ratio >= floor
    return row
