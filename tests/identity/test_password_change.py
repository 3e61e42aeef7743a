"""A logged-in user changes the password by giving the current one (and the code when the second
factor is on); the other sessions and the open reset links end, and the owner is mailed."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import aiohttp

from tests.identity.conftest import Identity
from tests.identity.test_identity_api import PASSWORD, log_in, registered_and_confirmed
from tests.identity.test_second_factor import REAUTHENTICATION, turned_on
from tests.identity.test_sessions import bearer, session_from
from tests.security.test_authentication import confirmed_account
from tests.system import System

CHANGE = "/v1/users/me/password"
CURRENT = "/v1/sessions/current"
NEW_PASSWORD = "Växel-2027-Byte"


def change(current: str, new: str, confirmation: str | None = None, **more: str) -> dict[str, Any]:
    return {
        "password": current,
        "new_password": new,
        "new_password_confirmation": new if confirmation is None else confirmation,
    } | more


def field_codes(body: Any) -> dict[str, list[str]]:
    return {
        name: [problem["code"] for problem in problems]
        for name, problems in body["error"]["fields"].items()
    }


async def test_a_wrong_current_password_is_refused_and_changes_nothing(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.60")
    other = await session_from(identity, email, "Safari", "192.0.2.61")
    status, body = await identity.call(
        "PUT",
        CHANGE,
        headers=bearer(token) | {"Accept-Language": "en"},
        json=change("Fel-lösen-123!", NEW_PASSWORD),
    )
    assert status == 422, body
    assert field_codes(body) == {"password": ["reauthentication.password_invalid"]}
    assert body["error"]["fields"]["password"][0]["message"] == "The password is wrong."
    assert (await log_in(identity, email))[0] == 201
    assert (await log_in(identity, email, NEW_PASSWORD))[0] == 401
    assert (await identity.call("GET", CURRENT, headers=bearer(other)))[0] == 200
    # Without a session, nobody changes anything.
    status, body = await identity.call("PUT", CHANGE, json=change(PASSWORD, NEW_PASSWORD))
    assert status == 401 and body["error"]["code"] == "session.invalid"


async def test_a_new_password_breaking_a_rule_is_refused_at_its_field(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.62")
    for new, expected in (
        ("Sommar2024!", "password.common"),
        ("Ab1!", "password.too_short"),
        (email, "password.is_email"),
    ):
        status, body = await identity.call(
            "PUT", CHANGE, headers=bearer(token), json=change(PASSWORD, new)
        )
        assert status == 422, body
        assert expected in field_codes(body)["new_password"], body
        assert "password" not in body["error"]["fields"]
    status, body = await identity.call(
        "PUT", CHANGE, headers=bearer(token), json=change(PASSWORD, NEW_PASSWORD, "Växel-2027")
    )
    assert status == 422
    assert field_codes(body) == {"new_password_confirmation": ["password.mismatch"]}
    assert body["error"]["fields"]["new_password_confirmation"][0]["message"] == (
        "Lösenorden är inte lika."
    )
    status, body = await identity.call("PUT", CHANGE, headers=bearer(token), json={})
    assert status == 422
    assert set(field_codes(body)) == {"password", "new_password", "new_password_confirmation"}
    assert (await log_in(identity, email))[0] == 201
    assert (await log_in(identity, email, NEW_PASSWORD))[0] == 401


async def test_with_the_second_factor_on_the_code_is_asked_too(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.63")
    _, recovery_codes = await turned_on(identity, token)
    status, body = await identity.call(
        "PUT", CHANGE, headers=bearer(token), json=change(PASSWORD, NEW_PASSWORD)
    )
    assert status == 422
    assert field_codes(body) == {"code": ["second_factor.code_required"]}
    status, body = await identity.call(
        "PUT", CHANGE, headers=bearer(token), json=change(PASSWORD, NEW_PASSWORD, code="000000")
    )
    assert status == 422
    assert field_codes(body) == {"code": ["second_factor.code_invalid"]}
    status, body = await identity.call(
        "PUT",
        CHANGE,
        headers=bearer(token),
        json=change(PASSWORD, NEW_PASSWORD, code=recovery_codes[0]),
    )
    assert status == 204, body
    assert (await identity.call("GET", CURRENT, headers=bearer(token)))[0] == 200
    status, started = await log_in(identity, email, NEW_PASSWORD)
    assert status == 202 and "challenge" in started


async def test_wrong_current_passwords_count_as_failed_reauthentications(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.64")
    wrong = change("Fel-lösen-123!", NEW_PASSWORD)
    for _ in range(5):
        assert (await identity.call("PUT", CHANGE, headers=bearer(token), json=wrong))[0] == 422
    # Now even the right password waits, here and at every other reauthentication.
    status, body = await identity.call(
        "PUT", CHANGE, headers=bearer(token), json=change(PASSWORD, NEW_PASSWORD)
    )
    assert status == 429 and body["error"]["code"] == "reauthentication.throttled"
    status, body = await identity.call(
        "POST", REAUTHENTICATION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 429
    assert (await log_in(identity, email, NEW_PASSWORD))[0] == 401


async def call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, url, **kwargs) as r:
        return r.status, None if r.status == 204 else await r.json()


async def test_a_change_ends_the_other_sessions_and_reset_links_and_mails_the_owner(
    system: System,
) -> None:
    async with aiohttp.ClientSession() as http:
        address = await confirmed_account(system, http)
        tokens = []
        for _ in range(2):
            status, session = await call(
                http,
                "POST",
                system.identity_url + "/v1/sessions",
                json={"email": address, "password": PASSWORD},
            )
            assert status == 201, session
            tokens.append(session["token"])
        this, other = tokens
        status, _ = await call(
            http, "POST", system.identity_url + "/v1/password-resets", json={"email": address}
        )
        assert status == 202
        mail = await system.mail_to(address, "lösenord")
        reset_token = re.search(r"/password/reset\?token=([^\s\"<&]+)", mail.text)
        assert reset_token, mail.text

        status, body = await call(
            http,
            "PUT",
            system.identity_url + CHANGE,
            headers=bearer(this),
            json=change(PASSWORD, NEW_PASSWORD),
        )
        assert status == 204, body

        current = system.identity_url + CURRENT
        assert (await call(http, "GET", current, headers=bearer(this)))[0] == 200
        assert (await call(http, "GET", current, headers=bearer(other)))[0] == 401
        logins = []
        for password in (PASSWORD, NEW_PASSWORD):
            form = {"email": address, "password": password}
            logins.append(
                (await call(http, "POST", system.identity_url + "/v1/sessions", json=form))[0]
            )
        assert logins == [401, 201]
        form = {
            "token": unquote(reset_token.group(1)),
            "password": "Annat-2028-Lösen",
            "password_confirmation": "Annat-2028-Lösen",
        }
        status, body = await call(
            http, "POST", system.identity_url + "/v1/password-resets/complete", json=form
        )
        assert status == 410 and body["error"]["code"] == "reset.invalid"
        changed = await system.mail_to(address, "Ditt lösenord har ändrats")
        assert "ändrades den" in changed.text
