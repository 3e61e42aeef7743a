"""The company API on the real database and broker, with real identity sessions."""

from __future__ import annotations

import uuid

from tests.company.conftest import OPERATOR, PASSWORD, TERMS_PDF, Company

SUPPLIER = {
    "name": "Spårservice i Norr AB",
    "country": "SE",
    "organisation_number": "5560360793",
    "vat_number": "SE556036079301",
    "no_vat_number": False,
    "f_skatt": True,
}


def valid_orgnr(seed: int) -> str:
    digits = f"{seed:09d}"[-9:]
    total = 0
    for i, c in enumerate(digits):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


async def test_company_information_is_validated_field_by_field(company: Company) -> None:
    token = await company.user()
    status, body = await company.call(
        "PUT",
        "/v1/me/company",
        token,
        json={
            "name": "",
            "country": "SE",
            "organisation_number": "556036-0794",
            "vat_number": "SE556036079401",
        },
    )
    assert status == 422
    fields = body["error"]["fields"]
    assert fields["name"][0]["code"] == "required"
    assert fields["organisation_number"][0]["code"] == "orgnr.checksum"
    assert fields["vat_number"][0]["code"] == "vat.checksum"
    status, body = await company.call(
        "PUT",
        "/v1/me/company",
        token,
        json={"name": "X", "organisation_number": "556036-0793", "vat_number": "SE556677889901"},
        headers={"Accept-Language": "en"},
    )
    assert body["error"]["fields"]["vat_number"][0]["code"] == "vat.mismatch"


async def test_a_number_another_company_registered_is_refused(company: Company) -> None:
    orgnr = valid_orgnr(uuid.uuid4().int)
    first, second = await company.user(), await company.user()
    form = {"name": "Första AB", "organisation_number": orgnr, "no_vat_number": True}
    assert (await company.call("PUT", "/v1/me/company", first, json=form))[0] == 200
    status, body = await company.call("PUT", "/v1/me/company", second, json=form)
    assert status == 422
    assert (
        body["error"]["fields"]["organisation_number"][0]["code"]
        == "company.organisation_number_taken"
    )
    # Saving its own company again is no conflict.
    assert (await company.call("PUT", "/v1/me/company", first, json=form | {"name": "Ändrat AB"}))[
        0
    ] == 200


async def test_invitation_terms_and_connection_in_order(company: Company) -> None:
    buyer = await company.buyer(organisation_number=valid_orgnr(uuid.uuid4().int))
    email = f"olle.{uuid.uuid4().hex[:8]}@example.com"
    status, invitation = await company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/invitations",
        OPERATOR,
        json={"email": email, "first_name": "Olle", "last_name": "Ström"},
    )
    assert status == 201 and "/register?invitation=" in invitation["link"]
    token_in_link = invitation["link"].split("invitation=")[1]
    invited = await company.events.wait_for(
        lambda e: e.type == "company.supplier_invited" and e.payload["email"] == email
    )
    assert invited[0].payload["invitation_token"] == token_in_link

    token = await company.user(email)
    orgnr = valid_orgnr(uuid.uuid4().int)
    form = {
        "name": "Ström Bygg AB",
        "organisation_number": orgnr,
        "vat_number": f"SE{orgnr}01",
        "f_skatt": True,
    }
    assert (await company.call("PUT", "/v1/me/company", token, json=form))[0] == 200
    status, connections = await company.call("GET", "/v1/me/connections", token)
    assert [(c["buyer_name"], c["state"]) for c in connections] == [("Infranord AB", "invited")]

    path = f"/v1/me/connections/{buyer['id']}"
    status, body = await company.call("POST", path + "/connect", token)
    assert status == 409 and body["error"]["code"] == "connection.terms_first"
    assert await company.call("GET", path + "/terms", token) == (200, TERMS_PDF)
    status, body = await company.call(
        "POST", path + "/terms-acceptance", token, json={"confirmed": False}
    )
    assert status == 422
    status, body = await company.call(
        "POST", path + "/terms-acceptance", token, json={"confirmed": True}
    )
    assert status == 200 and body["state"] == "terms_accepted"
    status, body = await company.call("POST", path + "/connect", token)
    assert status == 200 and body["state"] == "connected"
    accepted = await company.events.wait_for(
        lambda e: e.type == "company.terms_accepted" and e.payload["buyer_id"] == buyer["id"]
    )
    assert (
        accepted[0].payload["terms_version"] == "2026-1"
        and len(accepted[0].payload["terms_sha256"]) == 64
    )
    await company.events.wait_for(
        lambda e: (
            e.type == "company.connection_established" and e.payload["buyer_id"] == buyer["id"]
        )
    )


