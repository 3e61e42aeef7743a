"""Latency at a fixed offered load, and saturation throughput, of saving and listing invoices.

Identity, company, notifier and invoice run as subprocesses with fresh databases and their own
queue prefix (`bench.infra.deployed`); the supplier is connected to its buyer through the same
APIs the tests use (`tests.invoice.conftest.connected_supplier`). Baseline: `bench.minimal`, an
aiohttp + asyncpg endpoint doing one INSERT of the same JSON body, started the same way (a
subprocess on its own fresh database) in the same run. Cases: the baseline, saving a 10-line
draft (`POST /v1/me/invoices`), listing (`GET /v1/me/invoices`, the first page).

**Latency, open loop.** Requests start on a fixed schedule, `RATE` a second, each as a task of
its own whether or not earlier ones have answered, so the load does not ease off when the
service slows down (with N closed-loop clients the mean latency is N ÷ throughput whatever the
service does). Latency counts from each request's *scheduled* start: a stalled generator or
event loop shows as latency, not as fewer requests (no coordinated omission). An unmeasured
warm-up at the same rate precedes each window. Counted apart: errors (an exception, a timeout
or a status ≥ 400); requests shed because `OUTSTANDING` were unanswered already, counted as
errors, so an overloaded service makes errors instead of an unbounded queue in the generator;
late starts, a request's task running more than `LATE_MS` after its time. The achieved rate is
the successful answers over the time from the first scheduled start to the last answer.
Target, saving and listing: p95 < 50 ms, with no error.

**Saturation throughput, closed loop.** `CLIENTS` clients, each sending its next request as soon
as its last one is answered, for a fixed time: successful answers per second. A closed loop
rather than a stepped open-loop ramp, because it finds the highest rate by itself: with 50
requests always in flight the service never waits for work (at that load a request takes 50 ÷
throughput, 15–70 ms, against 2–4 ms at 300 requests/s: nearly all of it queueing), whereas a
ramp has to guess its steps around a knee that moves with whatever else the shared machine runs,
and each step past the knee leaves a queue for the next.
Target, saving and listing: at least 0.5× the baseline's throughput.

`FULL`: 3 rounds, each case's open-loop window 4 s after a 1 s warm-up (3 600 measured requests a
case in all), its closed loop 4 s; `--quick`: one round of 3 s and 2 s. Rounds alternate the cases
(each one's open-loop window, then its closed loop) so that a noisy neighbour hits all of them
alike; latency rows pool the requests of every round, rate rows have one value per round. The HTTP
clients run in this process, on the same two cores as the services and PostgreSQL; the notes give
the CPU each process used (from /proc, `bench.e2e.cpu_used`), as % of one core at the fixed load
and as ms per request at saturation; "rest" is the machine's busy time outside the processes named
(PostgreSQL's own background processes, the kernel, other work on the shared machine). The `rss`
rows are each service's resident memory idle and after the load.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import aiohttp

from bench.e2e import POSTGRES, RABBITMQ, REST, THIS_PROCESS, cpu_between, cpu_used
from bench.infra import Deployment, deployed
from bench.stats import Row, against, percentile, summarise
from bench.usage import peak_mib, resident_mib
from devtools.system import Service
from shared.settings import ServiceSettings
from tests.invoice.conftest import Supplier, connected_supplier

# The baseline, `python -m bench.minimal`, started like a service.
MINIMAL = Service("minimal", ServiceSettings, 0, "minimal", package="bench")
BASELINE = "minimal INSERT"
SAVE = "POST /v1/me/invoices (10 lines)"
LIST = "GET /v1/me/invoices"

RATE = 300.0  # requests per second offered in the open loop
OUTSTANDING = 500  # unanswered requests beyond which the open loop sheds instead of sending
LATE_MS = 10.0  # a request whose task runs later than this after its time started late
CONNECTIONS = 512  # above OUTSTANDING: the connection pool never holds a request back
TIMEOUT = aiohttp.ClientTimeout(total=10)
CLIENTS = 50  # closed-loop clients for the saturation throughput
P95_LIMIT_MS = 50.0
RATIO_FLOOR = 0.5
SHORT_NAMES = {THIS_PROCESS: "bench", POSTGRES: "PostgreSQL", RABBITMQ: "RabbitMQ", REST: "rest"}

Call = Callable[[], Awaitable[int]]
Usage = dict[str, float]


@dataclass(frozen=True)
class Plan:
    rounds: int
    warm_up: float  # seconds at RATE before each open-loop window, not measured
    window: float  # seconds of each open-loop window
    saturation: float  # seconds of each closed loop


FULL = Plan(rounds=3, warm_up=1.0, window=4.0, saturation=4.0)
QUICK = Plan(rounds=1, warm_up=0.5, window=3.0, saturation=2.0)


@dataclass
class OpenLoop:
    """What open-loop windows measured; `merge` pools several."""

    scheduled: int = 0
    latencies: list[float] = field(default_factory=list)  # ms from the scheduled start; answered
    errors: int = 0  # failed or answered ≥ 400, shed ones included
    shed: int = 0
    late: int = 0
    worst_lag_ms: float = 0.0  # the latest a request's task ran after its scheduled time
    seconds: float = 0.0  # first scheduled start → last answer, summed over windows

    @property
    def achieved(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def merge(self, other: OpenLoop) -> None:
        self.scheduled += other.scheduled
        self.latencies += other.latencies
        self.errors += other.errors
        self.shed += other.shed
        self.late += other.late
        self.worst_lag_ms = max(self.worst_lag_ms, other.worst_lag_ms)
        self.seconds += other.seconds

    def note(self) -> str:
        p99 = percentile(self.latencies, 0.99) if self.latencies else math.inf
        return (
            f"p99 {p99:.1f} ms; {self.scheduled} scheduled, {self.errors} errors "
            f"({self.shed} shed at {OUTSTANDING} outstanding), {self.late} started over "
            f"{LATE_MS:g} ms late (worst {self.worst_lag_ms:.1f} ms)"
        )


@dataclass
class Case:
    """One endpoint's measurements over every round."""

    name: str
    call: Call
    open_loop: OpenLoop = field(default_factory=OpenLoop)
    achieved: list[float] = field(default_factory=list)  # per window, req/s
    open_cpu: Usage = field(default_factory=dict)  # CPU seconds during the windows
    rates: list[float] = field(default_factory=list)  # per closed loop, req/s
    answered: int = 0  # closed-loop requests
    errors: int = 0  # closed-loop errors
    closed_cpu: Usage = field(default_factory=dict)  # CPU seconds during the closed loops


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


