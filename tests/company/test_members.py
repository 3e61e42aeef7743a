"""A company's people: invited with a role, joining through the invitation's registration, their
roles changed by an admin; what a user who is no admin, or a buyer's user, may not do."""

from __future__ import annotations

import uuid
from typing import Any

from shared.events import Envelope
from tests.company.conftest import OPERATOR, Company
from tests.company.test_company_api import valid_orgnr
from tests.waiting import eventually


def new_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


async def invitation_token(company: Company, email: str) -> str:
    """The token of the invitation mailed to `email`, once identity will open a registration
    with it."""
    found = await company.events.wait_for(
        lambda e: e.type == "company.member_invited" and e.payload["email"] == email
    )
    token = str(found[-1].payload["invitation_token"])

    async def known() -> bool:
        status, _ = await company.call("GET", f"/v1/invitations/{token}", base=company.identity_url)
        return status == 200

    await eventually(known)
    return token


async def joined(company: Company, token: str, company_id: str, people: int) -> dict[str, Any]:
    """The new member's membership, once the company announced `people` users."""

    def announced(e: Envelope) -> bool:
        of_company = e.payload.get("company_id", e.payload.get("buyer_id")) == company_id
        return (
            e.type in ("company.buyer_users_changed", "company.supplier_profile_changed")
            and of_company
            and len(e.payload["user_ids"]) == people
        )

    await company.events.wait_for(announced)
    status, body = await company.call("GET", "/v1/me/membership", token)
    assert status == 200, body
    return dict(body)


async def company_id(company: Company, token: str) -> str:
    return str((await company.call("GET", "/v1/me/membership", token))[1]["company_id"])


async def supplier_admin(company: Company) -> str:
    token = await company.user()
    orgnr = valid_orgnr(uuid.uuid4().int)
    form = {"name": "Banservice AB", "organisation_number": orgnr, "no_vat_number": True}
    assert (await company.call("PUT", "/v1/me/company", token, json=form))[0] == 200
    return token


async def test_the_operator_invites_a_buyer_user_who_joins_the_buyer_on_registering(
    company: Company,
) -> None:
    buyer = await company.buyer(organisation_number=valid_orgnr(uuid.uuid4().int))
    email = new_email("anna")
    status, invited = await company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/users",
        OPERATOR,
        json={"email": email, "first_name": "Anna", "last_name": "Lind", "role": "admin"},
    )
    assert status == 201 and invited["role"] == "admin"
    token = await invitation_token(company, email)
    assert invited["link"].endswith("/register?invitation=" + token)
    session = await company.user(email, invitation_token=token)
    membership = await joined(company, session, buyer["id"], 1)
    assert membership == {
        "company_id": buyer["id"],
        "company_name": buyer["name"],
        "kind": "buyer",
        "role": "admin",
    }
    # A buyer's user has no supplier company: the supplier's routes find nothing, change nothing.
    assert (await company.call("GET", "/v1/me/company", session))[0] == 404
    form = {"name": "Kapat AB", "organisation_number": valid_orgnr(1), "no_vat_number": True}
    status, _ = await company.call("PUT", "/v1/me/company", session, json=form)
    assert status == 404
    assert (await company.call("GET", "/v1/buyers", OPERATOR))[1][-1]["name"] != "Kapat AB"
    # Without the operator's key, nobody invites a buyer's user.
    status, _ = await company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/users",
        session,
        json={"email": new_email("x"), "first_name": "X", "last_name": "Y"},
    )
    assert status == 401


