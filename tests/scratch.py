"""Databases and broker names made for one run of the tests or the benchmarks, removed after it."""

from __future__ import annotations

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
