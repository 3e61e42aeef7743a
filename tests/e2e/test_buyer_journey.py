"""A buyer's user from invitation to rejecting an invoice: the operator invites her, she registers
through the mail's link, confirms her address, logs in to the buyer's pages, finds the supplier's
invoice among Mottagna fakturor, opens it and rejects it with a reason; the supplier then sees the
rejection and its reason on its list."""

from __future__ import annotations

import re

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import PASSWORD, field, log_in, new_email, open_page, snapshot
from tests.invoice.conftest import connected_supplier
from tests.system import OPERATOR_SECRET, System, confirmation_link
from tests.waiting import eventually

pytestmark = pytest.mark.browser

REASON = "Avropsnumret saknas; ange avropet från beställningen och skicka fakturan igen."


async def test_a_buyer_user_from_invitation_to_rejecting_an_invoice(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
        _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
        _, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        number, customer = sent["form"]["number"], sent["buyer_name"]

        async def delivered() -> bool:
            _, shown = await supplier.call("GET", f"/v1/me/invoices/{sent['id']}")
            return bool(shown["status"] == "delivered")

        await eventually(delivered, within=30)
        email = new_email("ekonomi")
        async with api.post(
            f"{system.company_url}/v1/buyers/{supplier.buyer_id}/users",
            headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
            json={"email": email, "first_name": "Eva", "last_name": "Lund", "role": "admin"},
        ) as r:
            assert r.status == 201, await r.text()

    invitation = await system.mail_to(email, f"Inbjudan till {customer}")
    assert "administratör" in invitation.text
    link = re.search(r"https?://\S+/register\?invitation=\S+", invitation.text)
    assert link, invitation.text

    page = await open_page(browser, "sv-SE")
    await page.goto(link.group(0))
    await expect(page.locator("main .lead").first).to_contain_text(customer)
    await expect(field(page, "E-post")).to_have_value(email)
    await expect(field(page, "Förnamn")).to_have_value("Eva")
    await field(page, "Lösenord").fill(PASSWORD)
    await field(page, "Bekräfta lösenord").fill(PASSWORD)
    await page.get_by_label("Jag är inte en robot").check()
    await expect(page.locator("#captcha-status")).to_have_text("Klart")
    await page.get_by_label("Ja, jag har läst och förstått integritetspolicyn för tjänsten").check()
    await page.get_by_role("button", name="Registrera").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Bekräftelsemejl har skickats")
    await page.goto(confirmation_link(await system.mail_to(email, "ekräfta")))
    await page.goto(system.web_url + "/login")
    await log_in(page, email)

    # Her home is the buyer's invoices; the supplier's pages are not hers.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mottagna fakturor")
    await expect(page.get_by_role("link", name="Leverantörer")).to_be_visible()
    await page.goto(system.web_url + "/invoices/new")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mottagna fakturor")

    await page.get_by_label("Sök på fakturanummer eller leverantör").fill(number)
    await page.get_by_role("button", name="Sök").click()
    row = page.get_by_role("row").filter(has_text=number)
    await expect(row).to_contain_text("Ingen status än")
    await snapshot(page, "mottagna-fakturor")
    await row.get_by_role("link", name=number).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Faktura {number}")
    pdf = await page.request.get(f"{page.url}/invoice.pdf")
    assert pdf.ok and (await pdf.body()).startswith(b"%PDF-")

    # A rejection without words is refused at its field, and nothing changes.
    await field(page, "Status").select_option(label="Avvisad")
    await page.get_by_role("button", name="Spara status").click()
    reason = field(page, "Förklaring till leverantören")
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await field(page, "Orsak").select_option(label="Referenser saknas eller är fel")
    await reason.fill(REASON)
    await page.get_by_role("button", name="Spara status").click()
    await expect(page.get_by_role("status")).to_have_text("Statusen är sparad.")
    await expect(page.locator(".history")).to_contain_text("Avvisad")
    await expect(page.locator(".history")).to_contain_text(REASON)
    await snapshot(page, "mottagen-faktura-avvisad")

    supplier_page = await open_page(browser, "sv-SE")
    await supplier_page.goto(system.web_url + "/login")
    await log_in(supplier_page, supplier.email)
    await supplier_page.goto(system.web_url + "/invoices")
    supplier_row = supplier_page.get_by_role("row").filter(has_text=number)
    await expect(supplier_row.locator(".buyer-status-rejected")).to_have_text("Avvisad")
    await expect(supplier_row).to_contain_text(REASON[:40])
    mail = await system.mail_to(supplier.email, f"Faktura {number} avvisades av {customer}")
    assert REASON in mail.text
