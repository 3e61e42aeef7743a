"""What every service answers when its database or a service it needs is away, or a bug strikes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from shared.http import base_app
from shared.i18n import COMMON

FAILURES: dict[str, BaseException] = {
    "database-starting": asyncpg.CannotConnectNowError("the database system is starting up"),
    "database-gone": ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),
    "connection-closed": asyncpg.ConnectionDoesNotExistError("connection was closed"),
    "bug": ZeroDivisionError("division by zero"),
}


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = base_app(COMMON)

    async def failing(request: web.Request) -> web.Response:
        raise FAILURES[request.match_info["kind"]]

    app.router.add_get("/fail/{kind}", failing)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.mark.parametrize("kind", ["database-starting", "database-gone", "connection-closed"])
async def test_an_outage_is_503_with_retry_after_in_the_callers_language(
    client: TestClient[web.Request, web.Application], kind: str
) -> None:
    response = await client.get(f"/fail/{kind}", headers={"Accept-Language": "sv"})
    error = (await response.json())["error"]
    assert response.status == 503
    assert response.headers["Retry-After"] == "5"
    assert error["code"] == "unavailable"
    assert error["message"] == COMMON["unavailable"]["sv"]
    assert "5432" not in await response.text()


async def test_a_bug_is_500_without_a_trace(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/fail/bug", headers={"Accept-Language": "en"})
    assert response.status == 500
    assert (await response.json())["error"]["code"] == "internal"
    assert "ZeroDivisionError" not in await response.text()