async def succeeded(call: Call) -> bool:
    try:
        return await call() < 400
    except (aiohttp.ClientError, TimeoutError):
        return False


def schedule(first: float, rate: float, seconds: float) -> Iterator[float]:
    """Start times from `first`, computed from it rather than from the previous start, so that a
    late start does not push every later one back."""
    return (first + index / rate for index in range(round(rate * seconds)))


async def sleep_until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


async def open_loop(call: Call, rate: float, seconds: float) -> OpenLoop:
    """Start `call` `rate` times a second for `seconds`, each start in a task of its own, and wait
    for every answer."""
    measured = OpenLoop()
    pending: set[asyncio.Task[None]] = set()
    first = last_answer = time.perf_counter()

    async def one(scheduled: float) -> None:
        nonlocal last_answer
        lag_ms = (time.perf_counter() - scheduled) * 1000
        measured.worst_lag_ms = max(measured.worst_lag_ms, lag_ms)
        measured.late += lag_ms > LATE_MS
        ok = await succeeded(call)
        last_answer = max(last_answer, time.perf_counter())
        if ok:
            measured.latencies.append((time.perf_counter() - scheduled) * 1000)
        else:
            measured.errors += 1

    for scheduled in schedule(first, rate, seconds):
        await sleep_until(scheduled)
        measured.scheduled += 1
        if len(pending) >= OUTSTANDING:
            measured.shed += 1
            measured.errors += 1
            continue
        task = asyncio.create_task(one(scheduled))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending)
    measured.seconds = last_answer - first
    return measured


async def closed_loop(call: Call, seconds: float, clients: int = CLIENTS) -> tuple[int, int]:
    """Requests answered and errors when `clients` send back to back for `seconds`."""
    answered = errors = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal answered, errors
        while time.perf_counter() < stop_at:
            ok = await succeeded(call)
            answered += 1
            errors += not ok

    await asyncio.gather(*(client() for _ in range(clients)))
    return answered, errors


def add_usage(total: Usage, used: Usage) -> None:
    for name, seconds in used.items():
        total[name] = total.get(name, 0.0) + seconds


async def measure_round(deployment: Deployment, case: Case, plan: Plan) -> None:
    """One open-loop window after its warm-up, then one closed loop, with the CPU of each."""
    await open_loop(case.call, RATE, plan.warm_up)
    before = cpu_used(deployment)
    window = await open_loop(case.call, RATE, plan.window)
    add_usage(case.open_cpu, cpu_between(before, cpu_used(deployment)))
    case.open_loop.merge(window)
    case.achieved.append(window.achieved)

    before, started = cpu_used(deployment), time.perf_counter()
    answered, errors = await closed_loop(case.call, plan.saturation)
    elapsed = time.perf_counter() - started
    add_usage(case.closed_cpu, cpu_between(before, cpu_used(deployment)))
    case.rates.append((answered - errors) / elapsed)
    case.answered += answered
    case.errors += errors


