"""Lines imported from a CSV file into a draft, and invoice templates per customer, through the
real services."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from tests.invoice.conftest import Supplier, connected_supplier

SV = {"Accept-Language": "sv"}
GOOD = (
    "Artikelnummer;Benämning;Antal;Enhet;À-pris;Moms\r\n"
    "A-1;Konsulttimme;7,5;tim;1 250,00;25\r\n"
    "B-2;Skruv;100;st;0,35;12\r\n"
).encode("cp1252")
BAD = (
    "Artikelnummer;Benämning;Antal;Enhet;À-pris;Moms\r\n"
    "A-1;Konsulttimme;7,5;tim;1 250,00;25\r\n"
    "B-2;Skruv;många;lådor;0,35;12\r\n"
    "C-3;;1;st;10;30\r\n"
).encode("cp1252")


def csv_file(content: bytes, name: str = "rader.csv") -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("file", content, filename=name, content_type="text/csv")
    return data


async def test_a_file_with_bad_rows_adds_nothing_and_says_every_problem(
    supplier: Supplier,
) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    path = f"/v1/me/invoices/{draft['id']}/lines/import"
    status, body = await supplier.call("POST", path, data=csv_file(BAD), headers=SV)
    assert status == 422, body
    fields = body["error"]["fields"]
    assert set(fields) == {
        "lines_file.3.quantity",
        "lines_file.3.unit",
        "lines_file.4.description",
        "lines_file.4.vat",
    }
    assert fields["lines_file.3.quantity"][0]["message"] == (
        "Rad 3, Antal: ange ett tal, t.ex. 1 234,50."
    )
    _, unchanged = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert unchanged["form"]["lines"] == draft["form"]["lines"]
    assert unchanged["totals"] == draft["totals"]


async def test_a_good_file_appends_its_lines_and_the_totals_follow(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    path = f"/v1/me/invoices/{draft['id']}/lines/import"
    status, imported = await supplier.call("POST", path, data=csv_file(GOOD))
    assert status == 200, imported
    lines = imported["form"]["lines"]
    assert [line["description"] for line in lines] == [
        "Spårarbete",
        "Slipers",
        "Konsulttimme",
        "Skruv",
    ]
    assert (lines[2]["unit"], lines[2]["unit_price"], lines[3]["vat_rate"]) == (
        "HUR",
        "1250.00",
        "12",
    )
    # 4 949.88 + 7.5 × 1 250 + 100 × 0.35 = 14 359.88 in lines.
    assert imported["totals"]["line_total"] == "14359.88"
    _, reopened = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert len(reopened["form"]["lines"]) == 4


async def test_two_imports_at_once_both_land(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form(lines=[]))
    path = f"/v1/me/invoices/{draft['id']}/lines/import"
    results = await asyncio.gather(
        *(supplier.call("POST", path, data=csv_file(GOOD)) for _ in range(3))
    )
    assert [status for status, _ in results] == [200, 200, 200]
    _, reopened = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert len(reopened["form"]["lines"]) == 6


async def test_an_import_is_refused_for_a_sent_invoice_and_past_the_line_limit(
    supplier: Supplier,
) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    path = f"/v1/me/invoices/{draft['id']}/lines/import"
    many = "".join(f"A{i};Rad {i};1;st;1;25\n" for i in range(499)).encode()
    status, body = await supplier.call("POST", path, data=csv_file(many), headers=SV)
    assert status == 422
    assert body["error"]["fields"]["lines_file"][0]["message"] == (
        "Fakturan kan ha högst 500 rader; med filens rader blir de 501."
    )
    status, body = await supplier.call("POST", path, data=aiohttp.FormData({"x": "1"}))
    assert status == 422 and "lines_file" in body["error"]["fields"]
    status, _ = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200
    status, body = await supplier.call("POST", path, data=csv_file(GOOD))
    assert status == 409, body


async def test_a_template_keeps_the_content_and_starts_invoices_dated_today(
    supplier: Supplier,
) -> None:
    form = supplier.form(issue_date="2026-01-10", due_date="2026-01-20", note="Ramavtal 7")
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=form)
    status, template = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "Månadsfaktura"}
    )
    assert status == 201, template
    assert (template["name"], template["buyer_id"], template["payment_days"]) == (
        "Månadsfaktura",
        supplier.buyer_id,
        10,
    )
    assert template["buyer_name"]
    status, listed = await supplier.call(
        "GET", "/v1/me/templates", params={"buyer_id": supplier.buyer_id}
    )
    assert [t["id"] for t in listed["templates"]] == [template["id"]]
    status, started = await supplier.call("POST", f"/v1/me/templates/{template['id']}/invoices")
    assert status == 201, started
    today = date.fromisoformat(started["form"]["issue_date"])
    swedish_today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    assert today == swedish_today
    assert started["form"]["due_date"] == (today + timedelta(days=10)).isoformat()
    assert (started["status"], started["number"], started["form"]["delivery_date"]) == (
        "draft",
        "",
        None,
    )
    assert started["form"]["lines"] == draft["form"]["lines"]
    assert started["form"]["charges"] == draft["form"]["charges"]
    assert started["form"]["note"] == "Ramavtal 7"
    assert started["id"] != draft["id"]


async def test_saving_under_the_same_name_replaces_and_a_deleted_template_is_gone(
    supplier: Supplier,
) -> None:
    _, first = await supplier.call("POST", "/v1/me/invoices", json=supplier.form(note="Ett"))
    _, second = await supplier.call("POST", "/v1/me/invoices", json=supplier.form(note="Två"))
    saved = [
        (await supplier.call("POST", "/v1/me/templates", json={"invoice_id": i, "name": "Mall"}))[1]
        for i in (first["id"], second["id"])
    ]
    assert saved[0]["id"] == saved[1]["id"]
    _, template = await supplier.call("GET", f"/v1/me/templates/{saved[0]['id']}")
    assert template["form"]["note"] == "Två" and template["form"]["number"] == ""
    status, _ = await supplier.call("DELETE", f"/v1/me/templates/{template['id']}")
    assert status == 204
    status, _ = await supplier.call("GET", f"/v1/me/templates/{template['id']}")
    assert status == 404
    status, _ = await supplier.call("POST", f"/v1/me/templates/{template['id']}/invoices")
    assert status == 404


async def test_a_template_needs_a_name_and_a_customer(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form(buyer_id=None))
    status, body = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": " "}, headers=SV
    )
    assert status == 422 and set(body["error"]["fields"]) == {"name"}
    status, body = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "X"}, headers=SV
    )
    assert status == 422
    assert body["error"]["fields"]["buyer_id"][0]["message"].startswith("Välj en kund innan")


async def test_another_companys_templates_and_invoices_are_out_of_reach(
    supplier: Supplier,
) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    _, template = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "Hemlig"}
    )
    async with aiohttp.ClientSession() as http:
        other = await connected_supplier(supplier.system, http)
        for method, path in (
            ("GET", f"/v1/me/templates/{template['id']}"),
            ("POST", f"/v1/me/templates/{template['id']}/invoices"),
            ("DELETE", f"/v1/me/templates/{template['id']}"),
        ):
            status, _ = await other.call(method, path)
            assert status == 404, (method, path, status)
        status, _ = await other.call(
            "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "Stulen"}
        )
        assert status == 404
        status, _ = await other.call(
            "POST", f"/v1/me/invoices/{draft['id']}/lines/import", data=csv_file(GOOD)
        )
        assert status == 404
        _, listed = await other.call("GET", "/v1/me/templates")
        assert listed["templates"] == []
    _, mine = await supplier.call("GET", f"/v1/me/templates/{template['id']}")
    assert mine["name"] == "Hemlig"
