"""RabbitMQ as a cluster of three nodes of the test's own (the machine's broker is not touched):
every service is given the three addresses, every queue is a quorum queue replicated on the
three, and the node that leads the most queues is stopped in the middle of the work, for good.
The services move to the next node without a restart and the queues elect new leaders on the two
nodes left: nothing lost, nothing doubled, nothing dead-lettered.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from shared.topology import SUBSCRIPTIONS
from tests.conftest import ADMIN_DSN
from tests.reliability.cluster import running_cluster
from tests.reliability.pipeline import eventually
from tests.reliability.scenario import Results, Scenario, invoices_per_scenario
from tests.reliability.system import FaultySystem, running_system
from tests.reliability.test_faults import BROKER_USERS, assert_exactly_once

pytestmark = [pytest.mark.faults, pytest.mark.replicated]

N = invoices_per_scenario()
RECONNECTED = "reconnected to the broker at"


async def test_the_node_leading_most_queues_stops_in_the_middle_of_the_work(
    fault_results: Results,
) -> None:
    log_root = Path(os.environ.get("PORTAL_FAULT_LOGS", "/tmp/portal-fault-logs"))
    with tempfile.TemporaryDirectory(prefix="portal-rabbitmq-cluster-") as root:
        async with (
            running_cluster(Path(root)) as cluster,
            running_system(
                admin_dsn=ADMIN_DSN,
                amqp_urls=cluster.urls,
                log_root=log_root,
                rabbitmqctl=cluster.rabbitmqctl,
            ) as faulty,
        ):
            pids = {name: p.pid for name, p in faulty.services.items()}
            async with Scenario(faulty, fault_results, "rabbitmq_cluster_node_stopped", N) as run:
                run.start_sending(N // 2)
                await run.progressed(lambda c: c.pdfs >= N // 8, "an eighth rendered")
                leaders = await cluster.leaders(faulty.prefix)
                leader, led = leaders.most_common(1)[0]
                stopped = next(node for node in cluster.nodes if node.name == leader)
                # The services connect to the first address and declare their queues there, so
                # that node leads them: stopping it moves both the connections and the leaders.
                assert stopped is cluster.nodes[0], leaders
                run.start_sending()
                async with run.fault(
                    f"rabbitmqctl stop on {leader}, leading {led} of {leaders.total()} queues, "
                    "while the second half is sent; it stays down"
                ):
                    began = time.monotonic()
                    await cluster.stop(stopped)
                await eventually(
                    _every_service_reconnected(faulty), within=120, what="every service moved"
                )
                moved = time.monotonic() - began
                counts = await run.finish()
                leaders_after = await cluster.leaders(faulty.prefix)
                run.amend(
                    nodes={node.name: node.amqp_port for node in cluster.nodes},
                    stopped_node=leader,
                    queue_leaders_before=dict(leaders),
                    queue_leaders_after=dict(leaders_after),
                    reconnections=_reconnections(faulty),
                    # Events handed out again after the failover, met by their processed row.
                    duplicates_absorbed=await faulty.consumed("duplicate"),
                    seconds_from_stop_until_every_service_reconnected=round(moved, 1),
                )
            assert {n: p.pid for n, p in faulty.services.items()} == pids, "a service restarted"
            assert leader not in leaders_after
            assert leaders_after.total() == leaders.total()
            assert_exactly_once(counts, N)
            assert await faulty.dead_letter_depths() == {q: 0 for q in SUBSCRIPTIONS}


def _reconnections(faulty: FaultySystem) -> dict[str, int]:
    """How often each service connected again to another node, from its log."""
    return {
        name: process.log_path.read_text(errors="replace").count(RECONNECTED)
        for name, process in faulty.services.items()
        if name in BROKER_USERS
    }


def _every_service_reconnected(faulty: FaultySystem) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return all(_reconnections(faulty).values())

    return probe
