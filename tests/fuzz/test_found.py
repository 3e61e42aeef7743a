"""What the fuzzing found as 5xx, pinned down so it stays a 4xx or a plain answer."""

from __future__ import annotations

import aiohttp

from tests.fuzz.conftest import expect
from tests.invoice.conftest import Supplier
from tests.system import OPERATOR_SECRET, System

HUGE_PAGE = str(2**64)


async def test_a_page_past_any_offset_is_empty(system: System, supplier: Supplier) -> None:
    status, page = await supplier.call("GET", "/v1/me/invoices", params={"page": HUGE_PAGE})
    assert status == 200, page
    assert page["invoices"] == []
    async with supplier.http.post(
        f"{system.invoice_url}/v1/operator/buyers/{supplier.buyer_id}/keys",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
    ) as r:
        key = (await expect(r, 201))["key"]
    async with supplier.http.get(
        system.invoice_url + "/v1/buyer/invoices",
        params={"page": HUGE_PAGE},
        headers={"Authorization": f"Bearer {key}"},
    ) as r:
        assert (await expect(r, 200))["invoices"] == []


async def test_a_search_for_nul_finds_nothing(supplier: Supplier) -> None:
    status, page = await supplier.call("GET", "/v1/me/invoices", params={"q": "F\x00"})
    assert status == 200, page
    assert page["invoices"] == []


async def test_nul_in_a_json_text_is_refused_at_its_field(
    system: System, http: aiohttp.ClientSession, supplier: Supplier
) -> None:
    lines = [{"description": "Spår\x00arbete", "quantity": "1", "unit_price": "1"}]
    status, error = await supplier.call("POST", "/v1/me/invoices", json={"lines": lines})
    assert status == 422, error
    assert list(error["error"]["fields"]) == ["lines.0.description"]
    async with http.post(
        system.company_url + "/v1/me/addresses",
        json={"name": "Ek\x00", "street": "Banvägen 1", "city": "Kiruna"},
        headers={"Authorization": f"Bearer {supplier.token}"},
    ) as r:
        assert list((await expect(r, 422))["error"]["fields"]) == ["name"]


async def test_a_broken_multipart_upload_is_the_callers_mistake(supplier: Supplier) -> None:
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    assert status == 201, draft
    path = f"/v1/me/invoices/{draft['id']}/attachments"
    bodies = {
        "multipart/form-data": b"--b\r\n\r\n--b--\r\n",
        "multipart/form-data; boundary=b": (
            b'--b\r\nContent-Disposition: form-data; name="\x1c"\r\n\r\nx\r\n--b--\r\n'
        ),
        "multipart/form-data; boundary=c": b"--b\r\n\r\n--b--\r\n",
    }
    for content_type, body in bodies.items():
        status, error = await supplier.call(
            "POST", path, data=body, headers={"Content-Type": content_type}
        )
        assert status == 422, (content_type, error)
        assert list(error["error"]["fields"]) == ["file"]
