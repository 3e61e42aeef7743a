"""The form's live VAT check in a real browser: a choice the rules refuse for the chosen customer
says why at once, and sending it anyway is refused at the same field with the same words."""

from __future__ import annotations

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import field, log_in, open_page
from tests.invoice.conftest import connected_supplier
from tests.system import System

pytestmark = pytest.mark.browser

NOT_EU = "Unionsintern leverans gäller bara en kund i ett annat EU-land än ditt."
NO_BUYER_VAT = "Omvänd betalningsskyldighet kräver kundens momsregistreringsnummer"


async def test_a_refused_vat_choice_says_why_before_and_after_sending(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)  # a Swedish buyer without VAT number
    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, supplier.email)
    await page.goto(system.web_url + "/invoices/new")
    buyers = await page.locator("#buyer_id option").all_inner_texts()
    await field(page, "Kund").select_option(label=next(b for b in buyers if "Infranord" in b))

    line = page.locator("#lines tbody tr").nth(0)
    check = line.locator("[data-role=vat-check]")
    await expect(check).to_be_hidden()
    await line.get_by_label("Moms (%)").select_option("K:0")
    await expect(check).to_have_text(NOT_EU + " Välj ett annat momsval för den här kunden.")
    await line.get_by_label("Moms (%)").select_option("AE:0")
    await expect(check).to_contain_text(NO_BUYER_VAT)
    await line.get_by_label("Moms (%)").select_option("S:25")
    await expect(check).to_be_hidden()

    await line.get_by_label("Moms (%)").select_option("K:0")
    await field(page, "Fakturanummer").fill("EU-1")
    await field(page, "Köparens ordernummer").fill("AO123456")
    await field(page, "Betalningsreferens").fill("1234567897")
    await field(page, "Köparens referens").fill("AB12")
    await field(page, "Referensperson").fill("Olle Ström")
    await line.get_by_label("Artikelbenämning").fill("Räls")
    await line.get_by_label("Antal", exact=True).fill("2")
    await line.get_by_label("Nettopris per enhet").fill("1000")
    await page.get_by_role("button", name="Spara", exact=True).click()
    await page.get_by_role("button", name="Skicka").click()
    await expect(page.locator("#lines")).to_contain_text(NOT_EU)
