"""The optional second factor: set up with a first code, asked for at login in a second step,
each code accepted once, recovery codes once each, wrong codes throttled; and asking a logged-in
user for the password (and code) again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp

from tests.identity.conftest import FROM_THE_WEB, Identity
from tests.identity.test_identity_api import PASSWORD, registered_and_confirmed
from tests.identity.test_sessions import bearer, session_from

FACTOR = "/v1/users/me/second-factor"
REAUTHENTICATION = "/v1/sessions/current/reauthentication"


def code_at(identity: Identity, secret: str, steps: int = 0) -> str:
    """The code an authenticator app shows at the service's time, `steps` of 30 s later."""
    return pyotp.TOTP(secret).at(identity.clock() + timedelta(seconds=30 * steps))


async def turned_on(identity: Identity, token: str) -> tuple[str, list[str]]:
    """Turn the second factor on; its secret and recovery codes."""
    status, setup = await identity.call("POST", FACTOR, headers=bearer(token))
    assert status == 201, setup
    assert setup["uri"].startswith("otpauth://totp/") and setup["secret"] in setup["uri"]
    status, confirmed = await identity.call(
        "POST",
        FACTOR + "/confirmation",
        headers=bearer(token),
        json={"code": code_at(identity, setup["secret"])},
    )
    assert status == 200, confirmed
    return setup["secret"], confirmed["recovery_codes"]


async def first_step(identity: Identity, email: str) -> dict[str, Any]:
    form = {
        "email": email,
        "password": PASSWORD,
        "user_agent": "Firefox",
        "client_ip": "192.0.2.40",
    }
    status, body = await identity.call("POST", "/v1/sessions", json=form, headers=FROM_THE_WEB)
    assert status == 202, body
    assert "token" not in body
    return dict(body)


async def second_step(identity: Identity, challenge: str, code: str) -> tuple[int, Any]:
    return await identity.call(
        "POST", "/v1/sessions/second-factor", json={"challenge": challenge, "code": code}
    )


async def test_set_up_shows_the_secret_once_and_ten_recovery_codes(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.30")
    assert (await identity.call("GET", FACTOR, headers=bearer(token)))[1] == {
        "enabled": False,
        "recovery_codes_left": 0,
    }
    status, setup = await identity.call("POST", FACTOR, headers=bearer(token))
    assert status == 201
    # A wrong first code leaves it off.
    status, body = await identity.call(
        "POST", FACTOR + "/confirmation", headers=bearer(token), json={"code": "000000"}
    )
    assert status == 422 and body["error"]["fields"]["code"][0]["code"] == (
        "second_factor.code_invalid"
    )
    status, confirmed = await identity.call(
        "POST",
        FACTOR + "/confirmation",
        headers=bearer(token),
        json={"code": code_at(identity, setup["secret"])},
    )
    assert status == 200
    codes = confirmed["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    status, shown = await identity.call("GET", FACTOR, headers=bearer(token))
    assert shown == {"enabled": True, "recovery_codes_left": 10}
    assert setup["secret"] not in str(shown)
    # Once on, nobody gets a new secret without turning it off first.
    status, body = await identity.call("POST", FACTOR, headers=bearer(token))
    assert status == 409 and body["error"]["code"] == "second_factor.already_on"


async def test_login_asks_for_a_code_and_accepts_each_code_once(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.31")
    secret, _ = await turned_on(identity, token)
    identity.clock.offset = timedelta(seconds=30)  # past the step the set-up code used
    try:
        challenge = (await first_step(identity, email))["challenge"]
        code = code_at(identity, secret)
        status, session = await second_step(identity, challenge, code)
        assert status == 201, session
        assert session["user"]["email"] == email
        me = await identity.call("GET", "/v1/sessions/current", headers=bearer(session["token"]))
        assert me[0] == 200

        # The same code again, in its own time window, on a new login: refused.
        challenge = (await first_step(identity, email))["challenge"]
        status, body = await second_step(identity, challenge, code)
        assert status == 422
        assert body["error"]["fields"]["code"][0]["code"] == "second_factor.code_invalid"
        # Nor the previous window's code, once a newer one was used.
        status, _ = await second_step(identity, challenge, code_at(identity, secret, -1))
        assert status == 422
        # The next window's code is accepted; the challenge then is spent.
        identity.clock.offset = timedelta(seconds=60)
        status, _ = await second_step(identity, challenge, code_at(identity, secret))
        assert status == 201
        status, body = await second_step(identity, challenge, code_at(identity, secret, 1))
        assert status == 401 and body["error"]["code"] == "login.second_step_expired"
    finally:
        identity.clock.offset = timedelta()


async def test_a_recovery_code_works_once(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.32")
    _, codes = await turned_on(identity, token)
    challenge = (await first_step(identity, email))["challenge"]
    status, session = await second_step(identity, challenge, codes[3].upper())
    assert status == 201, session
    status, shown = await identity.call("GET", FACTOR, headers=bearer(session["token"]))
    assert shown["recovery_codes_left"] == 9
    challenge = (await first_step(identity, email))["challenge"]
    status, body = await second_step(identity, challenge, codes[3])
    assert status == 422, body


async def test_wrong_codes_are_throttled(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.33")
    secret, _ = await turned_on(identity, token)
    challenge = (await first_step(identity, email))["challenge"]
    wrong = f"{(int(code_at(identity, secret)) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        assert (await second_step(identity, challenge, wrong))[0] == 422
    status, body = await second_step(identity, challenge, code_at(identity, secret))
    assert status == 429, body
    assert body["error"]["code"] == "reauthentication.throttled"


async def test_reauthentication_asks_the_password_and_the_code(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.34")
    status, body = await identity.call(
        "POST", REAUTHENTICATION, headers=bearer(token), json={"password": "Fel-lösen-1"}
    )
    assert status == 422
    assert body["error"]["fields"]["password"][0]["code"] == "reauthentication.password_invalid"
    assert (
        await identity.call(
            "POST", REAUTHENTICATION, headers=bearer(token), json={"password": PASSWORD}
        )
    )[0] == 204
    assert (await identity.call("POST", REAUTHENTICATION, json={"password": PASSWORD}))[0] == 401

    secret, _ = await turned_on(identity, token)
    status, body = await identity.call(
        "POST", REAUTHENTICATION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 422 and set(body["error"]["fields"]) == {"code"}
    identity.clock.offset = timedelta(seconds=30)
    try:
        proof = {"password": PASSWORD, "code": code_at(identity, secret)}
        assert (await identity.call("POST", REAUTHENTICATION, headers=bearer(token), json=proof))[
            0
        ] == 204
        status, body = await identity.call(
            "POST", REAUTHENTICATION, headers=bearer(token), json=proof
        )
        assert status == 422 and set(body["error"]["fields"]) == {"code"}

        # Turning it off asks for both, too; then a login is one step again.
        identity.clock.offset = timedelta(seconds=60)
        status, body = await identity.call(
            "DELETE", FACTOR, headers=bearer(token), json={"password": PASSWORD}
        )
        assert status == 422
        proof = {"password": PASSWORD, "code": code_at(identity, secret)}
        assert (await identity.call("DELETE", FACTOR, headers=bearer(token), json=proof))[0] == 204
        await session_from(identity, email, "Firefox", "192.0.2.34")
    finally:
        identity.clock.offset = timedelta()
