"""A logged-in user deletes the account by giving the password (and the code when the second
factor is on): the row keeps its id and nothing personal, every way in ends, the address is as
unknown as any other and can register again, and identity.user_deleted is published."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from tests.identity.conftest import Identity
from tests.identity.test_identity_api import PASSWORD, log_in, new_email, registered_and_confirmed
from tests.identity.test_password_change import field_codes
from tests.identity.test_second_factor import REAUTHENTICATION, turned_on
from tests.identity.test_sessions import bearer, session_from

DELETION = "/v1/users/me/deletion"
CURRENT = "/v1/sessions/current"
NEW_PASSWORD = "Ny-start-2027!"


def deleted(user_id: str) -> Any:
    return lambda e: e.type == "identity.user_deleted" and e.payload["user_id"] == user_id


async def user_id_of(identity: Identity, token: str) -> str:
    status, user = await identity.call("GET", CURRENT, headers=bearer(token))
    assert status == 200, user
    return str(user["id"])


async def fetched(identity: Identity, query: str, user_id: str) -> asyncpg.Record:
    """The first row `query` finds in identity's tables for the user ($1)."""
    conn = await asyncpg.connect(identity.database_url)
    try:
        row = await conn.fetchrow(query, uuid.UUID(user_id))
        assert row is not None
        return row
    finally:
        await conn.close()


async def row_of(identity: Identity, user_id: str) -> asyncpg.Record:
    return await fetched(identity, "SELECT * FROM users WHERE id = $1", user_id)


async def test_a_wrong_password_is_refused_at_its_field_and_deletes_nothing(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.80")
    user_id = await user_id_of(identity, token)
    status, body = await identity.call(
        "POST",
        DELETION,
        headers=bearer(token) | {"Accept-Language": "en"},
        json={"password": "Fel-lösen-123!"},
    )
    assert status == 422, body
    assert field_codes(body) == {"password": ["reauthentication.password_invalid"]}
    assert body["error"]["fields"]["password"][0]["message"] == "The password is wrong."
    status, body = await identity.call("POST", DELETION, headers=bearer(token), json={})
    assert status == 422 and field_codes(body) == {"password": ["required"]}
    # Without a session, nobody deletes anything.
    status, body = await identity.call("POST", DELETION, json={"password": PASSWORD})
    assert status == 401 and body["error"]["code"] == "session.invalid"

    assert (await identity.call("GET", CURRENT, headers=bearer(token)))[0] == 200
    assert (await log_in(identity, email))[0] == 201
    row = await row_of(identity, user_id)
    assert row["email"] == email and row["deleted_at"] is None
    assert not [e for e in identity.events.envelopes if deleted(user_id)(e)]


async def test_the_right_password_deletes_the_account_and_the_address_is_free_again(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.81")
    other = await session_from(identity, email, "Safari", "192.0.2.82")
    user_id = await user_id_of(identity, token)

    status, body = await identity.call(
        "POST", DELETION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 204, body

    [event] = await identity.events.wait_for(deleted(user_id))
    assert event.producer == "identity"
    assert event.payload["email"] == email
    assert event.payload["first_name"] == "Karin"
    assert event.payload["language"] == "sv"
    assert event.payload["deleted_at"]
    row = await row_of(identity, user_id)
    assert row["email"] is None
    assert (row["first_name"], row["last_name"], row["password_hash"]) == ("", "", "!")
    assert row["deleted_at"] is not None
    for session in (token, other):
        status, body = await identity.call("GET", CURRENT, headers=bearer(session))
        assert status == 401 and body["error"]["code"] == "session.invalid"
    # Deleted once: the session that asked is gone, so nothing is deleted twice.
    status, _ = await identity.call(
        "POST", DELETION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 401

    # The old address and password log in no better than an address nobody has.
    deleted_login = await log_in(identity, email)
    unknown_login = await log_in(identity, new_email())
    assert deleted_login == unknown_login
    assert deleted_login[0] == 401
    # A reset for it is answered alike, and mails nothing.
    status, body = await identity.call("POST", "/v1/password-resets", json={"email": email})
    assert (status, body) == (202, {"email": email})

    # The same address registers a new account, with a new id.
    assert (
        await identity.register(email, password=NEW_PASSWORD, password_confirmation=NEW_PASSWORD)
    )[0] == 202
    _, registered = await identity.events.wait_for(
        lambda e: e.type == "identity.user_registered" and e.payload["email"] == email, count=2
    )
    assert registered.payload["user_id"] != user_id
    assert not [
        e
        for e in identity.events.envelopes
        if e.type == "identity.password_reset_requested" and e.payload["email"] == email
    ]
    confirmation = await identity.confirmation_for(email)
    status, _ = await identity.call(
        "POST", "/v1/confirmations/link", json={"token": confirmation["link_token"]}
    )
    assert status == 200
    status, started = await log_in(identity, email, NEW_PASSWORD)
    assert status == 201 and started["user"]["id"] == registered.payload["user_id"]


async def test_with_the_second_factor_on_the_code_is_asked_too(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.83")
    user_id = await user_id_of(identity, token)
    _, recovery_codes = await turned_on(identity, token)
    status, body = await identity.call(
        "POST", DELETION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 422 and field_codes(body) == {"code": ["second_factor.code_required"]}
    status, body = await identity.call(
        "POST", DELETION, headers=bearer(token), json={"password": PASSWORD, "code": "000000"}
    )
    assert status == 422 and field_codes(body) == {"code": ["second_factor.code_invalid"]}
    assert (await identity.call("GET", CURRENT, headers=bearer(token)))[0] == 200

    status, body = await identity.call(
        "POST",
        DELETION,
        headers=bearer(token),
        json={"password": PASSWORD, "code": recovery_codes[0]},
    )
    assert status == 204, body
    await identity.events.wait_for(deleted(user_id))
    for table in ("second_factors", "recovery_codes", "sessions", "confirmations"):
        query = f"SELECT count(*) FROM {table} WHERE user_id = $1"  # noqa: S608 - names are ours
        assert (await fetched(identity, query, user_id))[0] == 0, table


async def test_wrong_passwords_are_throttled_like_every_reauthentication(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    token = await session_from(identity, email, "Firefox", "192.0.2.84")
    wrong = {"password": "Fel-lösen-123!"}
    for _ in range(5):
        assert (await identity.call("POST", DELETION, headers=bearer(token), json=wrong))[0] == 422
    status, body = await identity.call(
        "POST", DELETION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 429 and body["error"]["code"] == "reauthentication.throttled"
    status, _ = await identity.call(
        "POST", REAUTHENTICATION, headers=bearer(token), json={"password": PASSWORD}
    )
    assert status == 429
    assert (await identity.call("GET", CURRENT, headers=bearer(token)))[0] == 200
