"""The identity API on the real database and broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from shared.broker import Broker
from shared.events import wrap
from shared.events.company import SupplierInvited
from tests.conftest import AMQP_URL
from tests.identity.conftest import Identity

PASSWORD = "Räls-2026-Spår"


def new_email() -> str:
    return f"karin.{uuid.uuid4().hex[:10]}@example.com"


async def registered_and_confirmed(identity: Identity) -> str:
    email = new_email()
    assert (await identity.register(email))[0] == 202
    confirmation = await identity.confirmation_for(email)
    status, _ = await identity.call(
        "POST", "/v1/confirmations/link", json={"token": confirmation["link_token"]}
    )
    assert status == 200
    return email


async def log_in(identity: Identity, email: str, password: str = PASSWORD) -> tuple[int, dict]:
    return await identity.call("POST", "/v1/sessions", json={"email": email, "password": password})


async def test_registration_publishes_the_user_and_a_confirmation(identity: Identity) -> None:
    email = new_email()
    status, body = await identity.register(email.upper())
    assert (status, body) == (202, {"email": email})
    registered = await identity.events.wait_for(
        lambda e: e.type == "identity.user_registered" and e.payload["email"] == email
    )
    assert registered[0].payload["privacy_policy_version"]
    assert "password" not in str(registered[0].payload).lower()
    confirmation = await identity.confirmation_for(email)
    assert len(confirmation["code"]) == 6 and len(confirmation["link_token"]) > 30


async def test_every_wrong_field_is_named_in_the_users_language(identity: Identity) -> None:
    status, body = await identity.call(
        "POST",
        "/v1/registrations",
        json={"email": "not-an-address", "password": "kort", "password_confirmation": "annat"},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert status == 422
    fields = body["error"]["fields"]
    assert set(fields) == {
        "email",
        "first_name",
        "last_name",
        "password",
        "password_confirmation",
        "captcha",
        "privacy_policy_accepted",
    }
    assert [e["code"] for e in fields["password"]] == [
        "password.too_short",
        "password.no_special",
        "password.no_lower_and_upper",
        "password.no_digit",
    ]
    assert fields["email"][0]["message"] == "Enter a valid e-mail address."
    status, body = await identity.call("POST", "/v1/registrations", json={"email": "x"})
    assert body["error"]["fields"]["first_name"][0]["message"] == "Fältet är obligatoriskt."


async def test_wrong_types_and_unknown_fields_are_422_not_500(identity: Identity) -> None:
    for payload in (
        {"privacy_policy_accepted": "maybe"},
        {"email": ["a"]},
        {"admin": True},
        [1, 2],
    ):
        status, body = await identity.call("POST", "/v1/registrations", json=payload)
        assert status == 422, payload
        assert body["error"]["fields"]
    status, body = await identity.call("POST", "/v1/registrations", data=b"{not json")
    assert status == 422 and "body" in body["error"]["fields"]


async def test_a_captcha_solution_counts_once(identity: Identity) -> None:
    solution = await identity.solved_captcha()
    assert (await identity.register(new_email(), captcha=solution))[0] == 202
    status, body = await identity.register(new_email(), captcha=solution)
    assert status == 422 and list(body["error"]["fields"]) == ["captcha"]


async def test_registering_a_known_address_answers_the_same_and_tells_the_owner(
    identity: Identity,
) -> None:
    email = await registered_and_confirmed(identity)
    status, body = await identity.register(email, first_name="Someone", last_name="Else")
    assert (status, body) == (202, {"email": email})
    await identity.events.wait_for(
        lambda e: (
            e.type == "identity.registration_attempted_for_existing_account"
            and e.payload["email"] == email
        )
    )


async def test_confirmation_by_link_is_single_use_and_lets_the_user_log_in(
    identity: Identity,
) -> None:
    email = new_email()
    await identity.register(email)
    assert (await log_in(identity, email))[0] == 403
    token = (await identity.confirmation_for(email))["link_token"]
    status, user = await identity.call("POST", "/v1/confirmations/link", json={"token": token})
    assert status == 200 and user["email_confirmed"]
    # Opened again (a mail scanner, a second click): still confirmed, nothing more happens.
    assert (await identity.call("POST", "/v1/confirmations/link", json={"token": token}))[0] == 200
    assert (await identity.call("POST", "/v1/confirmations/link", json={"token": "forged"}))[
        0
    ] == 410
    status, session = await log_in(identity, email)
    assert status == 201 and session["user"]["email"] == email


async def test_confirmation_by_code_limits_wrong_attempts(identity: Identity) -> None:
    email = new_email()
    await identity.register(email)
    code = (await identity.confirmation_for(email))["code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        status, body = await identity.call(
            "POST", "/v1/confirmations/code", json={"email": email, "code": wrong}
        )
        assert (
            status == 400
            and body["error"]["fields"]["code"][0]["code"] == "confirmation.code_invalid"
        )
    status, body = await identity.call(
        "POST", "/v1/confirmations/code", json={"email": email, "code": wrong}
    )
    assert body["error"]["code"] == "confirmation.too_many_attempts"
    status, body = await identity.call(
        "POST", "/v1/confirmations/code", json={"email": email, "code": code}
    )
    assert body["error"]["code"] == "confirmation.too_many_attempts"
    # A new e-mail brings a new code, and the right one confirms.
    assert (await identity.call("POST", "/v1/confirmations/resend", json={"email": email}))[
        0
    ] == 202
    code = (await identity.confirmation_for(email, count=2))["code"]
    status, user = await identity.call(
        "POST", "/v1/confirmations/code", json={"email": email, "code": code}
    )
    assert status == 200 and user["email_confirmed"]


async def test_an_unknown_address_gets_the_same_answer_as_a_wrong_code(identity: Identity) -> None:
    status, body = await identity.call(
        "POST", "/v1/confirmations/code", json={"email": new_email(), "code": "123456"}
    )
    assert status == 400 and body["error"]["code"] == "confirmation.code_invalid"


async def test_codes_expire_after_thirty_minutes(identity: Identity) -> None:
    email = new_email()
    await identity.register(email)
    code = (await identity.confirmation_for(email))["code"]
    identity.clock.offset = timedelta(minutes=31)
    try:
        status, _ = await identity.call(
            "POST", "/v1/confirmations/code", json={"email": email, "code": code}
        )
    finally:
        identity.clock.offset = timedelta()
    assert status == 400


async def test_sessions_end_on_logout(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    _, session = await log_in(identity, email)
    auth = {"Authorization": f"Bearer {session['token']}"}
    status, user = await identity.call("GET", "/v1/sessions/current", headers=auth)
    assert status == 200 and user["email"] == email
    assert (await identity.call("DELETE", "/v1/sessions/current", headers=auth))[0] == 204
    assert (await identity.call("GET", "/v1/sessions/current", headers=auth))[0] == 401


async def test_unknown_address_and_wrong_password_answer_alike(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    wrong_password = await log_in(identity, email, "Fel-Lösen-1")
    unknown = await log_in(identity, new_email(), "Fel-Lösen-1")
    assert wrong_password == unknown == (401, wrong_password[1])


async def test_password_reset_sets_a_new_password_and_ends_sessions(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    _, session = await log_in(identity, email)
    assert (await identity.call("POST", "/v1/password-resets", json={"email": email}))[0] == 202
    assert (await identity.call("POST", "/v1/password-resets", json={"email": new_email()}))[
        0
    ] == 202
    reset = await identity.events.wait_for(
        lambda e: e.type == "identity.password_reset_requested" and e.payload["email"] == email
    )
    token = reset[0].payload["reset_token"]
    new_password = "Ny-Växel-2027"
    status, body = await identity.call(
        "POST",
        "/v1/password-resets/complete",
        json={"token": token, "password": "svag", "password_confirmation": "svag"},
    )
    assert status == 422 and "password" in body["error"]["fields"]
    form = {"token": token, "password": new_password, "password_confirmation": new_password}
    assert (await identity.call("POST", "/v1/password-resets/complete", json=form))[0] == 200
    assert (await identity.call("POST", "/v1/password-resets/complete", json=form))[0] == 410
    auth = {"Authorization": f"Bearer {session['token']}"}
    assert (await identity.call("GET", "/v1/sessions/current", headers=auth))[0] == 401
    assert (await log_in(identity, email))[0] == 401
    assert (await log_in(identity, email, new_password))[0] == 201


async def test_a_completed_reset_ends_every_other_reset_link(identity: Identity) -> None:
    email = await registered_and_confirmed(identity)
    for _ in range(2):
        assert (await identity.call("POST", "/v1/password-resets", json={"email": email}))[0] == 202
    resets = await identity.events.wait_for(
        lambda e: e.type == "identity.password_reset_requested" and e.payload["email"] == email,
        count=2,
    )
    first, second = (reset.payload["reset_token"] for reset in resets)
    new_password = "Ny-Växel-2027"
    form = {"password": new_password, "password_confirmation": new_password}
    assert (
        await identity.call("POST", "/v1/password-resets/complete", json={"token": first, **form})
    )[0] == 200
    status, body = await identity.call(
        "POST", "/v1/password-resets/complete", json={"token": second, **form}
    )
    assert status == 410 and body["error"]["code"] == "reset.invalid"


async def test_an_invitation_prefills_registration_and_is_single_use(identity: Identity) -> None:
    prefix = identity.events_prefix
    token, email = f"inv-{uuid.uuid4().hex}", new_email()
    invited = SupplierInvited(
        invitation_id=uuid.uuid4(),
        buyer_id=uuid.uuid4(),
        buyer_name="Infranord AB",
        email=email,
        first_name="Olle",
        last_name="Ström",
        language="sv",
        invitation_token=token,
        expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    broker = await Broker.connect(AMQP_URL, prefix)
    try:
        await broker.publish(
            invited.routing_key(),
            wrap(invited, producer="company").model_dump_json().encode(),
            uuid.uuid4(),
        )
    finally:
        await broker.close()
    for _ in range(100):
        status, prefill = await identity.call("GET", f"/v1/invitations/{token}")
        if status == 200:
            break
        await asyncio.sleep(0.05)
    assert prefill == {
        "buyer_name": "Infranord AB",
        "email": email,
        "first_name": "Olle",
        "last_name": "Ström",
    }
    # The invitation's address wins over whatever the form carries.
    status, body = await identity.register("someone.else@example.com", invitation_token=token)
    assert (status, body) == (202, {"email": email})
    registered = await identity.events.wait_for(
        lambda e: e.type == "identity.user_registered" and e.payload["email"] == email
    )
    assert registered[0].payload["invitation_id"] == str(invited.invitation_id)
    assert (await identity.call("GET", f"/v1/invitations/{token}"))[0] == 404
