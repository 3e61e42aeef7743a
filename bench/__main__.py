"""Run the benchmarks, print the table and write it to bench/results/latest.json.

python -m bench [--quick] [--only pdf|api|events|renderer|e2e|replicas|scale ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench import api, e2e, events, pdf, renderer, replicas, scale
from bench.stats import Row

RESULTS = Path(__file__).parent / "results"
BENCHMARKS: dict[str, Callable[[bool], Awaitable[list[Row]]]] = {
    "pdf": pdf.run,
    "api": api.run,
    "events": events.run,
    "renderer": renderer.run,
    "e2e": e2e.run,
    "replicas": replicas.run,
    "scale": scale.run,
}


def machine() -> dict[str, object]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(memory_kb / 1024**2, 1),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


def table(rows: list[Row]) -> str:
    header = ("benchmark", "case", "variant", "median", "p95", "unit", "n", "ratio", "target", "ok")
    lines = [header]
    for row in rows:
        ok = "" if row.met is None else ("yes" if row.met else "NO")
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}× {row.baseline}"
        lines.append(
            (
                row.benchmark,
                row.case,
                row.variant,
                f"{row.median:.1f}",
                f"{row.p95:.1f}",
                row.unit,
                str(row.samples),
                ratio,
                row.target,
                ok,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [
        " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]
    text.insert(1, "-+-".join("-" * width for width in widths))
    notes = [f"  {r.benchmark}/{r.case}/{r.variant}: {r.note}" for r in rows if r.note]
    return "\n".join(text + (["", "notes:", *notes] if notes else []))


async def main_async(names: list[str], quick: bool) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        print(f"running {name} …", flush=True)
        started = time.perf_counter()
        rows += await BENCHMARKS[name](quick)
        print(f"  {name} took {time.perf_counter() - started:.0f} s", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke test")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run only this (repeatable)"
    )
    args = parser.parse_args()
    names = args.only or list(BENCHMARKS)
    info = machine()
    rows = asyncio.run(main_async(names, args.quick))
    info["load_average_at_end"] = os.getloadavg()
    print()
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    output = {
        "machine": info,
        "quick": args.quick,
        "benchmarks": names,
        "rows": [row.as_dict() for row in rows],
    }
    (RESULTS / "latest.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print(f"\nwritten to {RESULTS / 'latest.json'}")
    missed = [row for row in rows if row.met is False]
    if missed:
        print(f"{len(missed)} target(s) missed")


if __name__ == "__main__":
    main()