def usage_note(used: Usage, per: float, unit: str, digits: int) -> str:
    """CPU of each process that used a visible share, biggest first, and the whole machine's:
    which process a missed target waits on."""
    shares = {SHORT_NAMES.get(name, name): seconds / per for name, seconds in used.items()}
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    shown = [f"{name} {value:.{digits}f}" for name, value in ordered if round(value, digits)]
    return f"CPU {unit}: {', '.join(shown)}; machine {sum(shares.values()):.{digits}f}"


def latency_rows(case: Case, baseline: Case) -> list[Row]:
    measured = case.open_loop
    latency = summarise(
        "api",
        f"latency at {RATE:g} req/s (open loop)",
        case.name,
        "ms",
        measured.latencies or [math.inf],
        note=measured.note(),
    )
    achieved = summarise(
        "api",
        f"achieved of {RATE:g} req/s offered",
        case.name,
        "req/s",
        case.achieved,
        note=usage_note(case.open_cpu, measured.seconds / 100, "% of one core", 0),
    )
    against(latency, summarise("api", "", baseline.name, "ms", baseline.open_loop.latencies))
    if case is not baseline:
        latency.target = f"p95 < {P95_LIMIT_MS:g} ms, no errors"
        latency.met = latency.p95 < P95_LIMIT_MS and measured.errors == 0
    return [latency, achieved]


def throughput_row(case: Case, baseline: Case) -> Row:
    rate = summarise(
        "api",
        f"saturation ({CLIENTS} clients, closed loop)",
        case.name,
        "req/s",
        case.rates,
        note=f"{case.errors} errors; "
        + usage_note(case.closed_cpu, case.answered / 1000, "ms per request", 2),
    )
    base = summarise("api", "", baseline.name, "req/s", baseline.rates)
    return against(rate, base, floor=None if case is baseline else RATIO_FLOOR)


def memory_rows(idle: Usage, loaded: Usage, peak: float) -> list[Row]:
    rows = []
    for name in idle:
        row = summarise("rss", "idle → after load", name, "MiB", [idle[name], loaded[name]])
        row.median, row.p95 = idle[name], loaded[name]
        row.note = "median column: idle; p95 column: after the API load"
        if name == "invoice":
            row.note += f"; peak (VmHWM) {peak:.0f} MiB"
        rows.append(row)
    return rows


def resident(deployment: Deployment) -> Usage:
    return {
        name: resident_mib(process.pid)
        for name, process in deployment.processes().items()
        if process.pid
    }


def calls(http: aiohttp.ClientSession, supplier: Supplier, minimal_url: str) -> list[Case]:
    """The three cases; each call returns the answer's status after reading its body."""
    invoices = supplier.system.invoice_url + "/v1/me/invoices"
    headers = {"Authorization": f"Bearer {supplier.token}"}
    body = supplier.form(lines=ten_lines(), charges=[])
    numbers = itertools.count(1)

    async def minimal_insert() -> int:
        async with http.post(minimal_url + "/drafts", json=body) as response:
            await response.read()
            return response.status

    async def save() -> int:
        # Invoice numbers are unique per supplier.
        draft = body | {"number": f"B{next(numbers):08}"}
        async with http.post(invoices, json=draft, headers=headers) as response:
            await response.read()
            return response.status

    async def listing() -> int:
        async with http.get(invoices, headers=headers) as response:
            await response.read()
            return response.status

    return [Case(BASELINE, minimal_insert), Case(SAVE, save), Case(LIST, listing)]


async def run(quick: bool) -> list[Row]:
    plan = QUICK if quick else FULL
    async with deployed("identity", "company", "notifier", "invoice", MINIMAL) as deployment:
        connector = aiohttp.TCPConnector(limit=CONNECTIONS)
        async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT) as http:
            supplier = await connected_supplier(deployment.system, http)
            idle = resident(deployment)
            cases = calls(http, supplier, deployment.url("minimal"))
            # One request each first: a mistake in the wiring should fail loudly, not as 4xx.
            for case in cases:
                status = await case.call()
                if status >= 400:
                    raise RuntimeError(f"{case.name} answered {status}")
            for _ in range(plan.rounds):
                for case in cases:
                    await measure_round(deployment, case, plan)
            status, listed = await supplier.call("GET", "/v1/me/invoices")
            loaded = resident(deployment)
            peak = peak_mib(deployment.instances["invoice"][0].pid or 0)
    baseline = cases[0]
    rows = [row for case in cases for row in latency_rows(case, baseline)]
    rows += [throughput_row(case, baseline) for case in cases]
    rows[-1].note += f"; {listed['total']} drafts in the list at the end (status {status})"
    return rows + memory_rows(idle, loaded, peak)
