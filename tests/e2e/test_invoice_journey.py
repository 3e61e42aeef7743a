"""The guide's invoice section in a real browser: Fakturaportal, Förhandsgranska PDF, Spara,
Skicka, and out: Logga ut."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from devtools.peppol import validate
from tests.e2e.journey import field, log_in, open_page, snapshot
from tests.invoice.conftest import connected_supplier
from tests.system import System

pytestmark = pytest.mark.browser

ATTACHMENT = Path(__file__).parents[2] / "examples" / "anvandarvillkor.pdf"


async def test_key_preview_save_and_send_an_invoice_to_infranord(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, supplier.email)

    await page.locator("summary", has_text="Fakturor").click()
    await page.get_by_role("link", name="Fakturaportal").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Fakturaportal")
    await expect(page.locator(".party")).to_contain_text("Ek Spårteknik AB")
    await field(page, "Kund").select_option(
        label=page_buyer_name(await page.locator("#buyer_id option").all_inner_texts())
    )
    await field(page, "Fakturanummer").fill("2026-0042")
    await field(page, "Köparens ordernummer").fill("AO123456")
    await field(page, "Betalningsreferens").fill("1234567897")
    await field(page, "Köparens referens").fill("AB12")
    await field(page, "Referensperson").fill("Olle Ström")

    first = page.locator("#lines tbody tr").nth(0)
    await first.get_by_label("Artikel ID").fill("SP-1")
    await first.get_by_label("Artikelbenämning").fill("Spårarbete")
    await first.get_by_label("Antal", exact=True).fill("3")
    await first.get_by_label("Enhet", exact=True).select_option(label="tim")
    await first.get_by_label("Nettopris per enhet").fill("850")
    await page.get_by_role("button", name="Lägg till en artikel").click()
    second = page.locator("#lines tbody tr").nth(1)
    await second.get_by_label("Artikelbenämning").fill("Slipers")
    await second.get_by_label("Antal", exact=True).fill("12")
    await second.get_by_label("Nettopris per enhet").fill("199,99")
    await page.get_by_role("button", name="Lägg till en tilläggsavgift").click()
    await page.locator("#charges tbody tr").nth(0).get_by_label("Belopp", exact=True).fill("450")
    # Totals follow the typing: 2 550 + 2 399,88 + 450 = 5 399,88 net, 1 349,97 VAT.
    await expect(page.locator("#total-net")).to_have_text("5\u00a0399,88")
    await expect(page.locator("#total-vat")).to_have_text("1\u00a0349,97")
    await expect(page.locator("#total-payable")).to_have_text("6\u00a0749,85")

    await page.get_by_label("Dokument (PDF)").set_input_files(ATTACHMENT)
    await page.get_by_role("button", name="Bifoga").click()
    await expect(page.get_by_role("link", name="anvandarvillkor.pdf")).to_be_visible()
    await snapshot(page, "fakturaportal")

    async with page.context.expect_page() as preview_opened:
        await page.get_by_role("button", name="Förhandsgranska PDF").click()
    preview = await preview_opened.value
    response = await page.request.get(preview.url)
    assert response.ok and (await response.body()).startswith(b"%PDF")
    await preview.close()

    await page.get_by_role("button", name="Spara", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Spara eller skicka")
    await page.get_by_role("button", name="Skicka").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gratulerar, Du har nu skickat din faktura!"
    )

    # The buyer's inbox: one e-mail with the PDF, the Peppol XML and the supplier's attachment.
    mail = await system.mail_to("faktura@infranord.example", "2026-0042")
    files = {part.get_filename(): part.get_content() for part in mail.message.iter_attachments()}
    assert set(files) == {"faktura-2026-0042.pdf", "faktura-2026-0042.xml", "anvandarvillkor.pdf"}
    assert files["faktura-2026-0042.pdf"].startswith(b"%PDF")
    assert files["anvandarvillkor.pdf"] == ATTACHMENT.read_bytes()
    fatal = [f for f in validate(files["faktura-2026-0042.xml"]) if f.flag == "fatal"]
    assert fatal == []
    await system.mail_to(supplier.email, "2026-0042")  # the supplier's confirmation

    # Delivery reaches the invoice service as an event; the user sees it on the next look.
    row = page.get_by_role("row").filter(has_text="2026-0042")
    async with asyncio.timeout(20):
        while True:
            await page.goto(system.web_url + "/invoices?q=2026-0042")
            if "Levererad" in await row.inner_text():
                break
            await asyncio.sleep(0.2)

    await page.get_by_label("Användarmeny").click()
    await page.get_by_role("button", name="Logga ut").click()
    await expect(page.get_by_role("status")).to_have_text("Du är nu utloggad.")


def page_buyer_name(options: list[str]) -> str:
    return next(o for o in options if o.startswith("Infranord AB"))
