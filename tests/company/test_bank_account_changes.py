"""Bank accounts, what fraud against accounts payable changes: each change asks the password
again (and the second-factor code), is mailed to every user of the company with the numbers
masked, and is kept in an audit log only the company itself reads."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pyotp
import pytest

from services.identity import captcha
from tests.invoice.conftest import PASSWORD, valid_orgnr
from tests.system import System, confirmation_link
from tests.waiting import eventually

BANKGIRO = {"bank_name": "Handelsbanken", "bank_country": "SE", "kind": "bankgiro"}
IBAN = {
    "bank_name": "SEB",
    "bank_country": "SE",
    "kind": "iban",
    "number": "SE45 5000 0000 0583 9825 7466",
    "bic": "ESSESESS",
}


@dataclass
class User:
    system: System
    http: aiohttp.ClientSession
    email: str
    token: str
    user_id: str

    async def call(
        self, base: str, method: str, path: str, json: Any = None, language: str = "sv"
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": language}
        async with self.http.request(method, base + path, json=json, headers=headers) as r:
            return r.status, (None if r.status == 204 else await r.json())

    async def company(
        self, method: str, path: str, json: Any = None, language: str = "sv"
    ) -> tuple[int, Any]:
        return await self.call(self.system.company_url, method, "/v1/me" + path, json, language)

    async def identity(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        return await self.call(self.system.identity_url, method, path, json)


async def registered(
    system: System,
    http: aiohttp.ClientSession,
    name: str,
    *,
    email: str | None = None,
    invitation: str | None = None,
) -> User:
    """A confirmed, logged-in user, made through the identity API and the confirmation mail."""
    email = email or f"{name}.{uuid.uuid4().hex[:8]}@example.com"
    async with http.post(system.identity_url + "/v1/captcha/challenges") as r:
        challenge = await r.json()
    form = {
        "email": email,
        "first_name": name.capitalize(),
        "last_name": "Ek",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "captcha": captcha.solve(challenge),
        "privacy_policy_accepted": True,
        "invitation_token": invitation,
    }
    async with http.post(system.identity_url + "/v1/registrations", json=form) as r:
        assert r.status == 202, await r.text()
    token = confirmation_link(await system.mail_to(email, "ekräfta")).split("token=")[1]
    async with http.post(
        system.identity_url + "/v1/confirmations/link", json={"token": token}
    ) as r:
        assert r.status == 200, await r.text()
        user_id = (await r.json())["id"]
    login = {"email": email, "password": PASSWORD}
    async with http.post(system.identity_url + "/v1/sessions", json=login) as r:
        session = await r.json()
    return User(system, http, email, session["token"], user_id)


async def with_company(user: User) -> dict[str, Any]:
    orgnr = valid_orgnr(uuid.uuid4().int)
    status, company = await user.company(
        "PUT",
        "/company",
        {"name": "Ek Spårteknik AB", "organisation_number": orgnr, "no_vat_number": True},
    )
    assert status == 200, company
    return dict(company)


async def colleague(admin: User, name: str) -> User:
    """A colleague the admin invites, registered through the invitation's mail, a member."""
    email = f"{name}.{uuid.uuid4().hex[:8]}@example.com"
    invited = {"email": email, "first_name": name.capitalize(), "last_name": "Ek"}
    assert (await admin.company("POST", "/members", invited))[0] == 201
    mail = await admin.system.mail_to(email, "Inbjudan")
    token = mail.text.split("invitation=")[1].split()[0]
    user = await registered(admin.system, admin.http, name, email=email, invitation=token)

    async def member() -> bool:
        return (await user.company("GET", "/membership"))[0] == 200

    await eventually(member)
    return user


def totp_code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30 * steps))


async def second_factor_on(user: User) -> tuple[str, list[str]]:
    status, setup = await user.identity("POST", "/v1/users/me/second-factor")
    assert status == 201, setup
    status, confirmed = await user.identity(
        "POST", "/v1/users/me/second-factor/confirmation", {"code": totp_code(setup["secret"])}
    )
    assert status == 200, confirmed
    return setup["secret"], confirmed["recovery_codes"]


def field_codes(body: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [i["code"] for i in v] for k, v in body["error"]["fields"].items()}


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_a_wrong_or_missing_password_changes_nothing(
    system: System, http: aiohttp.ClientSession
) -> None:
    user = await registered(system, http, "anna")
    await with_company(user)
    account = BANKGIRO | {"number": "5050-1055"}
    status, body = await user.company("POST", "/bank-accounts", account | {"password": "Fel-1234!"})
    assert status == 422, body
    assert field_codes(body) == {"password": ["reauthentication.password_invalid"]}
    assert body["error"]["fields"]["password"][0]["message"] == "Lösenordet är fel."
    status, body = await user.company(
        "POST", "/bank-accounts", account | {"password": "Fel-1234!"}, language="en"
    )
    assert body["error"]["fields"]["password"][0]["message"] == "The password is wrong."
    status, body = await user.company("POST", "/bank-accounts", account)
    assert status == 422 and field_codes(body) == {"password": ["required"]}
    assert (await user.company("GET", "/bank-accounts"))[1] == []

    status, saved = await user.company("POST", "/bank-accounts", account | {"password": PASSWORD})
    assert status == 201, saved
    path = f"/bank-accounts/{saved['id']}"
    changed = BANKGIRO | {"number": "5402-9681", "password": "Fel-1234!"}
    assert (await user.company("PUT", path, changed))[0] == 422
    assert (await user.company("DELETE", path, {"password": "Fel-1234!"}))[0] == 422
    assert (await user.company("DELETE", path))[0] == 422
    status, accounts = await user.company("GET", "/bank-accounts")
    assert [a["number"] for a in accounts] == ["5050-1055"]
    status, entries = await user.company("GET", "/audit-log")
    assert [e["action"] for e in entries] == ["bank_account.added", "company.created"]


