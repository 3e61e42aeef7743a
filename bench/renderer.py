"""Documents per second through the renderer's worker pool, with one process and with two.

A document is what the renderer makes of an `invoice.sent` event
(`services.renderer.rendering.render_documents`): the PDF in a worker process of the pool the
service uses (`spawned_pool`), then the Peppol UBL that embeds it, on the event loop. Each pool is
fresh; once its processes have started and wait for work, twice as many documents as it has
processes are rendered untimed; then every invoice is handed to it at once, timed until the last
document is done. Both pools get the same invoices (the factory's, 10 lines each), one after the
other, in turns that alternate which goes first. Target: two processes at least 1.8× one. The
e2e benchmark's baseline is `render_alone` too.

The machine has 2 cores that other work shares: each row's note says how many CPUs the pool got
and how many the rest of the machine kept busy meanwhile (/proc); the "CPU-bound" rows give the
rate the CPU time per document would allow with a free core per process, which the rest of the
machine does not change.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

from bench.stats import Row, against, summarise
from bench.usage import cpu_seconds, machine_busy_seconds, spawned_workers
from services.renderer.rendering import render_documents
from services.renderer.workers import spawned_pool
from shared.events.invoice import InvoiceSent
from tests.renderer.factories import invoice, invoice_sent, many_lines

TARGET = 1.8


@dataclass(frozen=True)
class Rendered:
    documents: int
    seconds: float
    # CPU seconds this process and its workers used, and the whole machine, while timed.
    cpu_ours: float
    cpu_machine: float

    @property
    def rate(self) -> float:
        return self.documents / self.seconds

    @property
    def others(self) -> float:
        """CPUs the rest of the machine kept busy, on average."""
        return max(self.cpu_machine - self.cpu_ours, 0.0) / self.seconds

    def note(self) -> str:
        return (
            f"{1000 * self.cpu_ours / self.documents:.0f} ms CPU/doc on "
            f"{self.cpu_ours / self.seconds:.2f} CPUs, the rest of the machine busy on "
            f"{self.others:.2f}"
        )


async def idle_workers(parent: int, count: int, within: float = 60) -> list[int]:
    """The `count` spawned workers of process `parent`, once all have started (imported
    WeasyPrint and built their toolkit) and wait for work: documents handed over then go one to
    each."""
    previous: dict[int, float] = {}
    async with asyncio.timeout(within):
        while True:
            await asyncio.sleep(0.3)
            now = {pid: cpu_seconds(pid) for pid in spawned_workers(parent)}
            if len(now) == count and now == previous:
                return list(now)
            previous = now


async def render_alone(events: list[InvoiceSent], workers: int) -> Rendered:
    """Render every event's documents, all handed over at once, through a fresh warm pool of
    `workers` processes, as the renderer's handler does (the invoices have no attachments)."""
    pool = spawned_pool(workers)
    try:

        async def render(batch: list[InvoiceSent]) -> None:
            await asyncio.gather(*(render_documents(e, pool, []) for e in batch))

        pids = await idle_workers(os.getpid(), workers)
        await render(events[: 2 * workers])

        def ours() -> float:
            return time.process_time() + sum(cpu_seconds(pid) for pid in pids)

        cpu, machine, started = ours(), machine_busy_seconds(), time.perf_counter()
        await render(events)
        seconds = time.perf_counter() - started
        return Rendered(len(events), seconds, ours() - cpu, machine_busy_seconds() - machine)
    finally:
        await asyncio.to_thread(pool.shutdown)


async def run(quick: bool) -> list[Row]:
    count, rounds = (8, 1) if quick else (40, 5)
    events = [invoice_sent(invoice(lines=many_lines(10))) for _ in range(count)]
    measured: dict[int, list[Rendered]] = {1: [], 2: []}
    for turn in range(rounds):
        for workers in (1, 2) if turn % 2 == 0 else (2, 1):
            measured[workers].append(await render_alone(events, workers))
    load = f"load average now {os.getloadavg()[0]:.1f}"
    rows = {
        workers: summarise(
            "renderer",
            f"{count} invoices",
            pool_name(workers),
            "docs/s",
            [r.rate for r in results],
            note="; ".join(r.note() for r in results) + f"; {load}",
        )
        for workers, results in measured.items()
    }
    # What the CPU time per document allows with a free core per process: whether two
    # processes cost more CPU per document than one, whatever the rest of the machine does.
    bound = {
        workers: summarise(
            "renderer",
            "CPU-bound on a free core per process",
            pool_name(workers),
            "docs/s",
            [workers * r.documents / r.cpu_ours for r in results],
        )
        for workers, results in measured.items()
    }
    return [
        against(rows[2], rows[1], floor=TARGET),
        against(rows[1], rows[1]),
        against(bound[2], bound[1], floor=TARGET),
        against(bound[1], bound[1]),
    ]


def pool_name(workers: int) -> str:
    return f"{workers} worker process{'es' if workers > 1 else ''}"
