"""A user who deletes the account (identity.user_deleted) leaves the company: the company keeps an
admin and its change log, a buyer's invoice service hears who may still act, and the address may
be invited again. The accounts are deleted through identity, as a user does."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.company.handlers import on_user_deleted
from shared.events import Envelope
from shared.events.identity import UserDeleted
from tests.company.conftest import OPERATOR, PASSWORD, Company
from tests.company.test_company_api import valid_orgnr
from tests.company.test_members import (
    company_id,
    invitation_token,
    joined,
    new_email,
    supplier_admin,
)


async def colleague(company: Company, admin: str, name: str, people: int) -> str:
    """A colleague the admin invites as a user, joined as the company's `people`th member."""
    email = new_email(name)
    status, body = await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": email, "first_name": name.title(), "last_name": "Ek", "role": "user"},
    )
    assert status == 201, body
    token = await company.user(email, invitation_token=await invitation_token(company, email))
    await joined(company, token, await company_id(company, admin), people)
    return token


async def user_id(company: Company, token: str) -> str:
    status, user = await company.call(
        "GET", "/v1/sessions/current", token, base=company.identity_url
    )
    assert status == 200, user
    return str(user["id"])


async def delete_account(company: Company, token: str) -> Envelope:
    """Delete the account as its user does; the event identity published about it."""
    deleted = await user_id(company, token)
    status, body = await company.call(
        "POST",
        "/v1/users/me/deletion",
        token,
        base=company.identity_url,
        json={"password": PASSWORD},
    )
    assert status == 204, body
    [event] = await company.events.wait_for(
        lambda e: e.type == "identity.user_deleted" and e.payload["user_id"] == deleted
    )
    return event


async def people_announced(company: Company, of: str, user_ids: set[str], since: Envelope) -> None:
    """Wait until the company announced exactly `user_ids` as its people, after `since`."""
    earlier = {
        e.event_id for e in company.events.envelopes[: company.events.envelopes.index(since)]
    }
    await company.events.wait_for(
        lambda e: (
            e.event_id not in earlier
            and e.type in ("company.supplier_profile_changed", "company.buyer_users_changed")
            and e.payload.get("company_id", e.payload.get("buyer_id")) == of
            and set(e.payload["user_ids"]) == user_ids
        )
    )


def roles(listing: dict[str, Any]) -> dict[str, str]:
    return {m["user_id"]: m["role"] for m in listing["members"]}


async def test_a_deleted_colleague_leaves_and_the_address_may_be_invited_again(
    company: Company,
) -> None:
    admin = await supplier_admin(company)
    of = await company_id(company, admin)
    bo = await colleague(company, admin, "bo", 2)
    _, listing = await company.call("GET", "/v1/me/members", admin)
    bo_id = await user_id(company, bo)
    bo_email = next(m["email"] for m in listing["members"] if m["user_id"] == bo_id)

    deleted = await delete_account(company, bo)

    admin_id = await user_id(company, admin)
    await people_announced(company, of, {admin_id}, deleted)
    status, listing = await company.call("GET", "/v1/me/members", admin)
    assert status == 200 and roles(listing) == {admin_id: "admin"}
    # The address is nobody's now: the admin may invite it again.
    status, body = await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": bo_email, "first_name": "Bo", "last_name": "Ek", "role": "user"},
    )
    assert status == 201, body


async def test_the_last_admin_leaving_makes_the_earliest_colleague_admin(
    company: Company,
) -> None:
    admin = await supplier_admin(company)
    of = await company_id(company, admin)
    _, founder = await company.call("GET", "/v1/sessions/current", admin, base=company.identity_url)
    first = await colleague(company, admin, "anna", 2)
    second = await colleague(company, admin, "cecilia", 3)
    before = (await company.call("GET", "/v1/me/audit-log", admin))[1]

    deleted = await delete_account(company, admin)

    first_id, second_id = await user_id(company, first), await user_id(company, second)
    await people_announced(company, of, {first_id, second_id}, deleted)
    status, listing = await company.call("GET", "/v1/me/members", first)
    assert status == 200 and roles(listing) == {first_id: "admin", second_id: "user"}
    # The new admin changes what an admin changes, and the change log keeps the founder's entries.
    status, log = await company.call("GET", "/v1/me/audit-log", first)
    assert status == 200 and log == before
    assert founder["email"] in {entry["user_email"] for entry in log}
    status, _ = await company.call(
        "POST",
        "/v1/me/members",
        first,
        json={"email": new_email("dan"), "first_name": "Dan", "last_name": "Ek"},
    )
    assert status == 201


async def test_a_buyers_deleted_user_is_announced_to_the_invoice_service(
    company: Company,
) -> None:
    buyer = await company.buyer(organisation_number=valid_orgnr(uuid.uuid4().int))
    tokens = []
    for people, (name, role) in enumerate((("anna", "admin"), ("bo", "user")), start=1):
        email = new_email(name)
        status, _ = await company.call(
            "POST",
            f"/v1/buyers/{buyer['id']}/users",
            OPERATOR,
            json={"email": email, "first_name": name.title(), "last_name": "Lind", "role": role},
        )
        assert status == 201
        token = await company.user(email, invitation_token=await invitation_token(company, email))
        await joined(company, token, buyer["id"], people)
        tokens.append(token)
    anna, bo = tokens

    deleted = await delete_account(company, bo)

    anna_id = await user_id(company, anna)
    await people_announced(company, buyer["id"], {anna_id}, deleted)
    _, listing = await company.call("GET", "/v1/me/members", anna)
    assert roles(listing) == {anna_id: "admin"}


async def test_the_only_member_leaves_a_company_that_keeps_everything(company: Company) -> None:
    admin = await supplier_admin(company)
    of = await company_id(company, admin)
    deleted = await delete_account(company, admin)

    await people_announced(company, of, set(), deleted)
    conn = await asyncpg.connect(company.database_url)
    try:
        kept = await conn.fetchrow("SELECT name FROM companies WHERE id = $1", uuid.UUID(of))
        entries = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE company_id = $1", uuid.UUID(of)
        )
    finally:
        await conn.close()
    assert kept is not None and kept["name"] == "Banservice AB"
    assert entries >= 1


async def test_handling_the_same_deletion_twice_changes_nothing_more(company: Company) -> None:
    admin = await supplier_admin(company)
    of = await company_id(company, admin)
    bo = await colleague(company, admin, "bo", 2)
    envelope = await delete_account(company, bo)
    admin_id = await user_id(company, admin)
    await people_announced(company, of, {admin_id}, envelope)
    event = UserDeleted.model_validate(envelope.payload)

    conn = await asyncpg.connect(company.database_url)
    try:
        revision = await conn.fetchval(
            "SELECT revision FROM companies WHERE id = $1", uuid.UUID(of)
        )
        for _ in range(2):
            async with conn.transaction():
                await on_user_deleted(conn, envelope, event)
        assert (
            await conn.fetchval("SELECT revision FROM companies WHERE id = $1", uuid.UUID(of))
            == revision
        )
    finally:
        await conn.close()
    _, listing = await company.call("GET", "/v1/me/members", admin)
    assert roles(listing) == {admin_id: "admin"}
