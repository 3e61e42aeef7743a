"""A supplier connected to a buyer, made the way users make it, through the real services."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from services.identity import captcha
from services.invoice.app import MIGRATIONS
from shared.db import SHARED_MIGRATIONS, apply_migrations, create_pool
from tests.scratch import MakeDatabase
from tests.system import OPERATOR_SECRET, System, confirmation_link
from tests.waiting import eventually

PASSWORD = "Räls-2026-Spår"
TERMS = (Path(__file__).parents[2] / "examples" / "anvandarvillkor.pdf").read_bytes()


def valid_orgnr(seed: int) -> str:
    digits = f"{seed % 10**9:09d}"
    total = 0
    for i, c in enumerate(digits):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


@dataclass
class Supplier:
    system: System
    http: aiohttp.ClientSession
    token: str
    buyer_id: str
    email: str

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} | kwargs.pop("headers", {})
        async with self.http.request(
            method, self.system.invoice_url + path, headers=headers, **kwargs
        ) as r:
            if r.status == 204:
                return 204, None
            if r.content_type == "application/json":
                return r.status, await r.json()
            return r.status, await r.read()

    def form(self, **changes: Any) -> dict[str, Any]:
        return {
            "buyer_id": self.buyer_id,
            "number": f"F{uuid.uuid4().int % 10**8}",
            "issue_date": "2026-11-24",
            "due_date": "2026-12-24",
            "currency": "SEK",
            "buyer_order_number": "AO1234567",
            "payment_reference": "1234567897",
            "buyer_reference": "AB12",
            "contact_person": "Olle Ström",
            "lines": [
                {
                    "article_id": "SP-1",
                    "description": "Spårarbete",
                    "quantity": "3",
                    "unit": "HUR",
                    "unit_price": "850.00",
                    "vat_rate": "25",
                    "vat_category": "S",
                },
                {
                    "article_id": "M-7",
                    "description": "Slipers",
                    "quantity": "12",
                    "unit": "H87",
                    "unit_price": "199.99",
                    "vat_rate": "25",
                    "vat_category": "S",
                },
            ],
            "charges": [
                {"description": "Frakt", "amount": "450.00", "vat_rate": "25", "vat_category": "S"}
            ],
        } | changes


async def _json(http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> Any:
    async with http.request(method, url, **kwargs) as r:
        assert r.status < 300, (r.status, await r.text())
        return await r.json() if r.status != 204 else None


def profile() -> dict[str, str]:
    """Every text a person or an operator types on the way to a connected supplier."""
    return {
        "first_name": "Anna",
        "last_name": "Ek",
        "company_name": "Ek Spårteknik AB",
        "address_name": "Ek Spårteknik AB",
        "street": "Banvägen 1",
        "postal_code": "981 31",
        "city": "Kiruna",
        "phone": "0980-123 45",
        "bank_name": "Handelsbanken",
        "buyer_name": f"Infranord AB {uuid.uuid4().hex[:4]}",
        "buyer_street": "Box 1803",
        "buyer_postal_code": "171 21",
        "buyer_city": "Solna",
        "invited_first_name": "Anna",
    }


async def buyer_user(
    system: System, http: aiohttp.ClientSession, buyer_id: str, role: str = "admin"
) -> tuple[str, str]:
    """A user of the buyer's, invited by the operator, registered through the mail's link,
    confirmed and logged in, whom the invoice service lets act for the buyer: e-mail and token."""
    email, token = await invited_user(
        system,
        http,
        f"{system.company_url}/v1/buyers/{buyer_id}/users",
        OPERATOR_SECRET,
        {"first_name": "Eva", "last_name": "Lund", "role": role},
    )
    await _acting(http, system.invoice_url + "/v1/me/received", token)
    return email, token


async def colleague(
    system: System, http: aiohttp.ClientSession, admin: Supplier, role: str = "user"
) -> tuple[str, str]:
    """A colleague the supplier's admin invited, registered through the mail's link, confirmed
    and logged in, whom the invoice service lets key invoices for the company: e-mail and token."""
    email, token = await invited_user(
        system,
        http,
        system.company_url + "/v1/me/members",
        admin.token,
        {"first_name": "Olof", "last_name": "Strand", "role": role},
    )
    await _acting(http, system.invoice_url + "/v1/me/invoice-form", token)
    return email, token


async def invited_user(
    system: System, http: aiohttp.ClientSession, url: str, bearer: str, names: dict[str, str]
) -> tuple[str, str]:
    """Someone invited at `url` (with `bearer`), who registers through the mail's link, confirms
    the address and logs in: e-mail and session token."""
    email = f"{names['first_name'].lower()}.{uuid.uuid4().hex[:10]}@example.com"
    await _json(
        http,
        "POST",
        url,
        headers={"Authorization": f"Bearer {bearer}"},
        json={"email": email} | names,
    )
    invitation = await system.mail_to(email, "Inbjudan till")
    token = invitation.text.split("invitation=")[1].split()[0]
    challenge = await _json(http, "POST", system.identity_url + "/v1/captcha/challenges")
    await _json(
        http,
        "POST",
        system.identity_url + "/v1/registrations",
        json={
            "email": email,
            "first_name": names["first_name"],
            "last_name": names["last_name"],
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "captcha": captcha.solve(challenge),
            "privacy_policy_accepted": True,
            "invitation_token": token,
        },
    )
    link = confirmation_link(await system.mail_to(email, "ekräfta"))
    await _json(
        http,
        "POST",
        system.identity_url + "/v1/confirmations/link",
        json={"token": link.split("token=")[1]},
    )
    session = await _json(
        http,
        "POST",
        system.identity_url + "/v1/sessions",
        json={"email": email, "password": PASSWORD},
    )
    return email, str(session["token"])


async def _acting(http: aiohttp.ClientSession, url: str, token: str) -> None:
    """Until the service has heard that the user acts for its company."""

    async def answered() -> bool:
        async with http.get(url, headers={"Authorization": f"Bearer {token}"}) as r:
            return r.status == 200

    await eventually(answered)


async def connected_supplier(
    system: System,
    http: aiohttp.ClientSession,
    texts: dict[str, str] | None = None,
    *,
    email: str = "",
    buyer_email: str = "faktura@infranord.example",
    buyer_rules: dict[str, Any] | None = None,
    buyer_identity: dict[str, str] | None = None,
    company: dict[str, Any] | None = None,
) -> Supplier:
    """An invited user who registered, confirmed, logged in, described its company with an
    address and a bankgiro, accepted the buyer's terms and connected: every step a real request.

    `texts` are what people type (`profile()` by default); `buyer_rules` the buyer's reference
    rules (the `infranord` preset by default); `buyer_identity` the buyer's country,
    organisation and VAT numbers (a Swedish company by default); `company` what the supplier
    states of its own (a VAT number and F-skatt by default).
    """
    texts = texts or profile()
    email = email or f"lev.{uuid.uuid4().hex[:10]}@example.com"
    operator = {"Authorization": f"Bearer {OPERATOR_SECRET}"}
    buyer = await _json(
        http,
        "POST",
        system.company_url + "/v1/buyers",
        headers=operator,
        json={
            "name": texts["buyer_name"],
            "country": "SE",
            "organisation_number": valid_orgnr(uuid.uuid4().int),
        }
        | (buyer_identity or {})
        | {
            "email": buyer_email,
            "street": texts["buyer_street"],
            "postal_code": texts["buyer_postal_code"],
            "city": texts["buyer_city"],
            "terms_version": "2026-1",
            "terms_pdf_base64": base64.b64encode(TERMS).decode(),
        }
        | (buyer_rules if buyer_rules is not None else {"rules_preset": "infranord"}),
    )
    await _json(
        http,
        "POST",
        f"{system.company_url}/v1/buyers/{buyer['id']}/invitations",
        headers=operator,
        json={"email": email, "first_name": texts["invited_first_name"], "last_name": "Ek"},
    )
    challenge = await _json(http, "POST", system.identity_url + "/v1/captcha/challenges")
    await _json(
        http,
        "POST",
        system.identity_url + "/v1/registrations",
        json={
            "email": email,
            "first_name": texts["first_name"],
            "last_name": texts["last_name"],
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "captcha": captcha.solve(challenge),
            "privacy_policy_accepted": True,
        },
    )
    link = confirmation_link(await system.mail_to(email, "ekräfta"))
    await _json(
        http,
        "POST",
        system.identity_url + "/v1/confirmations/link",
        json={"token": link.split("token=")[1]},
    )
    session = await _json(
        http,
        "POST",
        system.identity_url + "/v1/sessions",
        json={"email": email, "password": PASSWORD},
    )
    auth = {"Authorization": f"Bearer {session['token']}"}
    orgnr = valid_orgnr(uuid.uuid4().int)
    steps: list[tuple[str, str, dict[str, Any] | None]] = [
        (
            "PUT",
            "/company",
            {
                "name": texts["company_name"],
                "organisation_number": orgnr,
                "vat_number": f"SE{orgnr}01",
                "f_skatt": True,
            }
            | (company or {}),
        ),
        (
            "POST",
            "/addresses",
            {
                "kind": "default",
                "name": texts["address_name"],
                "street": texts["street"],
                "postal_code": texts["postal_code"],
                "city": texts["city"],
                "country": "SE",
                "phone": texts["phone"],
            },
        ),
        (
            "POST",
            "/bank-accounts",
            {
                "bank_name": texts["bank_name"],
                "bank_country": "SE",
                "kind": "bankgiro",
                "number": "5050-1055",
                "password": PASSWORD,
            },
        ),
        ("POST", f"/connections/{buyer['id']}/terms-acceptance", {"confirmed": True}),
        ("POST", f"/connections/{buyer['id']}/connect", None),
    ]
    for method, path, body in steps:
        await _json(http, method, system.company_url + "/v1/me" + path, headers=auth, json=body)
    supplier = Supplier(system, http, session["token"], buyer["id"], email)
    # The invoice service learns all this from events; wait until it knows the buyer.
    async with asyncio.timeout(20):
        while True:
            status, context = await supplier.call("GET", "/v1/me/invoice-form")
            if (
                status == 200
                and any(b["buyer_id"] == buyer["id"] for b in context["buyers"])
                and context["supplier"]["bank_accounts"]
            ):
                return supplier
            await asyncio.sleep(0.05)


async def another_buyer(system: System, http: aiohttp.ClientSession) -> str:
    """A second buyer, registered by the operator, that nobody was invited to yet: its id."""
    async with http.post(
        system.company_url + "/v1/buyers",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
        json={
            "name": f"Trafikverket {uuid.uuid4().hex[:4]}",
            "country": "SE",
            "organisation_number": valid_orgnr(uuid.uuid4().int),
            "email": "faktura@trafikverket.example",
            "street": "Röda vägen 1",
            "postal_code": "781 89",
            "city": "Borlänge",
            "terms_version": "2026-1",
            "terms_pdf_base64": base64.b64encode(TERMS).decode(),
            "rules_preset": "infranord",
        },
    ) as r:
        assert r.status == 201, await r.text()
        buyer_id: str = (await r.json())["id"]
    return buyer_id


async def another_buyer_inviting(system: System, http: aiohttp.ClientSession, email: str) -> str:
    """A second buyer that invited the supplier, whose terms it has not accepted yet."""
    buyer_id = await another_buyer(system, http)
    async with http.post(
        f"{system.company_url}/v1/buyers/{buyer_id}/invitations",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
        json={"email": email, "first_name": "Anna", "last_name": "Ek"},
    ) as r:
        assert r.status < 300, await r.text()
    return buyer_id


@pytest.fixture
async def supplier(system: System) -> AsyncIterator[Supplier]:
    async with aiohttp.ClientSession() as http:
        yield await connected_supplier(system, http)


@pytest.fixture
async def pool(make_database: MakeDatabase) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database of the invoice service, migrated: its queries and functions
    tested alone. Room for tests that send many invoices at once."""
    pool = await create_pool(await make_database("invoice_alone"), max_size=40)
    async with pool.acquire() as conn:
        await apply_migrations(conn, {"shared": SHARED_MIGRATIONS, "service": MIGRATIONS})
    yield pool
    await pool.close()
