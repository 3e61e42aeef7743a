"""A buyer puts new terms in place: its connected supplier stays connected, but the invoice
service refuses to send to that buyer (at the customer field, saying why) until the supplier
accepted the new version."""

from __future__ import annotations

import base64

from tests.invoice.conftest import TERMS, Supplier, buyer_user
from tests.waiting import eventually


async def test_a_send_waits_for_the_buyers_new_terms_to_be_accepted(supplier: Supplier) -> None:
    system, http = supplier.system, supplier.http
    _, buyer_token = await buyer_user(system, http, supplier.buyer_id)
    new_terms = {"version": "2027-1", "pdf_base64": base64.b64encode(TERMS).decode()}
    async with http.put(
        system.company_url + "/v1/me/buyer/terms",
        headers={"Authorization": f"Bearer {buyer_token}"},
        json=new_terms,
    ) as r:
        assert r.status == 200, await r.text()

    async def knows_the_new_terms() -> bool:
        _, context = await supplier.call("GET", "/v1/me/invoice-form")
        return any(b["terms_version"] == "2027-1" for b in context["buyers"])

    await eventually(knows_the_new_terms)
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    status, body = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 422, body
    assert body["error"]["fields"] == {
        "buyer_id": [
            {
                "code": "invoice.terms_not_accepted",
                "message": "Kunden har nya användarvillkor; acceptera dem under "
                "Kundanslutningar innan du skickar.",
            }
        ]
    }
    async with http.post(
        f"{system.company_url}/v1/me/connections/{supplier.buyer_id}/terms-acceptance",
        headers={"Authorization": f"Bearer {supplier.token}"},
        json={"confirmed": True},
    ) as r:
        assert r.status == 200 and (await r.json())["state"] == "connected"

    async def sent() -> bool:
        status, _ = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        return status == 200

    await eventually(sent)
