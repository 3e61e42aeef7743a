"""Drafts, the buyer's rules and sending, through the real services."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.invoice.conftest import Supplier, connected_supplier
from tests.security.hostile_payloads import ENCRYPTED_BY_REFERENCE, MINIMAL_PDF
from tests.waiting import eventually


async def test_a_draft_keeps_what_was_typed_and_its_totals(supplier: Supplier) -> None:
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    assert status == 201 and draft["status"] == "draft"
    totals = draft["totals"]
    # 3 × 850 + 12 × 199.99 + 450 freight = 5 399.88 net; 25 % VAT = 1 349.97.
    assert (
        totals["line_total"],
        totals["charge_total"],
        totals["tax_total"],
        totals["payable"],
    ) == (
        "4949.88",
        "450.00",
        "1349.97",
        "6749.85",
    )
    status, reopened = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert reopened["form"]["lines"][1]["unit_price"] == "199.99"


async def test_wrong_types_are_refused_field_by_field(supplier: Supplier) -> None:
    form = supplier.form(issue_date="24/11/2026", lines=[{"quantity": "tre", "unit_price": "1,5"}])
    status, body = await supplier.call(
        "POST", "/v1/me/invoices", json=form, headers={"Accept-Language": "sv"}
    )
    assert status == 422
    assert {"issue_date", "lines.0.quantity", "lines.0.unit_price"} <= set(body["error"]["fields"])


async def test_sending_checks_the_buyers_rules_and_the_dates(supplier: Supplier) -> None:
    form = supplier.form(
        buyer_order_number="PO-1",
        payment_reference="1234567890",
        buyer_reference="ABCDEF",
        contact_person="Olle",
        due_date="2026-11-01",
    )
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=form)
    status, body = await supplier.call(
        "POST", f"/v1/me/invoices/{draft['id']}/send", headers={"Accept-Language": "sv"}
    )
    assert status == 422
    fields = body["error"]["fields"]
    assert fields["buyer_order_number"][0]["message"].startswith(
        "Ange Infranords arbetsordernummer"
    )
    assert fields["payment_reference"][0]["message"].startswith("Ange ett giltigt OCR-nummer")
    assert fields["buyer_reference"][0]["message"].startswith("Ange Infranords resurs-id")
    assert fields["contact_person"][0]["message"] == "Ange beställarens för- och efternamn."
    assert fields["due_date"][0]["code"] == "invoice.due_before_issue"
    status, english = await supplier.call(
        "POST", f"/v1/me/invoices/{draft['id']}/send", headers={"Accept-Language": "en"}
    )
    assert (
        english["error"]["fields"]["contact_person"][0]["message"]
        == "Enter the orderer's first and last name."
    )
    _, still = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert still["status"] == "draft"


async def test_a_sent_invoice_never_changes_and_its_number_is_taken(supplier: Supplier) -> None:
    form = supplier.form()
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=form)
    status, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200 and sent["status"] == "sent"
    assert sent["document"]["seller"]["name"] == "Ek Spårteknik AB"
    assert sent["document"]["payment_account"]["number"] == "5050-1055"
    status, body = await supplier.call(
        "PUT", f"/v1/me/invoices/{draft['id']}", json=form | {"note": "x"}
    )
    assert status == 409 and body["error"]["code"] == "invoice.not_draft"
    assert (await supplier.call("DELETE", f"/v1/me/invoices/{draft['id']}"))[0] == 409
    status, body = await supplier.call("POST", "/v1/me/invoices", json=form)
    assert status == 422 and body["error"]["fields"]["number"][0]["code"] == "invoice.number_taken"


async def test_a_number_saved_twice_at_once_is_taken_once(supplier: Supplier) -> None:
    form = supplier.form()
    answers = await asyncio.gather(
        *(supplier.call("POST", "/v1/me/invoices", json=form) for _ in range(10))
    )
    assert sorted(status for status, _ in answers) == [201] + [422] * 9, answers
    assert all(
        body["error"]["fields"]["number"][0]["code"] == "invoice.number_taken"
        for status, body in answers
        if status == 422
    )


async def test_copy_and_credit_make_new_drafts(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    assert (await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/credit"))[0] == 409
    await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    status, copy = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/copy")
    assert status == 201 and copy["status"] == "draft" and copy["form"]["number"] == ""
    assert len(copy["form"]["lines"]) == 2
    status, credit = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/credit")
    assert (
        status == 201
        and credit["kind"] == "credit_note"
        and credit["credited_invoice_id"] == draft["id"]
    )


async def test_attachments_are_pdf_by_content_and_limited(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    path = f"/v1/me/invoices/{draft['id']}/attachments"
    import aiohttp

    def upload(name: str, content: bytes) -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field("file", content, filename=name, content_type="application/pdf")
        return data

    status, body = await supplier.call(
        "POST", path, data=upload("faktura.pdf", b"MZ\x90\x00 not a pdf")
    )
    assert status == 422 and body["error"]["fields"]["file"][0]["code"] == "attachment.not_pdf"
    status, body = await supplier.call(
        "POST", path, data=upload("hemlig.pdf", ENCRYPTED_BY_REFERENCE)
    )
    assert body["error"]["fields"]["file"][0]["code"] == "attachment.encrypted"
    status, attached = await supplier.call(
        "POST", path, data=upload("../../etc/följesedel.pdf", MINIMAL_PDF)
    )
    assert (
        status == 201
        and attached["filename"] == "följesedel.pdf"
        and attached["size"] == len(MINIMAL_PDF)
    )
    assert await supplier.call("GET", f"{path}/{attached['id']}") == (200, MINIMAL_PDF)
    for index in range(9):
        assert (await supplier.call("POST", path, data=upload(f"{index}.pdf", MINIMAL_PDF)))[
            0
        ] == 201
    status, body = await supplier.call("POST", path, data=upload("elva.pdf", MINIMAL_PDF))
    assert body["error"]["fields"]["file"][0]["code"] == "attachment.too_many"
    assert (await supplier.call("DELETE", f"{path}/{attached['id']}"))[0] == 204


async def test_another_supplier_sees_none_of_it(supplier: Supplier) -> None:
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    stranger = await connected_supplier(supplier.system, supplier.http)
    for method, path in (
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("POST", "/send"),
        ("POST", "/copy"),
        ("POST", "/credit"),
        ("GET", "/preview"),
        ("GET", "/pdf"),
    ):
        status, _ = await stranger.call(
            method, f"/v1/me/invoices/{draft['id']}{path}", json=supplier.form()
        )
        assert status == 404, (method, path)
    _, listing = await stranger.call("GET", "/v1/me/invoices")
    assert listing["total"] == 0


async def test_the_list_searches_by_number_and_customer(supplier: Supplier) -> None:
    numbers = [f"S{uuid.uuid4().int % 10**6}" for _ in range(3)]
    for number in numbers:
        await supplier.call("POST", "/v1/me/invoices", json=supplier.form(number=number))
    _, page = await supplier.call("GET", "/v1/me/invoices", params={"q": numbers[1]})
    assert [i["number"] for i in page["invoices"]] == [numbers[1]]
    _, page = await supplier.call("GET", "/v1/me/invoices", params={"q": "infranord"})
    assert page["total"] == 3
    assert (await supplier.call("GET", "/v1/me/invoices", params={"status": "bogus"}))[0] == 422


async def test_the_lists_totals_and_pages_follow_every_change(supplier: Supplier) -> None:
    tag = f"P{uuid.uuid4().int % 10**6}"
    drafts = []
    for index in range(30):
        form = supplier.form(number=f"{tag}-{index:02}")
        drafts.append((await supplier.call("POST", "/v1/me/invoices", json=form))[1])

    async def listed(**params: str) -> dict[str, Any]:
        status, page = await supplier.call("GET", "/v1/me/invoices", params=params)
        assert status == 200, page
        return dict(page)

    first, second, past = await listed(), await listed(page="2"), await listed(page="3")
    assert (first["total"], first["pages"], len(first["invoices"])) == (30, 2, 25)
    assert len(second["invoices"]) == 5 and second["invoices"][-1]["number"] == f"{tag}-00"
    assert (past["total"], past["invoices"]) == (30, [])

    await supplier.call("POST", f"/v1/me/invoices/{drafts[0]['id']}/send")
    await supplier.call("DELETE", f"/v1/me/invoices/{drafts[1]['id']}")
    assert (await listed())["total"] == 29
    assert (await listed(status="draft"))["total"] == 28

    async def delivered() -> int:
        return int((await listed(status="delivered"))["total"])

    await eventually(delivered, within=30)
    moved = [await listed(status=s) for s in ("sent", "delivered", "failed")]
    assert [page["total"] for page in moved] == [0, 1, 0]
    assert moved[1]["invoices"][0]["number"] == f"{tag}-00"
    # A number's start, whatever its case; the search's text as written, with no wildcards.
    assert (await listed(q=tag.lower() + "-1"))["total"] == 10
    assert (await listed(q=tag + "%"))["total"] == 0
    assert (await listed(q="_"))["total"] == 0


async def test_a_buyer_reads_only_what_was_sent_to_it(supplier: Supplier) -> None:
    import aiohttp

    from tests.system import OPERATOR_SECRET

    _, sent = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    await supplier.call("POST", f"/v1/me/invoices/{sent['id']}/send")
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    other = await connected_supplier(supplier.system, supplier.http)
    url = supplier.system.invoice_url
    operator = {"Authorization": f"Bearer {OPERATOR_SECRET}"}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{url}/v1/operator/buyers/{supplier.buyer_id}/keys", headers=operator
        ) as r:
            body = await r.json()
            assert r.status == 201, body
            key = body["key"]
        async with http.post(
            f"{url}/v1/operator/buyers/{other.buyer_id}/keys", headers=operator
        ) as r:
            other_key = (await r.json())["key"]
        mine = {"Authorization": f"Bearer {key}"}
        async with http.get(f"{url}/v1/buyer/invoices", headers=mine) as r:
            listing = await r.json()
        assert [i["id"] for i in listing["invoices"]] == [sent["id"]]  # the draft is not there
        async with http.get(f"{url}/v1/buyer/invoices/{sent['id']}", headers=mine) as r:
            assert r.status == 200 and (await r.json())["number"] == sent["form"]["number"]
        theirs = {"Authorization": f"Bearer {other_key}"}
        for path in (sent["id"], draft["id"], f"{sent['id']}/pdf"):
            async with http.get(f"{url}/v1/buyer/invoices/{path}", headers=theirs) as r:
                assert r.status == 404
        async with http.get(
            f"{url}/v1/buyer/invoices", headers={"Authorization": "Bearer lpk_forged"}
        ) as r:
            assert r.status == 401