async def test_with_a_second_factor_a_change_asks_a_fresh_code_or_a_recovery_code(
    system: System, http: aiohttp.ClientSession
) -> None:
    user = await registered(system, http, "bertil")
    await with_company(user)
    secret, recovery = await second_factor_on(user)
    account = BANKGIRO | {"number": "5050-1055", "password": PASSWORD}
    status, body = await user.company("POST", "/bank-accounts", account)
    assert status == 422 and field_codes(body) == {"code": ["second_factor.code_required"]}

    code = totp_code(secret, 1)  # the set-up spent this window's code
    status, saved = await user.company("POST", "/bank-accounts", account | {"code": code})
    assert status == 201, saved
    path = f"/bank-accounts/{saved['id']}"
    # The same code again, still in its window: refused, and nothing changed.
    status, body = await user.company("PUT", path, IBAN | {"password": PASSWORD, "code": code})
    assert status == 422 and field_codes(body) == {"code": ["second_factor.code_invalid"]}
    assert [a["kind"] for a in (await user.company("GET", "/bank-accounts"))[1]] == ["bankgiro"]

    # A recovery code works once.
    proof = {"password": PASSWORD, "code": recovery[0]}
    status, changed = await user.company("PUT", path, IBAN | proof)
    assert status == 200 and changed["number"] == "SE4550000000058398257466"
    assert (await user.company("DELETE", path, proof))[0] == 422
    assert (await user.company("DELETE", path, proof | {"code": recovery[1]}))[0] == 204
    assert (await user.company("GET", "/bank-accounts"))[1] == []


async def test_every_user_of_the_company_is_mailed_with_masked_numbers(
    system: System, http: aiohttp.ClientSession
) -> None:
    anna, outsider = await registered(system, http, "anna"), await registered(system, http, "olle")
    await with_company(anna)
    await with_company(outsider)
    karl = await colleague(anna, "karl")
    status, saved = await anna.company(
        "POST", "/bank-accounts", BANKGIRO | {"number": "5050-1055", "password": PASSWORD}
    )
    assert status == 201, saved
    for user in (anna, karl):
        mail = await system.mail_to(user.email, "Bankkonto tillagt")
        assert "Ek Spårteknik AB" in mail.subject
        assert "Bankgiro ****-1055" in mail.text
        assert "5050-1055" not in mail.text and "50501055" not in mail.html
        assert anna.email in mail.text and "Anna Ek" in mail.text
        assert "In English: Anna Ek" in mail.text

    status, _ = await anna.company(
        "PUT", f"/bank-accounts/{saved['id']}", IBAN | {"password": PASSWORD}
    )
    assert status == 200
    mail = await system.mail_to(karl.email, "Bankkonto ändrat")
    assert "Tidigare: Handelsbanken, Bankgiro ****-1055" in mail.text
    assert "Nu: SEB, IBAN SE** **** **** **** **** 7466" in mail.text
    assert "0583 9825" not in mail.text and "05839825" not in mail.text
    assert not [
        m
        for m in system.mail.store.messages()
        if outsider.email in m.recipients and "Bankkonto" in m.subject
    ]


async def test_the_audit_log_shows_the_changes_to_the_company_alone(
    system: System, http: aiohttp.ClientSession
) -> None:
    anna, olle = await registered(system, http, "anna"), await registered(system, http, "olle")
    company = await with_company(anna)
    await with_company(olle)
    status, saved = await anna.company(
        "POST", "/bank-accounts", BANKGIRO | {"number": "5050-1055", "password": PASSWORD}
    )
    assert status == 201
    await anna.company("PUT", f"/bank-accounts/{saved['id']}", IBAN | {"password": PASSWORD})
    renamed = {
        "name": "Ek Banteknik AB",
        "organisation_number": company["organisation_number"],
        "no_vat_number": True,
    }
    assert (await anna.company("PUT", "/company", renamed))[0] == 200

    status, entries = await anna.company("GET", "/audit-log")
    assert status == 200
    assert [e["action"] for e in entries] == [
        "company.changed",
        "bank_account.changed",
        "bank_account.added",
        "company.created",
    ]
    assert all(e["user_email"] == anna.email and e["user_id"] == anna.user_id for e in entries)
    times = [e["occurred_at"] for e in entries]
    assert times == sorted(times, reverse=True)
    assert entries[0]["before"]["name"] == "Ek Spårteknik AB"
    assert entries[0]["after"]["name"] == "Ek Banteknik AB"
    assert entries[1]["before"]["number"] == "****-1055"
    assert entries[1]["after"]["number"] == "SE** **** **** **** **** 7466"
    assert "5050-1055" not in str(entries) and "0583" not in str(entries)

    status, theirs = await olle.company("GET", "/audit-log")
    assert status == 200
    assert [e["action"] for e in theirs] == ["company.created"]
    assert anna.email not in str(theirs) and company["id"] not in str(theirs)
