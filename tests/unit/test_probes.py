"""The probes Kubernetes asks every service: alive whatever its dependencies, ready only while
its database and its broker connection are usable."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from shared.http import base_app
from shared.i18n import COMMON
from shared.service import BROKER, POOL, database, messaging
from shared.settings import ServiceSettings
from tests.conftest import AMQP_URL
from tests.scratch import MakeDatabase

MIGRATIONS = Path(__file__).parents[2] / "services" / "renderer" / "migrations"
Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Client]:
    """A service's plumbing on the real PostgreSQL and RabbitMQ, and nothing else."""
    settings = ServiceSettings(
        environment="development",
        database_url=await make_database("probes"),
        amqp_url=AMQP_URL,
        queue_prefix=make_amqp_prefix(),
    )
    app = base_app(COMMON)
    app.cleanup_ctx.append(database(settings, MIGRATIONS))
    app.cleanup_ctx.append(messaging(settings))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def answer(client: Client, path: str) -> tuple[int, dict[str, object]]:
    response = await client.get(path)
    return response.status, await response.json()


async def test_ready_and_alive_with_the_database_and_the_broker(client: Client) -> None:
    checks = {"database_reachable": True, "broker_connected": True}

    assert await answer(client, "/livez") == (200, {"status": "ok", "checks": {}})
    assert await answer(client, "/readyz") == (200, {"status": "ok", "checks": checks})
    assert await answer(client, "/healthz") == (200, {"status": "ok", "checks": checks})


async def test_alive_but_not_ready_without_the_database(client: Client) -> None:
    client.app[POOL].terminate()

    status, body = await answer(client, "/readyz")
    assert status == 503
    assert body["checks"] == {"database_reachable": False, "broker_connected": True}
    assert (await answer(client, "/healthz"))[0] == 503
    assert await answer(client, "/livez") == (200, {"status": "ok", "checks": {}})


async def test_alive_but_not_ready_without_the_broker(client: Client) -> None:
    await client.app[BROKER].close()

    status, body = await answer(client, "/readyz")
    assert status == 503
    assert body["checks"] == {"database_reachable": True, "broker_connected": False}
    assert await answer(client, "/livez") == (200, {"status": "ok", "checks": {}})
