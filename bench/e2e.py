"""Invoices per second from Skicka to the buyer's e-mail at the SMTP server, at saturation.

The pipeline runs as processes (`bench.infra.deployed`): identity, company, invoice, renderer
(`WORKERS` render processes) and notifier, with the SMTP catcher in this process. A supplier
connected to its buyer (`connected_supplier`) keys the drafts first, untimed; then all are sent
at once, 20 requests at a time, by `tests.reliability.pipeline.Sender`, the way the fault
scenarios send. The time runs from the first `POST /v1/me/invoices/{id}/send` until the SMTP
server accepted the last buyer e-mail (its arrival time in the catcher; the mails are told apart
by `MailIndex`). A few invoices go through first, untimed, so that every process is warm.

Baseline, in the same run: the same invoices (their `invoice.sent` events, caught on the bus by
an `EventTap`) rendered to PDF and UBL by `bench.renderer.render_alone` through a pool of as
many worker processes, as the renderer's handler renders them. Target: at least 0.8× of it.

Also in the table: CPU time per invoice of each process while timed (the rest of the machine,
PostgreSQL and RabbitMQ among it, from /proc/stat), against the CPU time per document of
rendering alone; and peak resident memory (VmHWM) of each service idle and after the load, its
render workers apart (summed; each one's in the note).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import aiohttp

from bench.infra import Deployment, deployed
from bench.renderer import Rendered, idle_workers, render_alone
from bench.stats import Row, against, summarise
from bench.usage import (
    command_lines,
    cpu_seconds,
    machine_busy_seconds,
    peak_mib,
    spawned_workers,
)
from shared.events import Envelope
from shared.events.invoice import InvoiceSent
from tests.invoice.conftest import Supplier, connected_supplier
from tests.reliability.pipeline import (
    EventTap,
    MailIndex,
    Sender,
    SentInvoice,
    connected,
    eventually,
    stage_times,
)

PIPELINE = ("identity", "company", "invoice", "renderer", "notifier")
WORKERS = 2
CONCURRENCY = 20
TARGET = 0.8
THIS_PROCESS = "bench (SMTP catcher, HTTP clients)"
POSTGRES = "PostgreSQL (our databases' backends)"
RABBITMQ = "RabbitMQ (the whole broker, shared)"
REST = "rest of the machine"
PIPELINE_CPU = (
    "the services, their render workers and their databases' PostgreSQL backends; not the "
    "broker (shared with other work), nor the SMTP catcher and clients of the bench"
)


def worker_settings(workers: int = WORKERS) -> dict[str, dict[str, str]]:
    return {"renderer": {"PORTAL_RENDER_WORKERS": str(workers)}}


@dataclass(frozen=True)
class Delivery:
    invoices: list[SentInvoice]
    seconds: float
    # When each stage finished its last invoice, in seconds after the first was sent.
    stages: dict[str, float]
    # Each invoice's time in each leg of the pipeline, in seconds.
    legs: dict[str, list[float]]
    # CPU seconds used while timed, by each process (a service's render workers together).
    cpu: dict[str, float]
    doubled: int

    @property
    def rate(self) -> float:
        return len(self.invoices) / self.seconds

    @property
    def pipeline_cpu(self) -> float:
        """CPU seconds per invoice of the services, their workers and their databases."""
        outside = (THIS_PROCESS, RABBITMQ, REST)
        return sum(s for name, s in self.cpu.items() if name not in outside) / len(self.invoices)

    def note(self) -> str:
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.stages.items())
        legs = ", ".join(
            f"{name} median {statistics.median(values):.1f} s, max {max(values):.1f} s"
            for name, values in self.legs.items()
        )
        return f"{stages}; {legs}; {self.doubled} buyer mails doubled"


def cpu_used(deployment: Deployment) -> dict[str, float]:
    """CPU seconds used so far by each process of the deployment, this one, the PostgreSQL
    backends serving its databases, the broker, and the whole machine."""
    used = {THIS_PROCESS: time.process_time(), REST: machine_busy_seconds()}
    databases = [dsn.rpartition("/")[2] for dsn in deployment.databases.values()]
    commands = command_lines()
    used[POSTGRES] = sum(
        cpu_seconds(pid)
        for pid, command in commands.items()
        if command.startswith("postgres:") and any(f" {d} " in command for d in databases)
    )
    used[RABBITMQ] = sum(
        cpu_seconds(pid) for pid, command in commands.items() if "beam.smp" in command
    )
    for name, process in deployment.processes().items():
        if process.pid is not None:
            used[name] = cpu_seconds(process.pid)
            workers = spawned_workers(process.pid)
            if workers:
                used[f"{name} workers"] = sum(cpu_seconds(pid) for pid in workers)
    return used


def cpu_between(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    used = {name: after[name] - before.get(name, after[name]) for name in after}
    used[REST] -= sum(seconds for name, seconds in used.items() if name != REST)
    return used


async def deliver(
    deployment: Deployment, suppliers: list[Supplier], count: int, mail: MailIndex
) -> Delivery:
    """Key `count` drafts, send them all at once, spread over `suppliers` (one per invoice
    instance), and wait until every buyer e-mail arrived and every invoice is delivered."""
    tag = uuid.uuid4().hex[:6].upper()
    numbers = [f"E{tag}-{index:04d}" for index in range(1, count + 1)]
    senders = [Sender(s, max(1, CONCURRENCY // len(suppliers))) for s in suppliers]
    shares = [numbers[index :: len(senders)] for index in range(len(senders))]
    drafts = await asyncio.gather(*(s.key(n) for s, n in zip(senders, shares, strict=True)))
    before, started = cpu_used(deployment), datetime.now(UTC)
    await asyncio.gather(*(s.send_keyed(d) for s, d in zip(senders, drafts, strict=True)))
    wanted = set(numbers)

    async def last_arrival() -> datetime | None:
        arrived = [
            m.arrived for m in mail.mails() if m.kind == "invoice_to_buyer" and m.number in wanted
        ]
        return max(arrived) if len(arrived) >= count else None

    finished = await eventually(last_arrival, within=60 + count, what="every buyer e-mail")
    cpu = cpu_between(before, cpu_used(deployment))
    invoices = [invoice for keyed in drafts for invoice in keyed]
    await eventually(
        lambda: all_delivered(deployment, invoices), within=60, what="every invoice delivered"
    )
    stages = await stage_times(
        invoices,
        invoice_dsn=deployment.databases["invoice"],
        renderer_dsn=deployment.databases["renderer"],
    )
    legs = await time_in_legs(deployment, invoices)
    to_buyer = Counter(
        m.number for m in mail.mails() if m.kind == "invoice_to_buyer" and m.number in wanted
    )
    mail.forget(numbers)
    return Delivery(
        invoices=invoices,
        seconds=(finished - started).total_seconds(),
        stages=stages,
        legs=legs,
        cpu=cpu,
        doubled=sum(n - 1 for n in to_buyer.values()),
    )


async def time_in_legs(
    deployment: Deployment, invoices: list[SentInvoice]
) -> dict[str, list[float]]:
    """Each invoice's seconds from sent to rendered, and from rendered to delivered."""
    ids = [i.id for i in invoices]
    async with connected(deployment.databases["invoice"]) as conn:
        times = await conn.fetch(
            "SELECT id, sent_at, delivered_at FROM invoices WHERE id = ANY($1::uuid[])", ids
        )
    async with connected(deployment.databases["renderer"]) as conn:
        rendered = {
            r["invoice_id"]: r["rendered_at"]
            for r in await conn.fetch(
                "SELECT invoice_id, rendered_at FROM documents WHERE invoice_id = ANY($1::uuid[])",
                ids,
            )
        }
    return {
        "sent → rendered": [(rendered[r["id"]] - r["sent_at"]).total_seconds() for r in times],
        "rendered → delivered": [
            (r["delivered_at"] - rendered[r["id"]]).total_seconds() for r in times
        ],
    }