async def test_addresses_and_bank_accounts_are_validated_and_published(company: Company) -> None:
    token = await company.user()
    orgnr = valid_orgnr(uuid.uuid4().int)
    status, created = await company.call(
        "PUT",
        "/v1/me/company",
        token,
        json={"name": "Profil AB", "organisation_number": orgnr, "no_vat_number": True},
    )
    address = {
        "kind": "default",
        "name": "Profil AB",
        "street": "Banvägen 1",
        "postal_code": "981 31",
        "city": "Kiruna",
        "country": "SE",
        "phone": "0980-123 45",
    }
    status, saved = await company.call("POST", "/v1/me/addresses", token, json=address)
    assert status == 201, saved
    status, body = await company.call(
        "POST",
        "/v1/me/bank-accounts",
        token,
        json={
            "bank_name": "",
            "bank_country": "SE",
            "kind": "bankgiro",
            "number": "5050-1056",
        },
    )
    assert status == 422
    assert set(body["error"]["fields"]) == {"bank_name", "number"}
    assert body["error"]["fields"]["number"][0]["code"] == "bankgiro.checksum"
    status, account = await company.call(
        "POST",
        "/v1/me/bank-accounts",
        token,
        json={
            "bank_name": "Handelsbanken",
            "bank_country": "SE",
            "kind": "bankgiro",
            "number": "50501055",
            "password": PASSWORD,
        },
    )
    assert status == 201 and account["number"] == "5050-1055"
    status, body = await company.call(
        "POST",
        "/v1/me/bank-accounts",
        token,
        json={
            "bank_name": "SEB",
            "bank_country": "SE",
            "kind": "iban",
            "number": "SE45 5000 0000 0583 9825 7466",
            "password": PASSWORD,
        },
    )
    assert status == 422 and body["error"]["fields"]["bic"][0]["code"] == "bank.bic_required"
    profile = await company.events.wait_for(
        lambda e: (
            e.type == "company.supplier_profile_changed"
            and e.payload["company_id"] == created["id"]
            and len(e.payload["bank_accounts"]) == 1
        )
    )
    assert profile[-1].payload["addresses"][0]["city"] == "Kiruna"
    assert profile[-1].payload["revision"] == 3


async def test_another_companys_ids_are_not_found(company: Company) -> None:
    owner, stranger = await company.user(), await company.user()
    for token in (owner, stranger):
        orgnr = valid_orgnr(uuid.uuid4().int)
        await company.call(
            "PUT",
            "/v1/me/company",
            token,
            json={"name": "A", "organisation_number": orgnr, "no_vat_number": True},
        )
    _, address = await company.call(
        "POST",
        "/v1/me/addresses",
        owner,
        json={
            "kind": "invoice",
            "name": "A",
            "street": "Gatan 1",
            "postal_code": "111 22",
            "city": "Stockholm",
            "country": "SE",
            "phone": "08-123",
        },
    )
    path = f"/v1/me/addresses/{address['id']}"
    changed = {**{k: v for k, v in address.items() if k != "id"}, "name": "Kapad"}
    assert (await company.call("PUT", path, stranger, json=changed))[0] == 404
    assert (await company.call("DELETE", path, stranger))[0] == 404
    _, mine = await company.call("GET", "/v1/me/addresses", owner)
    assert [a["name"] for a in mine] == ["A"]
    buyer = await company.buyer(
        name="Annan Köpare AB", organisation_number=valid_orgnr(uuid.uuid4().int)
    )
    assert (await company.call("GET", f"/v1/me/connections/{buyer['id']}/terms", stranger))[
        0
    ] == 404


async def test_the_operator_api_needs_the_operator_key(company: Company) -> None:
    assert (await company.call("GET", "/v1/buyers"))[0] == 401
    assert (await company.call("GET", "/v1/buyers", "wrong"))[0] == 401
    token = await company.user()
    assert (await company.call("GET", "/v1/buyers", token))[0] == 401


async def test_a_company_name_is_one_line_without_control_characters(company: Company) -> None:
    token = await company.user()
    orgnr = valid_orgnr(uuid.uuid4().int)
    for name, code in (
        ("Ek\r\nSpår AB", "text_line_break"),
        ("Ek\x1bSpår AB", "text_control_characters"),
    ):
        form = {"name": name, "organisation_number": orgnr, "no_vat_number": True}
        status, body = await company.call("PUT", "/v1/me/company", token, json=form)
        assert status == 422, body
        assert [p["code"] for p in body["error"]["fields"]["name"]] == [code]
    status, _ = await company.call("GET", "/v1/me/company", token)
    assert status == 404  # nothing was saved
