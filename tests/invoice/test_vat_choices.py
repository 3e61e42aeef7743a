"""Every VAT choice the invoice form offers, sent through the invoice API to a Swedish buyer, a
buyer in another EU country and a buyer outside the EU: either the e-invoice passes the UBL 2.1
schema and the official CEN and Peppol rules, or sending is refused at the field to change, in the
user's language. The expectations are written out by hand from the rules, not computed by the
code under test."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from stdnum.iso7064 import mod_11_10
from stdnum.no import orgnr as no_orgnr

from devtools.peppol import validate
from shared.vat import CHOICES
from tests.invoice.conftest import Supplier, connected_supplier, valid_orgnr
from tests.system import System

BUYERS = ("Swedish", "German", "Norwegian")


def buyer_identity(country: str) -> dict[str, str]:
    """A buyer company of `country` with valid numbers of its own, new for every run."""
    # Eight digits, the first not 0: a German VAT number never begins with 0.
    digits = str(10**7 + secrets.randbelow(9 * 10**7))
    if country == "SE":
        orgnr = valid_orgnr(int(digits) + 10**8 * 5)
        return {"country": "SE", "organisation_number": orgnr, "vat_number": f"SE{orgnr}01"}
    if country == "DE":
        vat = f"DE{digits}{mod_11_10.calc_check_digit(digits)}"
        return {"country": "DE", "organisation_number": f"HRB {digits[:5]}", "vat_number": vat}
    # One base in eleven has no check digit (mod 11 gives 10): draw until one has.
    orgnr = next(
        n
        for _ in range(1000)
        for n in (f"9{secrets.randbelow(10**7):07d}{d}" for d in "0123456789")
        if no_orgnr.is_valid(n)
    )
    return {"country": "NO", "organisation_number": orgnr, "vat_number": f"NO{orgnr}MVA"}


# A sole trader with F-skatt and no VAT number.
WITHOUT_VAT_NUMBER = {"vat_number": "", "no_vat_number": True, "f_skatt": True}
DELIVERED = "2026-11-20"

SELLER_VAT = ("lines.0.vat_category", "vat.seller_vat_number")
NOT_EU = ("lines.0.vat_category", "vat.intra_community_buyer_country")
REFUSED: dict[tuple[str, str], set[tuple[str, str]]] = {
    # Intra-community supply is for a buyer in another member state.
    ("Swedish", "K:0"): {NOT_EU},
    ("Norwegian", "K:0"): {NOT_EU},
    # Only a supplier registered for VAT charges VAT, zero-rates, reverse-charges, exports or
    # supplies within the EU (BR-S-02, BR-G-02, BR-IC-02 and the Swedish VAT act).
    **{
        ("Swedish without VAT number", choice): {SELLER_VAT}
        for choice in ("S:25", "S:12", "S:6", "Z:0", "AE:0", "G:0")
    },
    ("Swedish without VAT number", "K:0"): {SELLER_VAT, NOT_EU},
}


@pytest.fixture(scope="module")
async def suppliers(system: System) -> AsyncIterator[dict[str, Supplier]]:
    async with aiohttp.ClientSession() as http:
        countries = {"Swedish": "SE", "German": "DE", "Norwegian": "NO"}
        made = {
            name: await connected_supplier(
                system, http, buyer_identity=buyer_identity(countries[name])
            )
            for name in BUYERS
        }
        made["Swedish without VAT number"] = await connected_supplier(
            system, http, buyer_identity=buyer_identity("SE"), company=WITHOUT_VAT_NUMBER
        )
        yield made


def taxed(form: dict[str, Any], *choices: str) -> dict[str, Any]:
    """`form` with a line for each of `choices` (at least two lines) and its freight taking the
    first choice, delivered on `DELIVERED`."""

    def vat(choice: str) -> dict[str, str]:
        category, rate = choice.split(":")
        return {"vat_category": category, "vat_rate": rate}

    count = max(len(choices), 2)
    lines = [
        form["lines"][i % len(form["lines"])] | vat(choices[i % len(choices)]) for i in range(count)
    ]
    return form | {
        "lines": lines,
        "charges": [charge | vat(choices[0]) for charge in form["charges"]],
        "delivery_date": DELIVERED,
    }


async def send(supplier: Supplier, form: dict[str, Any], language: str = "sv") -> tuple[int, Any]:
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=form)
    assert status == 201, draft
    return await supplier.call(
        "POST", f"/v1/me/invoices/{draft['id']}/send", headers={"Accept-Language": language}
    )


async def e_invoice(supplier: Supplier, invoice_id: str) -> bytes:
    """The e-invoice the buyer receives, once the renderer has made it."""
    async with asyncio.timeout(60):
        while True:
            status, body = await supplier.call("GET", f"/v1/me/invoices/{invoice_id}/xml")
            if status == 200:
                assert isinstance(body, bytes)
                return body
            assert status in (404, 409, 503), (status, body)
            await asyncio.sleep(0.1)


async def assert_passes_the_rules(supplier: Supplier, invoice_id: str) -> bytes:
    xml = await e_invoice(supplier, invoice_id)
    fatal = [f for f in validate(xml) if f.flag == "fatal"]
    assert fatal == [], "\n".join(f"{f.rule}: {f.message}" for f in fatal)
    return xml


def refusals(body: Any) -> set[tuple[str, str]]:
    return {
        (field, problem["code"])
        for field, problems in body["error"]["fields"].items()
        for problem in problems
    }


CASES = [(who, choice) for who in [*BUYERS, "Swedish without VAT number"] for choice in CHOICES]


@pytest.mark.parametrize(("who", "choice"), CASES, ids=[f"{w}-{c}" for w, c in CASES])
async def test_a_vat_choice_is_sent_valid_or_refused_at_its_field(
    suppliers: dict[str, Supplier], who: str, choice: str
) -> None:
    supplier = suppliers[who]
    status, body = await send(supplier, taxed(supplier.form(), choice))
    expected = REFUSED.get((who, choice))
    if expected:
        assert status == 422, body
        assert refusals(body) == expected
        return
    assert status == 200, body
    await assert_passes_the_rules(supplier, body["id"])


MIXED = {
    "every rate and zero": ("S:25", "S:12", "S:6", "Z:0", "E:0"),
    "standard and reverse charge": ("S:25", "AE:0"),
    "standard, export and intra-community": ("S:25", "G:0", "K:0"),
    "every choice but outside the scope": tuple(c for c in CHOICES if c != "O:0"),
}


@pytest.mark.parametrize("choices", MIXED.values(), ids=MIXED.keys())
async def test_a_mixed_invoice_to_another_eu_country_passes_the_rules(
    suppliers: dict[str, Supplier], choices: tuple[str, ...]
) -> None:
    supplier = suppliers["German"]
    status, body = await send(supplier, taxed(supplier.form(), *choices))
    assert status == 200, body
    await assert_passes_the_rules(supplier, body["id"])


async def test_outside_the_scope_of_vat_is_an_invoice_of_its_own(
    suppliers: dict[str, Supplier],
) -> None:
    supplier = suppliers["Swedish"]
    status, body = await send(supplier, taxed(supplier.form(), "S:25", "O:0"), language="en")
    assert status == 422, body
    assert refusals(body) == {("lines.1.vat_category", "vat.outside_scope_alone")}
    [problem] = body["error"]["fields"]["lines.1.vat_category"]
    assert problem["message"].startswith("Not subject to VAT cannot be mixed")


async def test_an_intra_community_supply_asks_for_its_delivery_date(
    suppliers: dict[str, Supplier],
) -> None:
    supplier = suppliers["German"]
    status, body = await send(supplier, taxed(supplier.form(), "K:0") | {"delivery_date": None})
    assert status == 422, body
    assert refusals(body) == {("delivery_date", "vat.delivery_date_required")}
    [problem] = body["error"]["fields"]["delivery_date"]
    assert problem["message"].startswith("Ange leveransdatum")


async def test_refusals_say_what_is_needed_in_swedish_and_english(
    suppliers: dict[str, Supplier],
) -> None:
    supplier = suppliers["Norwegian"]
    form = taxed(supplier.form(), "K:0")
    _, swedish = await send(supplier, form)
    _, english = await send(supplier, form | {"number": f"F{uuid.uuid4().int % 10**8}"}, "en")
    [sv] = swedish["error"]["fields"]["lines.0.vat_category"]
    [en] = english["error"]["fields"]["lines.0.vat_category"]
    assert "kund i ett annat EU-land" in sv["message"]
    assert "customer in another EU country" in en["message"]


async def test_a_credit_note_of_an_intra_community_supply_passes_the_rules(
    suppliers: dict[str, Supplier],
) -> None:
    supplier = suppliers["German"]
    status, sent = await send(supplier, taxed(supplier.form(), "K:0", "S:25"))
    assert status == 200, sent
    await e_invoice(supplier, sent["id"])
    status, credit = await supplier.call("POST", f"/v1/me/invoices/{sent['id']}/credit")
    assert status == 201, credit
    dated = {
        "number": f"K{uuid.uuid4().int % 10**8}",
        "issue_date": DELIVERED,
        "due_date": DELIVERED,
    }
    status, _ = await supplier.call(
        "PUT", f"/v1/me/invoices/{credit['id']}", json=credit["form"] | dated
    )
    assert status == 200
    status, credited = await supplier.call("POST", f"/v1/me/invoices/{credit['id']}/send")
    assert status == 200, credited
    xml = await assert_passes_the_rules(supplier, credited["id"])
    assert b"<CreditNote" in xml
