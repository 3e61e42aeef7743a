"""Fault scenarios on the whole system run as OS processes.

These tests stop RabbitMQ and restart PostgreSQL for the whole machine, so they run alone, in an
invocation of their own after the rest of the suite, and are skipped unless asked for:

    pytest -m faults tests/reliability          (or PORTAL_RUN_FAULTS=1)

`PORTAL_FAULT_INVOICES` sets the invoices per scenario (200), `PORTAL_FAULT_RESULTS` where the
measurements go (tests/reliability/results.json), `PORTAL_FAULT_LOGS` where each service logs
(/tmp/portal-fault-logs/<run>/<service>.log).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.conftest import ADMIN_DSN, AMQP_URL
from tests.reliability.scenario import Results, invoices_per_scenario
from tests.reliability.system import FaultySystem, running_system

HERE = Path(__file__).parent
# A whole scenario: a few hundred PDFs, a 30 s outage and the mailer's back-off after it.
SCENARIO_TIMEOUT = 420


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "faults: restarts PostgreSQL and RabbitMQ; runs alone with `pytest -m faults tests/reliability`",
    )


def faults_requested(config: pytest.Config) -> bool:
    if os.environ.get("PORTAL_RUN_FAULTS") == "1":
        return True
    expression = config.getoption("markexpr", "") or ""
    # `-m faults` or `-m "faults and …"`, but not `-m "not faults"`.
    return re.search(r"(?<!not )\bfaults\b", expression) is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    requested = faults_requested(config)
    skip = pytest.mark.skip(
        reason="restarts PostgreSQL and RabbitMQ: run alone with `pytest -m faults tests/reliability`"
    )
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.timeout(SCENARIO_TIMEOUT))
            if not requested:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def fault_results() -> Iterator[Results]:
    path = Path(os.environ.get("PORTAL_FAULT_RESULTS", HERE / "results.json"))
    results = Results(path, invoices_per_scenario())
    yield results
    results.write()


@pytest.fixture(scope="session")
async def faulty(fault_results: Results) -> AsyncIterator[FaultySystem]:
    log_root = Path(os.environ.get("PORTAL_FAULT_LOGS", "/tmp/portal-fault-logs"))
    async with running_system(
        admin_dsn=ADMIN_DSN, amqp_urls=[AMQP_URL], log_root=log_root
    ) as system:
        fault_results.document["service_logs"] = str(system.log_dir)
        yield system
