"""The supplier sees its customer's answer: Infranord's systems reject an invoice through the buyer
API, and the supplier finds "Avvisad" and the reason on its invoice list and on the invoice, in
Swedish, and the same in English."""

from __future__ import annotations

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import log_in, open_page, snapshot
from tests.invoice.conftest import connected_supplier
from tests.system import OPERATOR_SECRET, System

pytestmark = pytest.mark.browser

REASON = "Ordernumret AO1234567 finns inte hos oss; ange det avrop arbetet gäller."


async def test_the_supplier_sees_a_rejection_and_its_reason(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
        _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
        _, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        number, customer = sent["form"]["number"], sent["buyer_name"]
        async with api.post(
            f"{system.invoice_url}/v1/operator/buyers/{supplier.buyer_id}/keys",
            headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
        ) as r:
            key = (await r.json())["key"]
        async with api.post(
            f"{system.invoice_url}/v1/buyer/invoices/{sent['id']}/status",
            headers={"Authorization": f"Bearer {key}"},
            json={"status": "rejected", "reason": REASON, "reason_code": "REF"},
        ) as r:
            assert r.status == 200, await r.text()

    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, supplier.email)
    await page.goto(system.web_url + "/invoices")
    row = page.get_by_role("row").filter(has_text=number)
    await expect(row.locator(".buyer-status-rejected")).to_have_text("Avvisad")
    await expect(row).to_contain_text(REASON[:40])
    await expect(page.get_by_role("columnheader", name="Kundens status")).to_be_visible()
    await snapshot(page, "fakturor-avvisad")

    await row.get_by_role("link", name=number).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Faktura {number}")
    facts = page.locator("dl.facts").first
    await expect(facts.locator(".buyer-status-rejected")).to_have_text("Avvisad")
    await expect(facts).to_contain_text("Referenser saknas eller är fel")
    await expect(facts.locator(".reason")).to_have_text(REASON)
    await snapshot(page, "faktura-avvisad")

    # The sender's mail says the same, and leads to the same page.
    mail = await system.mail_to(supplier.email, f"Faktura {number} avvisades av {customer}")
    assert REASON in mail.text
    assert f"/invoices/{sent['id']}" in mail.text

    await page.get_by_label("Språk").click()
    await page.get_by_role("button", name="English").click()
    await page.goto(f"{system.web_url}/invoices/{sent['id']}")
    facts = page.locator("dl.facts").first
    await expect(facts).to_contain_text("Customer's status")
    await expect(facts.locator(".buyer-status-rejected")).to_have_text("Rejected")
    await expect(facts).to_contain_text("References incorrect")
