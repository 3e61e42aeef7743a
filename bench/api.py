"""Drafts saved and listed per second on the invoice service, at 50 concurrent clients.

Baseline: `bench.minimal`, an aiohttp + asyncpg endpoint doing one INSERT, run the same way (a
subprocess on its own fresh database) in the same run. Identity, company, notifier and invoice
run as subprocesses with fresh databases and their own queue prefix (`bench.infra.deployed`); the
supplier is connected to its buyer through the same APIs the tests use
(`tests.invoice.conftest.connected_supplier`).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp

from bench.infra import deployed
from bench.stats import Row, against, summarise
from bench.usage import peak_mib, resident_mib
from devtools.system import Service
from shared.settings import ServiceSettings
from tests.invoice.conftest import Supplier, connected_supplier

CLIENTS = 50
# The baseline, `python -m bench.minimal`, started like a service.
MINIMAL = Service("minimal", ServiceSettings, 0, "minimal", package="bench")
P95_LIMIT_MS = 50.0


def ten_lines() -> list[dict[str, str]]:
    return [
        {
            "article_id": f"SP-{index}",
            "description": f"Spårarbete etapp {index}",
            "quantity": str(Decimal(index) + Decimal("0.5")),
            "unit": "HUR",
            "unit_price": "850.00",
            "vat_rate": "25",
            "vat_category": "S",
        }
        for index in range(1, 11)
    ]


async def load(
    call: Callable[[], Awaitable[int]], seconds: float, clients: int = CLIENTS
) -> tuple[list[float], float, int]:
    """Latencies (ms) of every request, requests per second and errors, over `seconds`."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                status = await call()
            except (aiohttp.ClientError, TimeoutError):
                status = 599
            if status >= 400:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, len(latencies) / (time.perf_counter() - started), errors


async def run(quick: bool) -> list[Row]:
    seconds, rounds = (3.0, 1) if quick else (5.0, 3)
    async with deployed("identity", "company", "notifier", "invoice", MINIMAL) as system:
        invoice_url, minimal_url = system.url("invoice"), system.url("minimal")
        pids = {name: process.pid for name, process in system.processes().items()}
        connector = aiohttp.TCPConnector(limit=CLIENTS * 2)
        async with aiohttp.ClientSession(connector=connector) as http:
            supplier: Supplier = await connected_supplier(system.system, http)
            idle_rss = {name: resident_mib(pid) for name, pid in pids.items() if pid}
            headers = {"Authorization": f"Bearer {supplier.token}"}
            body = supplier.form(lines=ten_lines(), charges=[])

            numbers = itertools.count(1)

            async def save() -> int:
                # Invoice numbers are unique per supplier.
                draft = body | {"number": f"B{next(numbers):08}"}
                async with http.post(
                    invoice_url + "/v1/me/invoices", json=draft, headers=headers
                ) as response:
                    await response.read()
                    return response.status

            async def listing() -> int:
                async with http.get(invoice_url + "/v1/me/invoices", headers=headers) as response:
                    await response.read()
                    return response.status

            async def minimal_insert() -> int:
                async with http.post(minimal_url + "/drafts", json=body) as response:
                    await response.read()
                    return response.status

            # One request each first: a mistake in the wiring should fail loudly, not as 4xx.
            for call in (save, listing, minimal_insert):
                status = await call()
                if status >= 400:
                    raise RuntimeError(f"{call.__name__} answered {status}")
            results: dict[str, tuple[list[float], list[float], int]] = {
                "minimal INSERT": ([], [], 0),
                "POST /v1/me/invoices (10 lines)": ([], [], 0),
                "GET /v1/me/invoices": ([], [], 0),
            }
            calls = dict(zip(results, (minimal_insert, save, listing), strict=True))
            # Rounds alternate the variants so that a noisy neighbour hits all of them.
            for _ in range(rounds):
                for name, call in calls.items():
                    latencies, throughput, errors = await load(call, seconds)
                    all_latencies, rates, failed = results[name]
                    all_latencies += latencies
                    rates.append(throughput)
                    results[name] = (all_latencies, rates, failed + errors)
            status, listed = await supplier.call("GET", "/v1/me/invoices")
            loaded_rss = {name: resident_mib(pid) for name, pid in pids.items() if pid}
            peak = peak_mib(pids["invoice"] or 0)
    rows: list[Row] = []
    base_latency = summarise("api", "latency", "minimal INSERT", "ms", results["minimal INSERT"][0])
    base_rate = summarise(
        "api", "throughput", "minimal INSERT", "req/s", results["minimal INSERT"][1]
    )
    for name, (latencies, rates, errors) in results.items():
        latency = summarise("api", "latency", name, "ms", latencies)
        rate = summarise("api", "throughput", name, "req/s", rates, note=f"{errors} errors")
        against(latency, base_latency)
        if name != "minimal INSERT":
            latency.target = f"p95 < {P95_LIMIT_MS:g} ms"
            latency.met = latency.p95 < P95_LIMIT_MS
            against(rate, base_rate, floor=0.3)
        else:
            against(rate, base_rate)
        rows += [latency, rate]
    count = len(listed) if isinstance(listed, list) else len(listed.get("invoices", listed))
    rows[-1].note += f"; the list held {count} drafts at the end"
    for name in idle_rss:
        row = summarise("rss", "idle → after load", name, "MiB", [idle_rss[name], loaded_rss[name]])
        row.median, row.p95 = idle_rss[name], loaded_rss[name]
        row.note = "median column: idle; p95 column: after the API load"
        if name == "invoice":
            row.note += f"; peak (VmHWM) {peak:.0f} MiB"
        rows.append(row)
    return rows
