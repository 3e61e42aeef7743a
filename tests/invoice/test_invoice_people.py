"""A company is more than one person: a colleague keys an invoice, the admin sends it, and the
invoice names both; the colleague may invoice but not change the company's bank accounts."""

from __future__ import annotations

import aiohttp

from tests.invoice.conftest import PASSWORD, Supplier, colleague, connected_supplier
from tests.system import System


async def test_the_invoice_names_who_created_it_and_who_sent_it(system: System) -> None:
    async with aiohttp.ClientSession() as http:
        admin = await connected_supplier(system, http)
        _, token = await colleague(system, http, admin)
        keyer = Supplier(system, http, token, admin.buyer_id, "")
        status, draft = await keyer.call("POST", "/v1/me/invoices", json=admin.form())
        assert status == 201, draft
        assert draft["created_by_name"] == "Olof Strand" and draft["sent_by_name"] is None
        status, sent = await admin.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        assert status == 200, sent
        assert (sent["created_by_name"], sent["sent_by_name"]) == ("Olof Strand", "Anna Ek")
        # Both see it; the colleague is refused a new bank account, the admin is not asked.
        _, listed = await keyer.call("GET", "/v1/me/invoices")
        assert draft["id"] in {i["id"] for i in listed["invoices"]}
        async with http.post(
            system.company_url + "/v1/me/bank-accounts",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "bank_name": "SEB",
                "kind": "bankgiro",
                "number": "5050-1055",
                "password": PASSWORD,
            },
        ) as r:
            assert r.status == 403, await r.text()
