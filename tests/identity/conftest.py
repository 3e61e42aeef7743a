from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from services.identity import captcha
from services.identity.app import create_app
from shared.settings import IdentitySettings
from tests.conftest import AMQP_URL, MakeDatabase
from tests.harness import EventTap, serving, tapping

INTERNAL_SECRET = "internal-secret-for-the-identity-tests"
# How the web front calls identity: with the services' internal secret.
FROM_THE_WEB = {"Authorization": f"Bearer {INTERNAL_SECRET}"}


class Clock:
    """Real time, which a test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Identity:
    url: str
    http: aiohttp.ClientSession
    events: EventTap
    clock: Clock
    events_prefix: str
    # Where identity keeps its tables, for a test that must see what a row holds.
    database_url: str

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.http.request(method, self.url + path, **kwargs) as response:
            body = None if response.status == 204 else await response.json()
            return response.status, body

    async def metric(self, name: str) -> float:
        """The value of one unlabelled counter on /metrics."""
        async with self.http.get(self.url + "/metrics") as response:
            text = await response.text()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(name + " ")
        )

    async def solved_captcha(self) -> str:
        status, challenge = await self.call("POST", "/v1/captcha/challenges")
        assert status == 201
        return captcha.solve(challenge)

    async def register(self, email: str, **fields: Any) -> tuple[int, Any]:
        form = {
            "email": email,
            "first_name": "Karin",
            "last_name": "Berg",
            "password": "Räls-2026-Spår",
            "password_confirmation": "Räls-2026-Spår",
            "captcha": await self.solved_captcha(),
            "privacy_policy_accepted": True,
            "language": "sv",
        } | fields
        return await self.call("POST", "/v1/registrations", json=form)

    async def confirmation_for(self, email: str, count: int = 1) -> dict[str, Any]:
        found = await self.events.wait_for(
            lambda e: (
                e.type == "identity.email_confirmation_requested" and e.payload["email"] == email
            ),
            count=count,
        )
        return found[-1].payload


@pytest.fixture(scope="session")
async def identity(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Identity]:
    prefix = make_amqp_prefix()
    settings = IdentitySettings(
        environment="development",
        database_url=await make_database("identity"),
        queue_prefix=prefix,
        captcha_max_number=2000,
        internal_secret=INTERNAL_SECRET,
    )
    clock = Clock()
    async with (
        tapping(AMQP_URL, prefix) as events,
        serving(create_app(settings, clock)) as url,
        aiohttp.ClientSession() as http,
    ):
        yield Identity(url, http, events, clock, prefix, settings.database_url)
