"""A buyer's own users: its suppliers and invitations (one, a CSV file all or nothing, sent
again), new terms that every supplier accepts again, reference rules edited and tried; only the
buyer's admins change anything, nobody else sees any of it."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from tests.company.conftest import OPERATOR, TERMS_PDF, Company
from tests.company.test_company_api import valid_orgnr
from tests.company.test_members import invitation_token, joined, new_email, supplier_admin
from tests.waiting import eventually


async def buyer_user(company: Company, buyer: dict[str, Any], role: str, people: int) -> str:
    """A session of a user the operator invited to act for the buyer with `role`."""
    email = new_email(role)
    status, _ = await company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/users",
        OPERATOR,
        json={"email": email, "first_name": "Anna", "last_name": "Lind", "role": role},
    )
    assert status == 201
    session = await company.user(email, invitation_token=await invitation_token(company, email))
    await joined(company, session, buyer["id"], people)
    return session


async def new_buyer(company: Company) -> tuple[dict[str, Any], str]:
    buyer = await company.buyer(organisation_number=valid_orgnr(uuid.uuid4().int))
    return buyer, await buyer_user(company, buyer, "admin", 1)


async def listed(company: Company, session: str, q: str = "") -> list[tuple[str, str]]:
    status, found = await company.call("GET", "/v1/me/buyer/suppliers", session, params={"q": q})
    assert status == 200, found
    return [(s["email"], s["state"]) for s in found]


async def test_a_csv_file_invites_everyone_or_no_one(company: Company) -> None:
    buyer, admin = await new_buyer(company)
    tag = uuid.uuid4().hex[:8]
    bad = (
        "email;first name;last name;language\n"
        f"eva.{tag}@example.com;Eva;Ek;sv\n"
        "not-an-address;Olle;Ström;en\n"
        f"bo.{tag}@example.com;;Berg;sv\n"
        f"eva.{tag}@example.com;Eva;Ek;en\n"
        "too;few\n"
    )
    status, body = await company.call(
        "POST", "/v1/me/buyer/invitations/import", admin, json={"csv": bad}
    )
    assert status == 422, body
    fields = body["error"]["fields"]
    assert set(fields) == {
        "rows.3.email",
        "rows.4.first_name",
        "rows.5.email",
        "rows.6.columns",
    }
    assert fields["rows.5.email"][0]["code"] == "import.duplicate"
    assert await listed(company, admin) == []

    # Fixed: a byte order mark, commas, no header row, the language left out on one row.
    good = f"\ufeffeva.{tag}@example.com,Eva,Ek,sv\r\nolle.{tag}@example.com,Olle,Ström\r\n"
    status, body = await company.call(
        "POST", "/v1/me/buyer/invitations/import", admin, json={"csv": good}
    )
    assert (status, body) == (201, {"invited": 2})
    assert sorted(await listed(company, admin)) == [
        (f"eva.{tag}@example.com", "not_registered"),
        (f"olle.{tag}@example.com", "not_registered"),
    ]
    assert await listed(company, admin, q="olle") == [(f"olle.{tag}@example.com", "not_registered")]
    mailed = await company.events.wait_for(
        lambda e: (
            e.type == "company.supplier_invited"
            and e.payload["email"].endswith(tag + "@example.com")
        )
    )
    assert {e.payload["buyer_id"] for e in mailed} == {buyer["id"]}
    assert {e.payload["language"] for e in mailed} == {"sv"}


async def test_an_invitation_sent_again_has_a_new_link_and_the_old_one_stops_working(
    company: Company,
) -> None:
    _, admin = await new_buyer(company)
    email = new_email("olle")
    form = {"email": email, "first_name": "Olle", "last_name": "Ström", "language": "en"}
    status, first = await company.call("POST", "/v1/me/buyer/invitations", admin, json=form)
    assert status == 201
    old = first["link"].split("invitation=")[1]
    status, again = await company.call(
        "POST", f"/v1/me/buyer/invitations/{first['invitation_id']}/resend", admin
    )
    assert status == 200 and again["invitation_id"] == first["invitation_id"]
    new = again["link"].split("invitation=")[1]
    assert new != old
    mailed = await company.events.wait_for(
        lambda e: e.type == "company.supplier_invited" and e.payload["email"] == email, count=2
    )
    assert [e.payload["invitation_token"] for e in mailed] == [old, new]

    async def only_the_new_link_opens() -> bool:
        old_status, _ = await company.call(
            "GET", f"/v1/invitations/{old}", base=company.identity_url
        )
        new_status, _ = await company.call(
            "GET", f"/v1/invitations/{new}", base=company.identity_url
        )
        return (old_status, new_status) == (404, 200)

    await eventually(only_the_new_link_opens)
    # Another buyer's admin cannot send it again.
    _, stranger = await new_buyer(company)
    path = f"/v1/me/buyer/invitations/{first['invitation_id']}/resend"
    assert (await company.call("POST", path, stranger))[0] == 404


async def connected_supplier(company: Company, buyer: dict[str, Any], admin: str) -> str:
    """A supplier's admin session, its company connected to the buyer on the current terms."""
    email = new_email("sven")
    form = {"email": email, "first_name": "Sven", "last_name": "Ek"}
    assert (await company.call("POST", "/v1/me/buyer/invitations", admin, json=form))[0] == 201
    supplier = await company.user(email)
    orgnr = valid_orgnr(uuid.uuid4().int)
    company_form = {"name": "Ek Bygg AB", "organisation_number": orgnr, "no_vat_number": True}
    assert (await company.call("PUT", "/v1/me/company", supplier, json=company_form))[0] == 200
    path = f"/v1/me/connections/{buyer['id']}"
    assert (
        await company.call("POST", path + "/terms-acceptance", supplier, json={"confirmed": True})
    )[0] == 200
    assert (await company.call("POST", path + "/connect", supplier))[0] == 200
    return supplier


