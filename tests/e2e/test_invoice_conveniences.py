"""The invoice form's conveniences in a real browser: lines imported from an Excel CSV file (a
file with a bad row adds nothing and says what is wrong), and an invoice saved as a template
that a new invoice starts from."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from playwright.async_api import Browser, FilePayload, expect

from tests.e2e.journey import field, log_in, open_page, snapshot
from tests.invoice.conftest import Supplier, another_buyer_inviting, connected_supplier
from tests.system import System
from tests.waiting import eventually

pytestmark = pytest.mark.browser

HEADINGS = "Artikelnummer;Benämning;Antal;Enhet;À-pris;Moms\r\n"
GOOD_ROWS = "A-1;Konsulttimme;7,5;tim;1 250,00;25\r\nB-2;Skruv rostfri;100;st;0,35;25\r\n"


def excel_csv(text: str) -> FilePayload:
    """A file as Excel in Sweden saves "CSV (semikolonavgränsad)": Windows-1252."""
    return {"name": "rader.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}


async def connect_another_buyer(system: System, supplier: Supplier) -> str:
    """A second buyer that invites the supplier, whose terms it accepts and which it connects to:
    its id."""
    me = {"Authorization": f"Bearer {supplier.token}"}
    async with aiohttp.ClientSession() as http:
        buyer_id = await another_buyer_inviting(system, http, supplier.email)
        for step, body in (("terms-acceptance", {"confirmed": True}), ("connect", None)):
            url = f"{system.company_url}/v1/me/connections/{buyer_id}/{step}"
            async with http.post(url, headers=me, json=body) as r:
                assert r.status < 300, await r.text()
        acting = Supplier(system, http, supplier.token, buyer_id, supplier.email)

        async def known() -> bool:
            _, context = await acting.call("GET", "/v1/me/invoice-form")
            return any(b["buyer_id"] == buyer_id for b in context["buyers"])

        await eventually(known, within=20)

    return buyer_id


async def test_import_lines_then_start_a_new_invoice_from_a_template(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, supplier.email)
    await page.goto(system.web_url + "/invoices/new")
    customer = field(page, "Kund")
    await customer.select_option(index=1)
    buyer_name = (await customer.locator("option:checked").inner_text()).strip()
    await field(page, "Köparens referens").fill("AB12")

    bad = HEADINGS + GOOD_ROWS + "C-3;Plåt;tre;st;10;25\r\n"
    await field(page, "CSV-fil med rader").set_input_files(excel_csv(bad))
    await page.get_by_role("button", name="Importera rader").click()
    errors = page.locator("#lines_file-note")
    await expect(errors).to_contain_text("Inga rader importerades.")
    await expect(errors).to_contain_text("Rad 4, Antal: ange ett tal, t.ex. 1 234,50.")
    await expect(field(page, "CSV-fil med rader")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#lines tbody input[id$=-description]")).to_have_count(0)
    # The draft was saved with what was typed, so the next attempt goes to it.
    await expect(field(page, "Köparens referens")).to_have_value("AB12")

    await field(page, "CSV-fil med rader").set_input_files(excel_csv(HEADINGS + GOOD_ROWS))
    await page.get_by_role("button", name="Importera rader").click()
    await expect(page.get_by_role("status").first).to_have_text("2 rader importerades.")
    descriptions = page.locator("#lines tbody input[id$=-description]")
    await expect(descriptions).to_have_count(2)
    await expect(descriptions.nth(0)).to_have_value("Konsulttimme")
    await expect(page.locator("#lines-1-unit_price")).to_have_value("0.35")
    await expect(page.locator("#lines-0-unit")).to_have_value("HUR")
    # 7,5 × 1 250 + 100 × 0,35 = 9 410,00 net; 25 % VAT.
    await expect(page.locator("#total-net")).to_have_text("9\u00a0410,00")
    await expect(page.locator("#total-payable")).to_have_text("11\u00a0762,50")
    await snapshot(page, "rader-importerade")

    await field(page, "Mallens namn").fill("Månadsfaktura")
    await page.get_by_role("button", name="Spara som mall").click()
    await expect(page.get_by_role("status").first).to_have_text(
        "Fakturan är sparad som mallen ”Månadsfaktura”."
    )

    other_buyer = await connect_another_buyer(system, supplier)
    await page.goto(system.web_url + "/invoices/new")
    templates = page.get_by_role("region", name="Mallar")
    await expect(templates.get_by_role("heading", level=3)).to_have_text(buyer_name)
    await expect(templates).to_contain_text("Månadsfaktura")
    await snapshot(page, "mallar")
    # Once a customer is chosen, only its templates show.
    await field(page, "Kund").select_option(other_buyer)
    await expect(templates.get_by_role("heading", level=3)).to_have_count(0)
    await expect(templates).to_contain_text("Inga mallar för den här kunden.")
    await field(page, "Kund").select_option(supplier.buyer_id)
    await expect(templates.get_by_role("heading", level=3)).to_have_text(buyer_name)
    await expect(templates.get_by_text("Inga mallar för den här kunden.")).to_be_hidden()
    await templates.get_by_role("button", name="Ny faktura från mallen Månadsfaktura").click()
    await expect(page).to_have_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    await expect(field(page, "Kund")).to_have_value(supplier.buyer_id)
    await expect(field(page, "Fakturadatum")).to_have_value(today.isoformat())
    await expect(field(page, "Förfallodatum")).to_have_value(
        (today + timedelta(days=30)).isoformat()
    )
    await expect(field(page, "Fakturanummer")).to_have_value("")
    await expect(field(page, "Köparens referens")).to_have_value("AB12")
    started = page.locator("#lines tbody input[id$=-description]")
    await expect(started).to_have_count(2)
    await expect(started.nth(1)).to_have_value("Skruv rostfri")

    await page.goto(system.web_url + "/invoices/new")
    await templates.get_by_role("button", name="Ta bort mallen Månadsfaktura").click()
    await expect(page.get_by_role("status").first).to_have_text("Mallen är borttagen.")
    await expect(page.get_by_role("region", name="Mallar")).to_have_count(0)