async def all_delivered(deployment: Deployment, invoices: list[SentInvoice]) -> bool:
    async with connected(deployment.databases["invoice"]) as conn:
        delivered = await conn.fetchval(
            "SELECT count(*) FROM invoices WHERE id = ANY($1::uuid[]) AND status = 'delivered'",
            [i.id for i in invoices],
        )
    return bool(delivered == len(invoices))


def suppliers_per_instance(deployment: Deployment, supplier: Supplier) -> list[Supplier]:
    """The supplier once per invoice instance, as a load balancer would spread its requests."""
    return [
        replace(supplier, system=replace(supplier.system, invoice_url=url))
        for url in deployment.urls("invoice")
    ]


def sent_events(tap: EventTap, invoices: list[SentInvoice]) -> list[InvoiceSent]:
    """The `invoice.sent` events of these invoices, as the renderer received them."""
    wanted = {i.id for i in invoices}
    events = []
    for routing_key, body in tap.bodies.values():
        if routing_key == InvoiceSent.routing_key():
            item = Envelope.model_validate_json(body).event()
            if isinstance(item, InvoiceSent) and item.invoice.id in wanted:
                events.append(item)
    if len(events) != len(wanted):
        raise RuntimeError(f"caught {len(events)} invoice.sent events of {len(wanted)}")
    return events


