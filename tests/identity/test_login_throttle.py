"""Guessing passwords is slowed per account and address, with growing delays and a captcha, and
never by locking the owner out: the owner logs in from its own address whatever others try."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.identity import throttle
from tests.identity.conftest import FROM_THE_WEB, Identity
from tests.identity.test_identity_api import PASSWORD, new_email, registered_and_confirmed

WRONG = "Fel-Lösen-1"


async def log_in(
    identity: Identity,
    email: str,
    password: str,
    client_ip: str,
    *,
    headers: dict[str, str] = FROM_THE_WEB,
    captcha: str = "",
) -> tuple[int, Any, int | None]:
    """A login as the web front sends it for a browser at `client_ip`; status, body, Retry-After."""
    form = {"email": email, "password": password, "client_ip": client_ip}
    if captcha:
        form["captcha"] = captcha
    async with identity.http.post(identity.url + "/v1/sessions", json=form, headers=headers) as r:
        retry_after = r.headers.get("Retry-After")
        return r.status, await r.json(), int(retry_after) if retry_after else None


async def test_the_owner_logs_in_from_its_own_address_while_a_guesser_elsewhere_is_refused(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    answers = [(await log_in(identity, email, WRONG, "203.0.113.7"))[0] for _ in range(8)]
    assert answers[: throttle.FREE_FAILURES_PER_PAIR] == [401] * throttle.FREE_FAILURES_PER_PAIR
    assert answers[-1] == 429, answers
    status, body, _ = await log_in(identity, email, PASSWORD, "192.0.2.44")
    assert status == 201, body


async def test_a_guesser_waits_longer_after_each_failure(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    guesser = "203.0.113.8"
    for _ in range(throttle.FREE_FAILURES_PER_PAIR):
        assert (await log_in(identity, email, WRONG, guesser))[0] == 401
    waits = []
    try:
        for _ in range(5):
            status, body, retry_after = await log_in(identity, email, WRONG, guesser)
            assert status == 429 and body["error"]["code"] == "login.throttled", body
            assert retry_after is not None and f"{retry_after} sekunder" in body["error"]["message"]
            waits.append(retry_after)
            identity.clock.offset += timedelta(seconds=retry_after)  # waited: one more try
            assert (await log_in(identity, email, WRONG, guesser))[0] == 401
        # The right password from the guesser's address waits too: it could be a lucky guess.
        assert (await log_in(identity, email, PASSWORD, guesser))[0] == 429
    finally:
        identity.clock.offset = timedelta()
    assert waits == sorted(waits) and waits[-1] >= 8 * waits[0], waits
    assert (await log_in(identity, email, PASSWORD, "192.0.2.45"))[0] == 201


async def test_one_account_guessed_from_many_addresses_asks_for_a_captcha(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    for n in range(throttle.CAPTCHA_AFTER_ACCOUNT_FAILURES):
        assert (await log_in(identity, email, WRONG, f"203.0.113.{100 + n}"))[0] == 401
    status, body, _ = await log_in(identity, email, WRONG, "203.0.113.200")
    assert status == 422 and body["error"]["fields"]["captcha"][0]["code"] == (
        "login.captcha_required"
    )
    assert "robot" in body["error"]["fields"]["captcha"][0]["message"]
    # The owner, at its own address, solves one and is in.
    status, body, _ = await log_in(identity, email, PASSWORD, "192.0.2.46")
    assert status == 422
    solution = await identity.solved_captcha()
    status, body, _ = await log_in(identity, email, PASSWORD, "192.0.2.46", captcha=solution)
    assert status == 201, body
    # A solution counts once.
    assert (await log_in(identity, email, PASSWORD, "192.0.2.46", captcha=solution))[0] == 422


async def test_an_address_guessing_many_accounts_is_slowed(identity: Identity) -> None:
    guesser = "203.0.113.9"
    statuses = [
        (await log_in(identity, new_email(), WRONG, guesser))[0]
        for _ in range(throttle.FREE_FAILURES_PER_ADDRESS + 3)
    ]
    assert statuses.count(401) == throttle.FREE_FAILURES_PER_ADDRESS, statuses
    assert statuses[-1] == 429
    email = await registered_and_confirmed(identity)
    assert (await log_in(identity, email, PASSWORD, "192.0.2.47"))[0] == 201


async def test_a_client_address_from_anyone_but_the_web_is_ignored(identity: Identity) -> None:
    """A caller without the internal secret can't spread its guesses over made-up addresses, nor
    spend the owner's allowance by naming the owner's address."""
    email = await registered_and_confirmed(identity)
    forged = [
        (await log_in(identity, email, WRONG, f"192.0.2.{n}", headers={}))[0] for n in range(8)
    ]
    assert forged.count(401) == throttle.FREE_FAILURES_PER_PAIR and forged[-1] == 429, forged
    status, body, _ = await log_in(identity, email, PASSWORD, "192.0.2.48")
    assert status == 201, body
    # And the session does not carry the address the caller claimed.
    auth = {"Authorization": f"Bearer {body['token']}"}
    status, sessions = await identity.call("GET", "/v1/sessions", headers=auth)
    assert status == 200 and {s["client_ip"] for s in sessions} == {"192.0.2.48"}
    status, body, _ = await log_in(identity, email, PASSWORD, "192.0.2.99", headers={})
    assert status == 429
