"""Sessions end after a while without use, and their owner sees and ends each of them."""

from __future__ import annotations

from datetime import timedelta

from tests.identity.conftest import FROM_THE_WEB, Identity
from tests.identity.test_identity_api import PASSWORD, registered_and_confirmed

CURRENT = "/v1/sessions/current"


async def session_from(identity: Identity, email: str, user_agent: str, client_ip: str) -> str:
    form = {"email": email, "password": PASSWORD, "user_agent": user_agent, "client_ip": client_ip}
    status, body = await identity.call("POST", "/v1/sessions", json=form, headers=FROM_THE_WEB)
    assert status == 201, body
    return str(body["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_session_unused_for_thirty_minutes_ends(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.10")
    try:
        for minutes in (20, 40, 55):  # used every 20 minutes or less: alive
            identity.clock.offset = timedelta(minutes=minutes)
            assert (await identity.call("GET", CURRENT, headers=bearer(token)))[0] == 200
        identity.clock.offset = timedelta(minutes=55 + 31)
        status, body = await identity.call("GET", CURRENT, headers=bearer(token))
        assert status == 401 and body["error"]["code"] == "session.invalid"
    finally:
        identity.clock.offset = timedelta()


async def test_the_owner_lists_its_sessions_and_ends_one_at_once(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    laptop = await session_from(identity, email, "Firefox på laptopen", "192.0.2.11")
    phone = await session_from(identity, email, "Safari på telefonen", "192.0.2.12")
    status, sessions = await identity.call("GET", "/v1/sessions", headers=bearer(laptop))
    assert status == 200
    seen = {(s["user_agent"], s["client_ip"], s["current"]) for s in sessions}
    assert seen == {
        ("Firefox på laptopen", "192.0.2.11", True),
        ("Safari på telefonen", "192.0.2.12", False),
    }
    assert all(s["created_at"] and s["last_used_at"] for s in sessions)
    other = next(s["id"] for s in sessions if not s["current"])

    # Nobody else can end it, nor see it.
    stranger = await session_from(
        identity, await registered_and_confirmed(identity), "curl", "192.0.2.13"
    )
    assert (await identity.call("DELETE", f"/v1/sessions/{other}", headers=bearer(stranger)))[
        0
    ] == 404
    status, theirs = await identity.call("GET", "/v1/sessions", headers=bearer(stranger))
    assert [s["user_agent"] for s in theirs] == ["curl"]
    assert (await identity.call("GET", CURRENT, headers=bearer(phone)))[0] == 200

    assert (await identity.call("DELETE", f"/v1/sessions/{other}", headers=bearer(laptop)))[
        0
    ] == 204
    assert (await identity.call("GET", CURRENT, headers=bearer(phone)))[0] == 401
    assert (await identity.call("GET", CURRENT, headers=bearer(laptop)))[0] == 200
    status, sessions = await identity.call("GET", "/v1/sessions", headers=bearer(laptop))
    assert [s["user_agent"] for s in sessions] == ["Firefox på laptopen"]
    # A malformed id is a 404 too, not a 500.
    assert (await identity.call("DELETE", "/v1/sessions/inte-ett-id", headers=bearer(laptop)))[
        0
    ] == 404