async def test_new_terms_are_published_and_every_supplier_accepts_them_again(
    company: Company,
) -> None:
    buyer, admin = await new_buyer(company)
    supplier = await connected_supplier(company, buyer, admin)
    status, terms = await company.call("GET", "/v1/me/buyer/terms", admin)
    assert status == 200 and terms["version"] == "2026-1"
    assert await company.call("GET", "/v1/me/buyer/terms.pdf", admin) == (200, TERMS_PDF)
    pdf = TERMS_PDF.replace(b"Catalog", b"Catalog /Lang (sv)")
    encoded = base64.b64encode(pdf).decode()

    status, body = await company.call(
        "PUT", "/v1/me/buyer/terms", admin, json={"version": "2026-1", "pdf_base64": encoded}
    )
    assert status == 422 and body["error"]["fields"]["version"][0]["code"] == "terms.same_version"
    status, body = await company.call(
        "PUT",
        "/v1/me/buyer/terms",
        admin,
        json={"version": "", "pdf_base64": base64.b64encode(b"<html>").decode()},
    )
    assert status == 422 and set(body["error"]["fields"]) == {"version", "pdf_base64"}

    status, terms = await company.call(
        "PUT", "/v1/me/buyer/terms", admin, json={"version": "2027-1", "pdf_base64": encoded}
    )
    assert status == 200 and terms["version"] == "2027-1"
    assert await company.call("GET", "/v1/me/buyer/terms.pdf", admin) == (200, pdf)
    await company.events.wait_for(
        lambda e: (
            e.type == "company.buyer_changed"
            and e.payload["buyer_id"] == buyer["id"]
            and e.payload["terms_version"] == "2027-1"
        )
    )
    path = f"/v1/me/connections/{buyer['id']}"
    status, connection = await company.call("GET", path, supplier)
    assert (connection["state"], connection["terms_version"]) == ("terms_changed", "2027-1")
    assert [state for _, state in await listed(company, admin)] == ["terms_changed"]
    status, accepted = await company.call(
        "POST", path + "/terms-acceptance", supplier, json={"confirmed": True}
    )
    assert status == 200 and accepted["state"] == "connected"
    assert [state for _, state in await listed(company, admin)] == ["connected"]


