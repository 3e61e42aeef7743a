"""A draft names only what belongs to its supplier: a buyer it is connected to and a bank account
of its own. Another company's ids are refused at their field, in drafts too."""

from __future__ import annotations

from tests.invoice.conftest import Supplier, connected_supplier


async def own_account(supplier: Supplier) -> str:
    status, context = await supplier.call("GET", "/v1/me/invoice-form")
    assert status == 200, context
    account_id: str = context["supplier"]["bank_accounts"][0]["id"]
    return account_id


async def test_another_companys_buyer_and_account_are_refused_in_a_draft(
    supplier: Supplier,
) -> None:
    other = await connected_supplier(supplier.system, supplier.http)
    theirs = supplier.form(buyer_id=other.buyer_id, bank_account_id=await own_account(other))
    status, body = await supplier.call(
        "POST", "/v1/me/invoices", json=theirs, headers={"Accept-Language": "sv"}
    )
    assert status == 422, body
    fields = body["error"]["fields"]
    assert fields["buyer_id"][0]["message"] == "Välj en kund som du är ansluten till."
    assert fields["bank_account_id"][0]["message"] == "Välj ett av ditt företags bankkonton."

    status, draft = await supplier.call(
        "POST", "/v1/me/invoices", json=supplier.form(bank_account_id=await own_account(supplier))
    )
    assert status == 201, draft
    status, body = await supplier.call("PUT", f"/v1/me/invoices/{draft['id']}", json=theirs)
    assert status == 422, body
    assert set(body["error"]["fields"]) == {"buyer_id", "bank_account_id"}
    status, kept = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}")
    assert kept["form"]["buyer_id"] == supplier.buyer_id  # unchanged
