"""Fixtures on the real PostgreSQL and RabbitMQ: a fresh database per use, a prefix per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import asyncpg
import pytest

from shared.topology import DEAD_LETTER_EXCHANGE, EXCHANGE, SUBSCRIPTIONS, dead_letter_queue

ADMIN_DSN = os.environ.get("PORTAL_TEST_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RUN = uuid.uuid4().hex[:8]

# Fixtures every folder may use: the whole system, and an SMTP catcher of its own.
pytest_plugins = ["tests.system", "tests.fixtures_mail"]

MakeDatabase = Callable[[str], Awaitable[str]]


def dsn_for(database: str) -> str:
    base, _, _ = ADMIN_DSN.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
async def make_database() -> AsyncIterator[MakeDatabase]:
    """Create an empty database named after the run; every one is dropped at the end."""
    created: list[str] = []
    admin = await asyncpg.connect(ADMIN_DSN)

    async def make(name: str) -> str:
        database = f"test_{RUN}_{name}_{len(created)}"
        await admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        return dsn_for(database)

    try:
        yield make
    finally:
        for database in created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def make_amqp_prefix() -> AsyncIterator[Callable[[], str]]:
    """A fresh prefix for exchanges and queues on each call; all are deleted at the end."""
    prefixes: list[str] = []

    def make() -> str:
        prefixes.append(f"test-{RUN}-{len(prefixes)}.")
        return prefixes[-1]

    yield make
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for prefix in prefixes:
            for name in SUBSCRIPTIONS:
                await channel.queue_delete(prefix + name)
                await channel.queue_delete(dead_letter_queue(prefix + name))
            await channel.exchange_delete(prefix + EXCHANGE)
            await channel.exchange_delete(prefix + DEAD_LETTER_EXCHANGE)
