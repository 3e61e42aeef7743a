"""One fault scenario: a supplier sends invoices while faults are injected, then everything is
counted once the system has settled, and the measurement is recorded."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from services.notifier.peppol import participant
from tests.invoice.conftest import Supplier
from tests.invoice.test_peppol_buyers import peppol_buyers_supplier
from tests.reliability.faults import Clock, Injected
from tests.reliability.pipeline import (
    Counts,
    Sender,
    SentInvoice,
    count,
    eventually,
    stage_times,
)
from tests.reliability.system import FaultySystem

BUYER_EMAIL = "faktura@infranord.example"
CONCURRENCY = 20
# From the last fault undone to every invoice counted: generous, a 2-core machine renders
# about 6 PDFs a second and a mail deferred by the SMTP outage waits up to a minute.
SETTLE_SECONDS = 240


def invoices_per_scenario() -> int:
    return int(os.environ.get("PORTAL_FAULT_INVOICES", "200"))


class Results:
    """Every scenario's measurement, written as JSON after each one so a failed run keeps them."""

    def __init__(self, path: Path, invoices: int) -> None:
        self.path = path
        self.started = time.monotonic()
        self.document: dict[str, Any] = {
            "invoices_per_scenario": invoices,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "scenarios": {},
        }

    def record(self, name: str, measurement: dict[str, Any]) -> None:
        self.document["scenarios"][name] = measurement
        self.write()

    def write(self) -> None:
        self.document["total_seconds"] = round(time.monotonic() - self.started, 1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.document, indent=2, ensure_ascii=False) + "\n")
        partial.replace(self.path)


class Scenario:
    def __init__(self, faulty: FaultySystem, results: Results, name: str, invoices: int) -> None:
        self.faulty = faulty
        self.results = results
        self.name = name
        self.invoices = invoices
        self.clock = Clock()
        self.injected: list[Injected] = []
        self.notes: dict[str, Any] = {}
        self.supplier: Supplier | None = None
        self.buyer_peppol_id = ""
        self.sender: Sender | None = None
        self._numbers: list[str] = []
        self._sending: list[asyncio.Task[list[SentInvoice]]] = []
        self._dead_before: dict[str, int] = {}
        self._last_fault_end = 0.0

    async def __aenter__(self) -> Scenario:
        # A buyer on mail and Peppol: each invoice goes out both ways, each exactly once.
        self.supplier, self.buyer_peppol_id, _ = await peppol_buyers_supplier(
            self.faulty.system, self.faulty.http, ["mail", "peppol"], buyer_email=BUYER_EMAIL
        )
        tag = uuid.uuid4().hex[:6].upper()
        self._numbers = [f"R{tag}-{i:04d}" for i in range(1, self.invoices + 1)]
        self.sender = Sender(self.supplier, CONCURRENCY)
        self._dead_before = await self.faulty.dead_letter_depths()
        self.clock = Clock()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._sending:
            task.cancel()

    def start_sending(self, count: int | None = None) -> None:
        """Start sending the next `count` invoices (all that are left by default)."""
        assert self.sender is not None
        count = len(self._numbers) if count is None else count
        numbers, self._numbers = self._numbers[:count], self._numbers[count:]
        self._sending.append(asyncio.create_task(self.sender.send(numbers)))

    async def sent_at_least(self, count: int) -> None:
        assert self.sender is not None
        await self.sender.wait_sent(count)

    async def counts(self, invoices: list[SentInvoice] | None = None) -> Counts:
        assert self.sender is not None and self.supplier is not None
        faulty = self.faulty
        return await count(
            list(self.sender.sent) if invoices is None else invoices,
            renderer_dsn=faulty.databases["renderer"],
            invoice_dsn=faulty.databases["invoice"],
            files_dsn=faulty.databases["files"],
            mail=faulty.mail_index,
            buyer_email=BUYER_EMAIL,
            supplier_email=self.supplier.email,
            tap=faulty.tap,
            access_point=faulty.system.access_point,
        )

    async def progressed(
        self, enough: Callable[[Counts], bool], what: str, within: float = 180
    ) -> Counts:
        """Wait until the invoices sent so far have come this far down the pipeline."""

        async def probe() -> Counts | None:
            counts = await self.counts()
            return counts if enough(counts) else None

        return await eventually(probe, within=within, what=f"{self.name}: {what}")

    @asynccontextmanager
    async def fault(self, name: str) -> AsyncIterator[None]:
        """Record the fault injected in the block: when it began and how long it lasted."""
        began = self.clock.now()
        try:
            yield
        finally:
            ended = self.clock.now()
            self.injected.append(Injected(name, began, ended - began))
            self._last_fault_end = ended

    async def finish(self) -> Counts:
        """Wait until every invoice is counted and the system is quiet; record and return the
        final counts."""
        assert not self._numbers, "some invoices were never sent"
        invoices = [i for task in self._sending for i in await task]
        assert len({i.id for i in invoices}) == self.invoices

        last: list[Counts] = []

        async def complete() -> bool:
            last[:] = [await self.counts(invoices)]
            return last[0].complete

        try:
            await eventually(complete, within=SETTLE_SECONDS, what=f"{self.name}: all counted")
        except AssertionError:
            await self._record(last[0] if last else None, counted_at=None)
            raise
        counted_at = self.clock.now()
        try:
            await eventually(self.faulty.quiet, within=60, what=f"{self.name}: quiet")
        except AssertionError:
            await self._record(await self.counts(invoices), counted_at=None)
            raise
        counts = await self.counts(invoices)
        self.notes["stages_s"] = await stage_times(
            invoices,
            invoice_dsn=self.faulty.databases["invoice"],
            renderer_dsn=self.faulty.databases["renderer"],
        )
        await self._record(counts, counted_at=counted_at)
        numbers = {i.number for i in invoices}
        point = self.faulty.system.access_point
        receivers = {r.receiver for r in point.received if r.invoice_number in numbers}
        assert receivers <= {participant(self.buyer_peppol_id)}, receivers
        self.faulty.mail_index.forget(numbers)
        point.received[:] = [r for r in point.received if r.invoice_number not in numbers]
        return counts

    async def dead_lettered(self) -> dict[str, int]:
        """Messages that reached each dead-letter queue since the scenario began."""
        after = await self.faulty.dead_letter_depths()
        return {q: after[q] - self._dead_before.get(q, 0) for q in after}

    def amend(self, **notes: Any) -> None:
        """Add to the recorded measurement what was learnt after `finish`."""
        self.notes |= notes
        self.results.record(self.name, self.results.document["scenarios"][self.name] | notes)

    async def _record(self, counts: Counts | None, counted_at: float | None) -> None:
        measurement: dict[str, Any] = {
            "injected": [i.as_dict() for i in self.injected],
            "complete": counts is not None and counted_at is not None,
        }
        if counts is not None:
            measurement |= counts.summary()
            if counted_at is None:
                measurement["missing_examples"] = {k: v[:5] for k, v in counts.missing.items()}
        measurement |= {
            "dead_lettered": {q: n for q, n in (await self.dead_lettered()).items() if n},
            "api_retries": self.sender.retries if self.sender else 0,
            "seconds": round(self.clock.now(), 1),
        }
        if counted_at is not None:
            measurement["all_counted_s_after_last_fault"] = round(
                counted_at - self._last_fault_end, 1
            )
        self.results.record(self.name, measurement | self.notes)
