"""Fixtures on the real PostgreSQL and RabbitMQ: a fresh database per use, a prefix per run."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable

import aio_pika
import pytest

from tests.scratch import (
    MakeDatabase,
    delete_abandoned_topology,
    delete_topology,
    new_run_id,
    scratch_databases,
)

ADMIN_DSN = os.environ.get("PORTAL_TEST_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RUN = new_run_id()

# Fixtures every folder may use: the whole system, and an SMTP catcher of its own.
pytest_plugins = ["tests.system", "tests.fixtures_mail"]


@pytest.fixture(scope="session")
async def make_database() -> AsyncIterator[MakeDatabase]:
    """Create an empty database named after the run; every one is dropped at the end."""
    async with scratch_databases(ADMIN_DSN, f"test_{RUN}") as make:
        yield make


@pytest.fixture(scope="session")
async def make_amqp_prefix() -> AsyncIterator[Callable[[], str]]:
    """A fresh prefix for exchanges and queues on each call; all are deleted at the end, and
    what killed runs left behind is deleted at the start."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        await delete_abandoned_topology(await connection.channel())
    prefixes: list[str] = []

    def make() -> str:
        prefixes.append(f"test-{RUN}-{len(prefixes)}.")
        return prefixes[-1]

    yield make
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for prefix in prefixes:
            await delete_topology(channel, prefix)
