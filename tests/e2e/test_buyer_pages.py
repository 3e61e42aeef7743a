"""A buyer's admin on the buyer's own pages: invites suppliers from a CSV file (a wrong row shows
its errors and nobody is invited; the corrected file invites everyone), puts new terms in place
(the connected supplier cannot send until it accepts them), and edits a reference rule and tries
a value against it."""

from __future__ import annotations

import uuid

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import field, log_in, open_page, snapshot
from tests.invoice.conftest import TERMS, buyer_user, connected_supplier
from tests.system import System
from tests.waiting import eventually

pytestmark = pytest.mark.browser

NEW_TERMS_MESSAGE = (
    "Kunden har nya användarvillkor; acceptera dem under Kundanslutningar innan du skickar."
)


async def test_a_buyer_admin_invites_by_file_changes_terms_and_rules(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
        email, _ = await buyer_user(system, api, supplier.buyer_id)

        page = await open_page(browser, "sv-SE")
        await page.goto(system.web_url + "/login")
        await log_in(page, email)
        await page.get_by_role("link", name="Leverantörer").first.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Leverantörer")
        await expect(page.locator("#suppliers")).to_contain_text("Ansluten")

        tag = uuid.uuid4().hex[:8]
        wrong = f"e-post;förnamn;efternamn;språk\nnora.{tag}@example.com;Nora;Berg;sv\nolle.{tag};Olle;Ström;en\n"
        upload = page.get_by_label("CSV-fil")
        await upload.set_input_files(
            {"name": "leverantorer.csv", "mimeType": "text/csv", "buffer": wrong.encode()}
        )
        await page.get_by_role("button", name="Ladda upp och bjud in").click()
        problems = page.locator("#import-problems")
        await expect(problems).to_contain_text("3")
        await expect(problems).to_contain_text("E-post")
        await expect(problems).to_contain_text("Ange en giltig e-postadress.")
        await expect(page.locator("#suppliers")).not_to_contain_text(f"nora.{tag}")
        await snapshot(page, "leverantorer-fel-i-filen")

        fixed = "\ufeff" + wrong.replace(f"olle.{tag};", f"olle.{tag}@example.com;")
        await page.get_by_label("CSV-fil").set_input_files(
            {"name": "leverantorer.csv", "mimeType": "text/csv", "buffer": fixed.encode()}
        )
        await page.get_by_role("button", name="Ladda upp och bjud in").click()
        await expect(page.locator("#invited-count")).to_have_text("2 leverantörer är inbjudna.")
        for name in (f"nora.{tag}", f"olle.{tag}"):
            row = page.get_by_role("row").filter(has_text=name)
            await expect(row).to_contain_text("Inbjuden, ej registrerad")
        await system.mail_to(f"olle.{tag}@example.com", "invites you to Leverantörsportalen")

        # New terms: the supplier is refused at the customer until it accepts them.
        await page.goto(system.web_url + "/buyer/terms")
        await expect(page.locator("#terms-version")).to_have_text("2026-1")
        await field(page, "Ny version").fill("2027-1")
        await page.get_by_label("Villkoren (PDF)").set_input_files(
            {"name": "villkor.pdf", "mimeType": "application/pdf", "buffer": TERMS}
        )
        await page.get_by_role("button", name="Publicera").click()
        await expect(page.get_by_role("status")).to_contain_text("De nya villkoren gäller")
        await expect(page.locator("#terms-version")).to_have_text("2027-1")

        async def invoice_service_knows_the_new_terms() -> bool:
            _, context = await supplier.call("GET", "/v1/me/invoice-form")
            return any(b["terms_version"] == "2027-1" for b in context["buyers"])

        await eventually(invoice_service_knows_the_new_terms)
        _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
        status, body = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        assert status == 422, body
        assert [p["message"] for p in body["error"]["fields"]["buyer_id"]] == [NEW_TERMS_MESSAGE]
        supplier_page = await open_page(browser, "sv-SE")
        await supplier_page.goto(system.web_url + "/login")
        await log_in(supplier_page, supplier.email)
        await supplier_page.goto(system.web_url + "/connections")
        await expect(supplier_page.locator("main")).to_contain_text("Nya villkor att acceptera")
        await supplier_page.get_by_role("link", name="Setup").click()
        await supplier_page.get_by_label("Jag bekräftar", exact=False).check()
        await supplier_page.get_by_role("button", name="Acceptera").click()
        await expect(supplier_page.get_by_role("status")).to_contain_text("accepterade")

        async def sent() -> bool:
            status, _ = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
            return status == 200

        await eventually(sent)

    # A rule edited, a wrong pattern refused at its field, then a value tried.
    await page.goto(system.web_url + "/buyer/rules")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Referensregler")
    pattern = page.locator("#rules-0-pattern")
    await pattern.fill("(AO[0-9]+)+")
    await page.locator("main .form-actions button[value=save]").click()
    await expect(pattern).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#rules-0-pattern-note")).to_contain_text("nästlad upprepning")
    await page.locator("#rules-0-pattern").fill("PO-[0-9]{6}")
    await page.locator("#rules-0-message_sv").fill("Ange ordernumret som PO-123456.")
    await page.locator("main .form-actions button[value=save]").click()
    await expect(page.get_by_role("status")).to_contain_text("Reglerna är sparade")
    await expect(page.locator("#rules")).to_contain_text("PO-[0-9]{6}")

    await page.get_by_label("Fält").first.select_option("buyer_order_number")
    await page.get_by_label("Värde").fill("AO1234567")
    await page.get_by_role("button", name="Testa", exact=True).click()
    await expect(page.locator("#verdict")).to_have_text(
        "Värdet godtas inte: Ange ordernumret som PO-123456."
    )
    await page.get_by_label("Värde").fill("PO-123456")
    await page.get_by_role("button", name="Testa", exact=True).click()
    await expect(page.locator("#verdict")).to_have_text("Värdet godtas.")
    await snapshot(page, "referensregler")
