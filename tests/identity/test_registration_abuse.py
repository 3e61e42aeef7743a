"""Registration can't be turned against the service (one captcha solution replayed at once costs
one password hash) nor against an address's owner (an earlier registrant's password never
survives the owner's registration and confirmation)."""

from __future__ import annotations

import asyncio

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


async def test_registering_an_unconfirmed_address_again_discards_the_first_password(
    identity: Identity,
) -> None:
    email = new_email()
    squatter = "Kapad-2026-Konto!"
    assert (await identity.register(email, password=squatter, password_confirmation=squatter))[
        0
    ] == 202
    await identity.confirmation_for(email)
    # The address's owner registers, and confirms with the mail it gets.
    assert (await identity.register(email, first_name="Ägaren"))[0] == 202
    confirmation = await identity.confirmation_for(email, count=2)
    status, user = await identity.call(
        "POST", "/v1/confirmations/link", json={"token": confirmation["link_token"]}
    )
    assert status == 200 and user["first_name"] == "Ägaren"
    assert (await log_in(identity, email, squatter))[0] == 401
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
