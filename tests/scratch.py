"""Databases and broker names made for one run of the tests or the benchmarks, removed after it."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg
from aio_pika.abc import AbstractChannel

from shared.topology import DEAD_LETTER_EXCHANGE, EXCHANGE, SUBSCRIPTIONS, dead_letter_queue

MakeDatabase = Callable[[str], Awaitable[str]]


@asynccontextmanager
async def scratch_databases(admin_dsn: str, prefix: str) -> AsyncIterator[MakeDatabase]:
    """`make(name)` creates an empty database `<prefix>_<name>_<n>` and returns its DSN; every
    one is dropped at the end."""
    created: list[str] = []
    admin = await asyncpg.connect(admin_dsn)
    base, _, _ = admin_dsn.rpartition("/")

    async def make(name: str) -> str:
        database = f"{prefix}_{name}_{len(created)}"
        await admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        return f"{base}/{database}"

    try:
        yield make
    finally:
        for database in created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


async def delete_topology(channel: AbstractChannel, prefix: str) -> None:
    """Every queue and exchange of `shared.topology` declared under `prefix`."""
    for name in SUBSCRIPTIONS:
        await channel.queue_delete(prefix + name)
        await channel.queue_delete(dead_letter_queue(prefix + name))
    await channel.exchange_delete(prefix + EXCHANGE)
    await channel.exchange_delete(prefix + DEAD_LETTER_EXCHANGE)


# What a run of the tests, the fault scenarios or the benchmarks declares is named
# `<kind>-<run>[-<n>].<name>`; the run is what is alive or abandoned as a whole.
RUN_PREFIX = re.compile(r"^(?:test|faults|bench)-([0-9a-f]{4,})[-.]")
PID_DIGITS = 8


def new_run_id() -> str:
    """A run's id: the process's id, then random digits, in hexadecimal (fit for database names
    too). The process id tells another run on this machine whether this one is still going."""
    return f"{os.getpid():0{PID_DIGITS}x}{uuid.uuid4().hex[:6]}"


def alive(pid: int) -> bool:
    """Whether a process of this pid exists (another user's too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running(run: str) -> bool:
    """Whether the process that made the run still runs; unknown (an older id) counts as not."""
    return len(run) > PID_DIGITS and alive(int(run[:PID_DIGITS], 16))


log = logging.getLogger(__name__)


# A wedged broker node leaves rabbitmqctl waiting forever; a whole test session would wait too.
RABBITMQCTL_TIMEOUT = 30.0


async def _listed(*what: str) -> list[list[str]]:
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl",
        "-q",
        "--no-table-headers",
        *what,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), RABBITMQCTL_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        log.warning(
            "not tidying the broker: rabbitmqctl %s gave no answer in %ss",
            what[0],
            RABBITMQCTL_TIMEOUT,
        )
        raise OSError(f"rabbitmqctl {what[0]} timed out") from None
    if process.returncode != 0:
        raise OSError(f"rabbitmqctl {what[0]} exited with {process.returncode}")
    return [line.split("\t") for line in out.decode().splitlines() if line.strip()]


async def delete_abandoned_topology(channel: AbstractChannel) -> int:
    """Delete what earlier runs left on the broker when they were killed before their clean-up:
    each run's queues and exchanges, unless its process still runs or one of its queues still
    has a consumer (a run going on beside this one, perhaps while a scenario has stopped the
    broker under it). Returns how many queues went. Abandoned quorum queues are not free: a
    few hundred of them exhaust a broker's file handles."""
    try:
        queues = await _listed("list_queues", "name", "consumers")
        exchanges = await _listed("list_exchanges", "name")
    except OSError as error:  # no rabbitmqctl here, or not allowed: nothing to tidy from here
        log.info("not tidying the broker: %s", error)
        return 0
    alive: set[str] = set()
    abandoned: dict[str, list[str]] = {}
    for name, consumers, *_ in ([*row, "0"] for row in queues):
        if (match := RUN_PREFIX.match(name)) is None:
            continue
        abandoned.setdefault(match.group(1), []).append(name)
        if (consumers.isdigit() and int(consumers) > 0) or _running(match.group(1)):
            alive.add(match.group(1))
    deleted = 0
    for run, names in abandoned.items():
        if run in alive:
            continue
        for name in names:
            await channel.queue_delete(name)
            deleted += 1
    for name, *_ in exchanges:
        if (
            (match := RUN_PREFIX.match(name)) is not None
            and match.group(1) not in alive
            and not _running(match.group(1))
        ):
            await channel.exchange_delete(name)
    return deleted