async def test_reference_rules_are_checked_saved_published_and_tried(company: Company) -> None:
    buyer, admin = await new_buyer(company)
    status, rules = await company.call("GET", "/v1/me/buyer/rules", admin)
    assert status == 200 and {r["field"] for r in rules} >= {"buyer_reference"}

    wrong = [
        {"field": "invoice_number", "message_sv": "x", "message_en": "x"},
        {"field": "buyer_reference", "pattern": "[0-9", "message_sv": "x", "message_en": ""},
        {"field": "buyer_reference", "pattern": "(a+)+$", "message_sv": "x", "message_en": "x"},
    ]
    status, body = await company.call("PUT", "/v1/me/buyer/rules", admin, json={"rules": wrong})
    assert status == 422
    codes = {field: problems[0]["code"] for field, problems in body["error"]["fields"].items()}
    assert codes == {
        "rules.0.field": "rules.field_unknown",
        "rules.1.pattern": "rules.pattern_invalid",
        "rules.1.message_en": "required",
        "rules.2.field": "rules.field_twice",
        "rules.2.pattern": "rules.pattern_nested",
    }
    assert (await company.call("GET", "/v1/me/buyer/rules", admin))[1] == rules

    kept = [
        {
            "field": "buyer_order_number",
            "required": True,
            "pattern": "PO-[0-9]{6}",
            "check": "",
            "message_sv": "Ange ordernumret som PO-123456.",
            "message_en": "Give the order number as PO-123456.",
        }
    ]
    status, saved = await company.call("PUT", "/v1/me/buyer/rules", admin, json={"rules": kept})
    assert status == 200 and saved[0]["pattern"] == "PO-[0-9]{6}" and saved[0]["check"] is None
    await company.events.wait_for(
        lambda e: (
            e.type == "company.buyer_changed"
            and e.payload["buyer_id"] == buyer["id"]
            and [r["field"] for r in e.payload["reference_rules"]] == ["buyer_order_number"]
        )
    )
    trial = "/v1/me/buyer/rules/trial"
    good = {"field": "buyer_order_number", "value": "PO-123456"}
    assert await company.call("POST", trial, admin, json=good) == (
        200,
        {"accepted": True, "message_sv": None, "message_en": None},
    )
    bad = {"field": "buyer_order_number", "value": "123456"}
    status, verdict = await company.call("POST", trial, admin, json=bad)
    assert verdict == {
        "accepted": False,
        "message_sv": "Ange ordernumret som PO-123456.",
        "message_en": "Give the order number as PO-123456.",
    }
    # A field without a rule takes anything; no other field exists.
    free = {"field": "contact_person", "value": "x"}
    assert (await company.call("POST", trial, admin, json=free))[1]["accepted"] is True
    status, body = await company.call("POST", trial, admin, json={"field": "x", "value": "1"})
    assert status == 422 and "field" in body["error"]["fields"]


async def test_only_the_buyers_admins_change_and_only_its_users_see(company: Company) -> None:
    buyer, admin = await new_buyer(company)
    user = await buyer_user(company, buyer, "user", 2)
    for path in ("/v1/me/buyer/suppliers", "/v1/me/buyer/terms", "/v1/me/buyer/rules"):
        assert (await company.call("GET", path, user))[0] == 200
    form = {"email": new_email("x"), "first_name": "X", "last_name": "Y"}
    changes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/v1/me/buyer/invitations", form),
        ("POST", "/v1/me/buyer/invitations/import", {"csv": f"{form['email']};X;Y;sv"}),
        ("PUT", "/v1/me/buyer/terms", {"version": "9", "pdf_base64": ""}),
        ("PUT", "/v1/me/buyer/rules", {"rules": []}),
    ]
    for method, path, body in changes:
        status, answer = await company.call(method, path, user, json=body)
        assert status == 403 and answer["error"]["code"] == "member.admin_only", path
    assert await listed(company, admin) == []
    # A supplier's admin has no buyer: nothing to see, nothing to change.
    supplier = await supplier_admin(company)
    assert (await company.call("GET", "/v1/me/buyer/rules", supplier))[0] == 404
    assert (await company.call("PUT", "/v1/me/buyer/rules", supplier, json={"rules": []}))[0] == 404
    status, _ = await company.call("GET", "/v1/buyers", OPERATOR)
    assert status == 200