async def test_an_admin_invites_a_colleague_who_may_invoice_but_not_change_the_company(
    company: Company,
) -> None:
    admin = await supplier_admin(company)
    email = new_email("bo")
    status, _ = await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": email, "first_name": "Bo", "last_name": "Ek", "role": "user"},
    )
    assert status == 201
    token = await invitation_token(company, email)
    message = (
        await company.events.wait_for(
            lambda e: e.type == "company.member_invited" and e.payload["email"] == email
        )
    )[-1].payload
    assert message["company_kind"] == "supplier" and message["invited_by_name"] == "Karin Berg"
    status, listing = await company.call("GET", "/v1/me/members", admin)
    assert [i["email"] for i in listing["invitations"]] == [email]
    assert all(i["link"] is None for i in listing["invitations"])

    colleague = await company.user(email, invitation_token=token)
    assert (await joined(company, colleague, await company_id(company, admin), 2))["role"] == "user"
    status, listing = await company.call("GET", "/v1/me/members", colleague)
    assert sorted(m["role"] for m in listing["members"]) == ["admin", "user"]
    assert listing["invitations"] == []
    # The colleague sees the company and may not change it, its bank accounts or its users.
    assert (await company.call("GET", "/v1/me/company", colleague))[0] == 200
    status, body = await company.call(
        "PUT",
        "/v1/me/company",
        colleague,
        json={"name": "Annat AB", "organisation_number": valid_orgnr(2), "no_vat_number": True},
    )
    assert status == 403 and body["error"]["code"] == "member.admin_only"
    status, body = await company.call(
        "POST",
        "/v1/me/bank-accounts",
        colleague,
        json={"bank_name": "Nordea", "kind": "bankgiro", "number": "5050-1055", "password": "x"},
    )
    assert status == 403 and body["error"]["code"] == "member.admin_only"
    status, body = await company.call(
        "POST",
        "/v1/me/members",
        colleague,
        json={"email": new_email("c"), "first_name": "C", "last_name": "D"},
    )
    assert status == 403
    status, _ = await company.call(
        "POST",
        "/v1/me/addresses",
        colleague,
        json={
            "name": "Kontor",
            "street": "Gatan 1",
            "postal_code": "111 11",
            "city": "Umeå",
            "phone": "090-12345",
        },
    )
    assert status == 403


async def test_roles_change_but_the_company_always_keeps_an_admin(company: Company) -> None:
    admin = await supplier_admin(company)
    email = new_email("cecilia")
    await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": email, "first_name": "Cecilia", "last_name": "Holm", "role": "user"},
    )
    colleague = await company.user(email, invitation_token=await invitation_token(company, email))
    await joined(company, colleague, await company_id(company, admin), 2)
    status, listing = await company.call("GET", "/v1/me/members", admin)
    by_role = {m["role"]: m["user_id"] for m in listing["members"]}
    # The only admin may not step down or leave.
    status, body = await company.call(
        "PUT", f"/v1/me/members/{by_role['admin']}", admin, json={"role": "user"}
    )
    assert status == 409 and body["error"]["code"] == "member.last_admin"
    assert (await company.call("DELETE", f"/v1/me/members/{by_role['admin']}", admin))[0] == 409
    # With a second admin, the first may leave; the second then ends the first's membership.
    assert (
        await company.call(
            "PUT", f"/v1/me/members/{by_role['user']}", admin, json={"role": "admin"}
        )
    )[0] == 204
    assert (await company.call("DELETE", f"/v1/me/members/{by_role['admin']}", colleague))[0] == 204
    assert (await company.call("GET", "/v1/me/company", admin))[0] == 404
    profile = await company.events.wait_for(
        lambda e: (
            e.type == "company.supplier_profile_changed"
            and e.payload["user_ids"] == [by_role["user"]]
        )
    )
    assert profile
    # Another company's member is not found, whatever id is typed.
    stranger = await supplier_admin(company)
    status, _ = await company.call(
        "PUT", f"/v1/me/members/{by_role['user']}", stranger, json={"role": "user"}
    )
    assert status == 404


async def test_an_address_with_an_account_or_a_bad_form_is_refused_field_by_field(
    company: Company,
) -> None:
    admin = await supplier_admin(company)
    status, body = await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": "inte-en-adress", "first_name": "", "last_name": "Ek"},
        headers={"Accept-Language": "en"},
    )
    assert status == 422
    fields = body["error"]["fields"]
    assert fields["email"][0]["code"] == "email.invalid"
    assert fields["first_name"][0]["code"] == "required"
    existing = new_email("dora")
    await company.user(existing)
    status, body = await company.call(
        "POST",
        "/v1/me/members",
        admin,
        json={"email": existing, "first_name": "Dora", "last_name": "Ek"},
    )
    assert status == 422 and body["error"]["fields"]["email"][0]["code"] == "member.has_account"
