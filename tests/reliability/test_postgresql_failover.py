"""PostgreSQL fails over: the services' databases live on a primary and its streaming standby (two
clusters of the test's own), every service is given both in one DSN, and the primary dies in the
middle of the work. Once every service has noticed, the standby is promoted. The services follow
it without a restart: nothing lost, nothing doubled, and every answer meanwhile a success or
503 with Retry-After, never a 500.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from pathlib import Path

import pytest

from shared.topology import SUBSCRIPTIONS
from tests.conftest import AMQP_URL
from tests.invoice.conftest import Supplier, connected_supplier
from tests.reliability.answers import AnswerLog, recording_session
from tests.reliability.pipeline import eventually
from tests.reliability.postgres_pair import cluster_pair
from tests.reliability.scenario import Results, Scenario, invoices_per_scenario
from tests.reliability.system import OUTBOX_SERVICES, FaultySystem, running_system
from tests.reliability.test_faults import assert_exactly_once

pytestmark = [pytest.mark.faults, pytest.mark.replicated]

N = invoices_per_scenario()
# A user looking at the invoice list while the switch happens, as well as those sending.
LOOK_EVERY_SECONDS = 0.2


async def test_postgresql_primary_dies_and_its_standby_is_promoted(
    fault_results: Results,
) -> None:
    log_root = Path(os.environ.get("PORTAL_FAULT_LOGS", "/tmp/portal-fault-logs"))
    async with (
        cluster_pair() as pair,
        running_system(admin_dsn=pair.dsn(), amqp_urls=[AMQP_URL], log_root=log_root) as faulty,
        recording_session() as (recorded_http, answers),
    ):
        pids = {name: p.pid for name, p in faulty.services.items()}
        async with Scenario(faulty, fault_results, "postgresql_failover", N) as run:
            assert run.supplier is not None
            # The users' requests from here on go through the session that records every answer.
            run.supplier.http = recorded_http
            run.start_sending(N // 2)
            await run.progressed(lambda c: c.pdfs >= N // 8, "an eighth rendered")
            done_looking = asyncio.Event()
            looking = asyncio.create_task(_look_at_invoices(run.supplier, done_looking))
            run.start_sending()
            async with run.fault(
                "primary stopped (-m immediate) while the second half is sent; standby promoted "
                "once every service had noticed"
            ):
                stopped = time.monotonic()
                await pair.stop_primary()
                await eventually(
                    _unhealthy(faulty), within=60, what="every service noticing the outage"
                )
                noticed = time.monotonic()
                await pair.promote_standby()
                promoted = time.monotonic()
            await eventually(_unhealthy(faulty, none=True), within=60, what="every service healthy")
            healthy = time.monotonic()
            await eventually(
                lambda: _succeeded_since(answers, promoted), within=60, what="a success after"
            )
            # Not cancelled: a request cut short by the test itself would count as unanswered.
            done_looking.set()
            await looking
            counts = await run.finish()
            # Identity and company take part only in signing up: a new supplier proves them back.
            await connected_supplier(faulty.system, faulty.http)
            switch = answers.between(stopped, healthy)
            unavailable = [a for a in switch if a.status == 503]
            unexpected = AnswerLog.unexpected(answers.answers)
            run.amend(
                servers={"primary": pair.primary_port, "standby": pair.standby_port},
                seconds_without_primary=round(promoted - stopped, 1),
                seconds_until_every_service_noticed=round(noticed - stopped, 1),
                seconds_from_promotion_until_every_service_healthy=round(healthy - promoted, 1),
                answers_without_primary=AnswerLog.by_status(answers.between(stopped, promoted)),
                answers_from_stop_until_every_service_healthy=AnswerLog.by_status(switch),
                answers_503_with_retry_after=sum(1 for a in unavailable if a.retry_after),
                answers_recorded=len(answers.answers),
                last_503_after_promotion_s=round(
                    max((a.at for a in unavailable), default=promoted) - promoted, 1
                ),
                unexpected_answers=[vars(a) for a in unexpected],
            )
        assert {n: p.pid for n, p in faulty.services.items()} == pids, "a service was restarted"
        assert all(p.running for p in faulty.services.values())
        assert unexpected == [], unexpected
        assert unavailable, "no request met the outage"
        assert_exactly_once(counts, N)
        assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


async def _look_at_invoices(supplier: Supplier, done: asyncio.Event) -> None:
    while not done.is_set():
        with suppress(Exception):  # every answer is recorded; judging them is the test's
            await supplier.call("GET", "/v1/me/invoices")
        with suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), LOOK_EVERY_SECONDS)


def _unhealthy(faulty: FaultySystem, *, none: bool = False) -> Callable[[], Awaitable[bool]]:
    """Every service with a database unhealthy, or (`none`) every service healthy."""

    async def probe() -> bool:
        unhealthy = set(await faulty.unhealthy())
        return not unhealthy if none else set(OUTBOX_SERVICES) <= unhealthy

    return probe


async def _succeeded_since(answers: AnswerLog, moment: float) -> bool:
    return any(a.status and a.status < 300 for a in answers.between(moment, time.monotonic()))
