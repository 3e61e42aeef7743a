from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from services.company.app import create_app
from services.identity import captcha
from services.identity.app import create_app as create_identity
from shared.settings import CompanySettings, IdentitySettings
from tests.conftest import AMQP_URL, MakeDatabase
from tests.harness import EventTap, serving, tapping

OPERATOR = "operator-secret-for-tests"
PASSWORD = "Räls-2026-Spår"
TERMS_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Company:
    url: str
    identity_url: str
    http: aiohttp.ClientSession
    events: EventTap
    # Where the company service keeps its tables, for a test that runs a handler itself.
    database_url: str = ""

    async def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> tuple[int, Any]:
        headers = kwargs.pop("headers", {}) | (
            {"Authorization": f"Bearer {token}"} if token else {}
        )
        base = kwargs.pop("base", self.url)
        async with self.http.request(method, base + path, headers=headers, **kwargs) as response:
            if response.status == 204:
                return 204, None
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.read()

    async def user(self, email: str | None = None, invitation_token: str | None = None) -> str:
        """A registered, confirmed and logged-in user's session token."""
        email = email or f"user.{uuid.uuid4().hex[:10]}@example.com"
        async with self.http.post(self.identity_url + "/v1/captcha/challenges") as r:
            challenge = await r.json()
        form = {
            "email": email,
            "first_name": "Karin",
            "last_name": "Berg",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "captcha": captcha.solve(challenge),
            "privacy_policy_accepted": True,
            "invitation_token": invitation_token,
        }
        async with self.http.post(self.identity_url + "/v1/registrations", json=form) as r:
            email = (await r.json())["email"]
        found = await self.events.wait_for(
            lambda e: (
                e.type == "identity.email_confirmation_requested" and e.payload["email"] == email
            )
        )
        link = {"token": found[-1].payload["link_token"]}
        async with self.http.post(self.identity_url + "/v1/confirmations/link", json=link) as r:
            assert r.status == 200
        async with self.http.post(
            self.identity_url + "/v1/sessions", json={"email": email, "password": PASSWORD}
        ) as r:
            return str((await r.json())["token"])

    async def buyer(
        self, name: str = "Infranord AB", organisation_number: str = "556677-8899"
    ) -> dict[str, Any]:
        status, buyer = await self.call(
            "POST",
            "/v1/buyers",
            OPERATOR,
            json={
                "name": name,
                "country": "SE",
                "organisation_number": organisation_number,
                "vat_number": "",
                "email": "faktura@infranord.example",
                "street": "Box 1803",
                "postal_code": "171 21",
                "city": "Solna",
                "terms_version": "2026-1",
                "terms_pdf_base64": base64.b64encode(TERMS_PDF).decode(),
                "rules_preset": "infranord",
            },
        )
        assert status == 201, buyer
        return dict(buyer)


@pytest.fixture(scope="session")
async def company(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[Company]:
    prefix = make_amqp_prefix()
    identity_settings = IdentitySettings(
        environment="development",
        database_url=await make_database("identity"),
        queue_prefix=prefix,
        captcha_max_number=500,
    )
    async with (
        tapping(AMQP_URL, prefix) as events,
        serving(create_identity(identity_settings)) as identity_url,
    ):
        settings = CompanySettings(
            environment="development",
            database_url=await make_database("company"),
            queue_prefix=prefix,
            identity_url=identity_url,
            operator_secret=OPERATOR,
        )
        async with serving(create_app(settings)) as url, aiohttp.ClientSession() as http:
            yield Company(url, identity_url, http, events, settings.database_url)
