"""The faults themselves: the broker stopped, PostgreSQL restarted, each through its own tool.

Every fault is undone in a `finally`, so a failing scenario never leaves the machine without
its broker or database for the next one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

log = logging.getLogger(__name__)

COMMAND_SECONDS = 120


@dataclass
class Injected:
    """What was done, when (seconds since the scenario began) and for how long."""

    fault: str
    at: float
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {"fault": self.fault, "at_s": round(self.at, 1), "lasted_s": round(self.seconds, 1)}


async def run(*command: str, timeout: float = COMMAND_SECONDS) -> str:  # noqa: ASYNC109
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with asyncio.timeout(timeout):
            output, _ = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {text}")
    return text


async def rabbitmq_stop() -> None:
    await run("rabbitmqctl", "stop_app")


async def rabbitmq_start() -> None:
    await run("rabbitmqctl", "start_app")
    await run("rabbitmqctl", "await_startup")


@asynccontextmanager
async def rabbitmq_stopped() -> AsyncIterator[None]:
    """The broker's application stopped (the Erlang node stays up) until the block ends."""
    await rabbitmq_stop()
    try:
        yield
    finally:
        await rabbitmq_start()


async def queue_depths(
    prefix: str, rabbitmqctl: Sequence[str] = ("rabbitmqctl",)
) -> dict[str, int]:
    """Messages in every queue of `prefix`, those delivered but not yet acknowledged included;
    `rabbitmqctl` is the command for the broker's node (the machine's own by default)."""
    output = await run(*rabbitmqctl, "list_queues", "-q", "name", "messages", "--formatter", "json")
    rows = json.loads(output or "[]")
    return {
        row["name"][len(prefix) :]: int(row["messages"])
        for row in rows
        if row["name"].startswith(prefix)
    }


async def postgres_cluster(port: int) -> tuple[str, str]:
    """The (version, name) of the cluster listening on `port`, as `pg_lsclusters` shows it."""
    for line in (await run("pg_lsclusters", "--no-header")).splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, name
    raise RuntimeError(f"no PostgreSQL cluster listens on port {port}")


async def postgres_restart(port: int) -> None:
    version, name = await postgres_cluster(port)
    await run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart")


async def postgres_ensure_running(port: int) -> None:
    version, name = await postgres_cluster(port)
    status = await run("pg_lsclusters", "--no-header", version, name)
    if "online" not in status:
        await run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start")


class Clock:
    """Seconds since a scenario began, for the record of what was injected when."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.started