def peaks(deployment: Deployment) -> dict[str, list[float]]:
    """VmHWM (MiB) of each process; a service's render workers together, one value each."""
    found: dict[str, list[float]] = {}
    for name, process in deployment.processes().items():
        if process.pid is not None:
            found[name] = [peak_mib(process.pid)]
            workers = spawned_workers(process.pid)
            if workers:
                found[f"{name} workers"] = [peak_mib(pid) for pid in workers]
    return found


def memory_rows(idle: dict[str, list[float]], loaded: dict[str, list[float]]) -> list[Row]:
    rows = []
    for name, values in idle.items():
        base = summarise("memory", "peak (VmHWM)", f"{name}: idle", "MiB", [sum(values)])
        mine = summarise("memory", "peak (VmHWM)", f"{name}: after e2e", "MiB", [sum(loaded[name])])
        for row, each in ((base, values), (mine, loaded[name])):
            if len(each) > 1:
                row.note = f"{len(each)} processes summed: " + " + ".join(f"{v:.0f}" for v in each)
        rows += [against(base, base), against(mine, base)]
    return rows


def cpu_rows(deliveries: list[Delivery], alone: list[Rendered]) -> list[Row]:
    """CPU milliseconds per invoice of each process, against rendering alone per document."""
    base = summarise(
        "e2e",
        "CPU per invoice",
        "rendering alone",
        "ms",
        [1000 * r.cpu_ours / r.documents for r in alone],
    )
    rows = []
    for name in deliveries[0].cpu:
        per_invoice = [1000 * d.cpu[name] / len(d.invoices) for d in deliveries]
        rows.append(against(summarise("e2e", "CPU per invoice", name, "ms", per_invoice), base))
    total = [1000 * sum(d.cpu.values()) / len(d.invoices) for d in deliveries]
    rows.append(against(summarise("e2e", "CPU per invoice", "whole machine", "ms", total), base))
    pipeline = [1000 * d.pipeline_cpu for d in deliveries]
    rows.append(
        against(summarise("e2e", "CPU per invoice", "pipeline", "ms", pipeline, PIPELINE_CPU), base)
    )
    return [*rows, against(base, base)]


def cpu_bound_rows(deliveries: list[Delivery], alone: list[Rendered]) -> list[Row]:
    """What a machine with one free core per render worker would do: the rate the pipeline's
    CPU time per invoice allows, against the rate rendering's CPU time per document allows."""
    case = f"CPU-bound on {WORKERS} free cores"
    base = summarise(
        "e2e",
        case,
        "rendering alone",
        "invoices/s",
        [WORKERS * r.documents / r.cpu_ours for r in alone],
    )
    mine = summarise(
        "e2e",
        case,
        "Skicka → buyer e-mail",
        "invoices/s",
        [WORKERS / d.pipeline_cpu for d in deliveries],
        note=PIPELINE_CPU,
    )
    return [against(mine, base, floor=TARGET), against(base, base)]


async def run(quick: bool) -> list[Row]:
    count, rounds, warm = (12, 1, 4) if quick else (200, 2, 8)
    deliveries: list[Delivery] = []
    alone: list[Rendered] = []
    async with (
        deployed(*PIPELINE, settings=worker_settings()) as deployment,
        deployment.tapped() as tap,
        aiohttp.ClientSession() as http,
    ):
        renderer = deployment.instances["renderer"][0].pid
        assert renderer is not None
        await idle_workers(renderer, WORKERS)
        idle = peaks(deployment)
        supplier = await connected_supplier(deployment.system, http)
        mail = MailIndex(deployment.mail.store)
        await deliver(deployment, [supplier], warm, mail)
        for _ in range(rounds):
            delivery = await deliver(deployment, [supplier], count, mail)
            deliveries.append(delivery)
            alone.append(await render_alone(sent_events(tap, delivery.invoices), WORKERS))
        loaded = peaks(deployment)
    load = f"load average now {os.getloadavg()[0]:.1f}"
    base = summarise(
        "e2e",
        f"{count} invoices",
        f"rendering alone ({WORKERS} workers)",
        "invoices/s",
        [r.rate for r in alone],
        note="; ".join(r.note() for r in alone),
    )
    mine = summarise(
        "e2e",
        f"{count} invoices",
        "Skicka → buyer e-mail",
        "invoices/s",
        [d.rate for d in deliveries],
        note=" | ".join(d.note() for d in deliveries) + f"; {load}",
    )
    return [
        against(mine, base, floor=TARGET),
        against(base, base),
        *cpu_bound_rows(deliveries, alone),
        *cpu_rows(deliveries, alone),
        *memory_rows(idle, loaded),
    ]
