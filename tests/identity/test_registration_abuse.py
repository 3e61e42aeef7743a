"""Registration can't be turned against the service (one captcha solution replayed at once costs
one password hash) nor against an address's owner (an earlier registrant's password never
survives the owner's registration and confirmation)."""

from __future__ import annotations

import asyncio

import pytest

from tests.identity.conftest import Identity
from tests.identity.test_identity_api import PASSWORD, log_in, new_email

HASHES = "portal_password_hashes_total"


async def test_a_captcha_solution_sent_twenty_times_at_once_is_processed_once(
    identity: Identity,
) -> None:
    solution = await identity.solved_captcha()
    before = await identity.metric(HASHES)
    answers = await asyncio.gather(
        *(identity.register(new_email(), captcha=solution) for _ in range(20))
    )
    hashed = await identity.metric(HASHES) - before
    print(f"20 registrations with one captcha solution: {hashed:.0f} password hash(es)")
    statuses = sorted(status for status, _ in answers)
    assert statuses == [202] + [422] * 19, statuses
    for status, body in answers:
        if status == 422:
            assert list(body["error"]["fields"]) == ["captcha"], body
            assert body["error"]["fields"]["captcha"][0]["code"] == "captcha.spent"
            assert "redan" in body["error"]["fields"]["captcha"][0]["message"]
    assert hashed == 1


@pytest.mark.parametrize("squatter_first", [True, False], ids=["squatter-first", "owner-first"])
async def test_an_address_registered_twice_keeps_neither_password(
    identity: Identity, squatter_first: bool
) -> None:
    """Account pre-hijacking, in either order: whoever registers the address too, the owner
    who confirms from its mailbox chooses the password, and no registrant's password logs in."""
    email = new_email()
    squatter = "Kapad-2026-Konto!"
    registrations = [
        {"password": squatter, "password_confirmation": squatter, "first_name": "Kaparen"},
        {"first_name": "Ägaren"},
    ]
    for registration in registrations if squatter_first else registrations[::-1]:
        assert (await identity.register(email, **registration))[0] == 202
    confirmation = await identity.confirmation_for(email, count=2)
    status, user = await identity.call(
        "POST", "/v1/confirmations/link", json={"token": confirmation["link_token"]}
    )
    assert status == 200 and user["email_confirmed"], user
    assert (await log_in(identity, email, squatter))[0] == 401
    assert (await log_in(identity, email, PASSWORD))[0] == 401
    chosen = "Mitt-eget-2026-Lösen"
    status, _ = await identity.call(
        "POST",
        "/v1/password-resets/complete",
        json={
            "token": user["choose_password_token"],
            "password": chosen,
            "password_confirmation": chosen,
        },
    )
    assert status == 200
    assert (await log_in(identity, email, chosen))[0] == 201


async def test_an_address_registered_once_keeps_its_password(identity: Identity) -> None:
    email = new_email()
    assert (await identity.register(email))[0] == 202
    confirmation = await identity.confirmation_for(email)
    status, user = await identity.call(
        "POST", "/v1/confirmations/link", json={"token": confirmation["link_token"]}
    )
    assert status == 200 and user["choose_password_token"] is None
    assert (await log_in(identity, email, PASSWORD))[0] == 201


async def test_a_code_is_spent_after_five_wrong_guesses_even_when_sent_at_once(
    identity: Identity,
) -> None:
    email = new_email()
    await identity.register(email)
    code = (await identity.confirmation_for(email))["code"]
    wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 21)]
    answers = await asyncio.gather(
        *(
            identity.call("POST", "/v1/confirmations/code", json={"email": email, "code": c})
            for c in wrong
        )
    )
    codes = [body["error"]["code"] for _, body in answers]
    assert codes.count("confirmation.code_invalid") == 4, codes
    status, body = await identity.call(
        "POST", "/v1/confirmations/code", json={"email": email, "code": code}
    )
    assert status == 400 and body["error"]["code"] == "confirmation.too_many_attempts"
    assert (await log_in(identity, email))[0] == 403
