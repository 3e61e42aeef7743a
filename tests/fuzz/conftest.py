"""A connected supplier and a notifier of its own, shared by the fuzzing folder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from services.notifier.app import create_app as create_notifier
from shared.settings import NotifierSettings
from tests.conftest import MakeDatabase
from tests.harness import serving
from tests.invoice.conftest import PASSWORD, Supplier, connected_supplier
from tests.system import System


@pytest.fixture(scope="package")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(scope="package")
async def supplier(system: System, http: aiohttp.ClientSession) -> Supplier:
    return await connected_supplier(system, http)


@pytest.fixture(scope="package")
async def notifier_url(
    system: System, make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[str]:
    """The system runs a notifier without a port of its own; this one has its own queues, and
    a file store of its own, since no event of the system's reaches it."""
    settings = NotifierSettings(
        environment="development",
        database_url=await make_database("notifier"),
        queue_prefix=make_amqp_prefix(),
        smtp_port=system.mail.smtp_port,
        smtp_tls="none",
        files_url=await make_database("files"),
    )
    async with serving(create_notifier(settings)) as url:
        yield url


async def session_token(system: System, http: aiohttp.ClientSession, supplier: Supplier) -> str:
    """A session of the supplier's own, which the test may well log out."""
    credentials = {"email": supplier.email, "password": PASSWORD}
    async with http.post(system.identity_url + "/v1/sessions", json=credentials) as r:
        assert r.status == 201, await r.text()
        return str((await r.json())["token"])


async def expect(response: aiohttp.ClientResponse, status: int) -> Any:
    assert response.status == status, await response.text()
    return await response.json()
