"""Faults delay work and never lose or double it.

Each scenario sends a few hundred invoices through the real services while one kind of fault is
injected, waits until the system has settled, and counts what came out: every invoice has exactly
one PDF, one e-mail to its buyer, one copy at the buyer's Peppol access point (the buyer takes
both), one confirmation to its supplier and the status `delivered`, and nothing was
dead-lettered that should not have been.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable

import pytest

from shared.topology import SUBSCRIPTIONS
from tests.invoice.conftest import connected_supplier
from tests.reliability import faults
from tests.reliability.pipeline import Counts, connected, eventually
from tests.reliability.scenario import Results, Scenario, invoices_per_scenario
from tests.reliability.system import FaultySystem

pytestmark = pytest.mark.faults

N = invoices_per_scenario()
SMTP_OUTAGE_SECONDS = float(os.environ.get("PORTAL_FAULT_SMTP_OUTAGE", "30"))
BROKER_USERS = {"identity", "company", "invoice", "renderer", "notifier"}
CARRY_NO_INVOICES = ("identity.invitations", "company.users", "invoice.company")


def assert_exactly_once(counts: Counts, sent: int) -> None:
    assert counts.missing == {k: [] for k in counts.missing}, counts.missing
    assert counts.doubled == {k: [] for k in counts.doubled}, counts.doubled
    assert (
        counts.sent,
        counts.pdfs,
        counts.buyer_mails,
        counts.peppol,
        counts.confirmations,
        counts.delivered,
        counts.renders,
        counts.delivery_events,
        counts.failed,
    ) == (sent, sent, sent, sent, sent, sent, sent, sent, 0)


async def test_rabbitmq_stopped_and_started_twice(
    faulty: FaultySystem, fault_results: Results
) -> None:
    async with Scenario(faulty, fault_results, "rabbitmq_restarts", N) as run:
        run.start_sending(N // 2)
        await run.sent_at_least(N // 2)
        async with (
            run.fault("rabbitmqctl stop_app; the second half of the invoices sent; start_app"),
            faults.rabbitmq_stopped(),
        ):
            run.start_sending()
            await run.sent_at_least(N)
            run.notes["outbox_rows_in_first_outage"] = await faulty.outbox_rows()
        await run.progressed(lambda c: c.pdfs >= N * 3 // 5, "three fifths rendered")
        async with (
            run.fault("rabbitmqctl stop_app while rendering and mailing; start_app"),
            faults.rabbitmq_stopped(),
        ):
            # Held until every service with a broker connection has noticed it is gone.
            await eventually(
                _all_unhealthy(faulty, BROKER_USERS), within=60, what="the outage noticed"
            )
            run.notes["outbox_rows_in_second_outage"] = await faulty.outbox_rows()
        counts = await run.finish()
    # Sending needs no broker: the invoices sent meanwhile waited in the invoice outbox.
    assert run.notes["outbox_rows_in_first_outage"] >= N - N // 2
    assert_exactly_once(counts, N)
    assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


async def test_renderer_killed_and_started_again(
    faulty: FaultySystem, fault_results: Results
) -> None:
    renderer = faulty.services["renderer"]
    async with Scenario(faulty, fault_results, "renderer_killed", N) as run:
        run.start_sending()
        await run.progressed(lambda c: c.pdfs >= N // 3, "a third rendered")
        killed_pid = renderer.pid
        async with run.fault("SIGKILL to the renderer (and its render workers); started again"):
            await renderer.kill()
            run.notes["renderer_exit_code"] = (
                renderer.process.returncode if renderer.process else None
            )
            await renderer.start()
        run.notes["renderer_pids"] = [killed_pid, renderer.pid]
        counts = await run.finish()
    assert run.notes["renderer_exit_code"] == -signal.SIGKILL
    assert_exactly_once(counts, N)
    assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


async def test_smtp_server_refusing_connections(
    faulty: FaultySystem, fault_results: Results
) -> None:
    smtp = faulty.mail.smtp
    async with Scenario(faulty, fault_results, "smtp_refusing", N) as run:
        run.start_sending()
        await run.progressed(lambda c: c.buyer_mails >= N // 5, "a fifth mailed")
        async with run.fault(f"SMTP listener stopped for {SMTP_OUTAGE_SECONDS:.0f} s"):
            await smtp.stop()
            try:
                await asyncio.sleep(SMTP_OUTAGE_SECONDS)  # the deliberate outage
            finally:
                await smtp.start()
        counts = await run.finish()
        async with connected(faulty.databases["notifier"]) as conn:
            run.amend(
                mails_deferred_then_sent=await conn.fetchval(
                    "SELECT count(*) FROM mails WHERE status = 'sent' AND attempts > 1"
                )
            )
    assert_exactly_once(counts, N)
    assert run.notes["mails_deferred_then_sent"] > 0, "the outage deferred no mail"
    assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


async def test_postgresql_restarted(faulty: FaultySystem, fault_results: Results) -> None:
    pids = {name: p.pid for name, p in faulty.services.items()}
    resends_avoided = faulty.mails_resent_avoided()
    async with Scenario(faulty, fault_results, "postgresql_restarted", N) as run:
        run.start_sending(N // 2)
        await run.progressed(lambda c: c.pdfs >= N // 8, "an eighth rendered")
        async with run.fault("pg_ctlcluster restart while the second half of invoices is sent"):
            run.start_sending()
            await faults.postgres_restart(faulty.postgres_port)
        await eventually(
            _all_healthy(faulty), within=60, what="every service healthy after the restart"
        )
        counts = await run.finish()
        run.amend(
            mails_not_resent_after_lost_commit=faulty.mails_resent_avoided() - resends_avoided
        )
        # Identity and company take part only in signing up: a new supplier proves them back.
        await connected_supplier(faulty.system, faulty.http)
    assert {name: p.pid for name, p in faulty.services.items()} == pids, "a service was restarted"
    assert all(p.running for p in faulty.services.values())
    assert_exactly_once(counts, N)
    assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


async def test_duplicate_and_unreadable_messages(
    faulty: FaultySystem, fault_results: Results
) -> None:
    dead_before = await faulty.dead_lettered()
    duplicates_before = await faulty.consumed("duplicate")
    async with Scenario(faulty, fault_results, "duplicates_and_poison", N) as run:
        run.start_sending()
        await run.progressed(lambda c: c.delivered >= N // 4, "a quarter delivered")
        routing_keys = sorted(
            {e.routing_key() for events in SUBSCRIPTIONS.values() for e in events}
        )
        async with run.fault("b'not json' published once to every consumed routing key"):
            await faulty.publish([(key, b"not json") for key in routing_keys])
        # Queued behind the unreadable messages: consuming them shows each consumer went on.
        sent_so_far = [i.id for i in run.sender.sent] if run.sender else []
        again = {
            kind: faulty.tap.published(sent_so_far, kind)
            for kind in ("invoice.sent", "invoice.rendered", "invoice.delivered")
        }
        async with run.fault(
            "every invoice.sent/rendered/delivered envelope so far published again"
        ):
            await faulty.publish(
                [faulty.tap.bodies[e] for events in again.values() for e in events]
            )
        counts = await run.finish()

        expected_dead = {queue: len(events) for queue, events in SUBSCRIPTIONS.items()}
        expected_duplicates = {
            "renderer.invoices": len(again["invoice.sent"]),
            "notifier.mail": len(again["invoice.rendered"]),
            "invoice.statuses": len(again["invoice.delivered"]),
        }
        dead_metric = await eventually(
            _delta_reaches(faulty.dead_lettered, dead_before, expected_dead),
            within=30,
            what="portal_events_dead_lettered",
        )
        absorbed = await eventually(
            _delta_reaches(
                lambda: faulty.consumed("duplicate"), duplicates_before, expected_duplicates
            ),
            within=30,
            what="duplicates absorbed",
        )
        dead_queued = await run.dead_lettered()
        # The queues that carry no invoice events go on too: a new supplier passes them all.
        applied_before = await faulty.consumed("applied")
        await connected_supplier(faulty.system, faulty.http)

        async def applied_since() -> dict[str, float] | None:
            after = await faulty.consumed("applied")
            delta = {q: after.get(q, 0) - applied_before.get(q, 0) for q in CARRY_NO_INVOICES}
            return delta if all(delta.values()) else None

        went_on = await eventually(applied_since, within=20, what="consumers going on")
        run.amend(
            unreadable_published=len(routing_keys),
            dead_lettered=dead_queued,
            dead_lettered_metric=dead_metric,
            republished={kind: len(events) for kind, events in again.items()},
            duplicates_absorbed=absorbed,
            applied_after_the_unreadable=went_on,
        )
    assert_exactly_once(counts, N)
    assert dead_queued == expected_dead
    assert len(again["invoice.sent"]) >= N // 4 and again["invoice.delivered"]


def _delta_reaches(
    read: Callable[[], Awaitable[dict[str, float]]],
    before: dict[str, float],
    expected: dict[str, int],
) -> Callable[[], Awaitable[dict[str, float] | None]]:
    """A probe answering a counter's growth since `before` once it is exactly `expected`."""

    async def probe() -> dict[str, float] | None:
        after = await read()
        delta = {key: after.get(key, 0) - before.get(key, 0) for key in expected}
        return delta if delta == expected else None

    return probe


def _all_unhealthy(faulty: FaultySystem, names: set[str]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return names <= set(await faulty.unhealthy())

    return probe


def _all_healthy(faulty: FaultySystem) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return not await faulty.unhealthy()

    return probe
