"""An invoice keyed and sent with the keyboard alone, as a user who cannot use a mouse does: every
field and button is reached with Tab in the page's order, filled by typing, and pressed with
Enter; nothing is clicked."""

from __future__ import annotations

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.journey import PASSWORD, open_page
from tests.invoice.conftest import connected_supplier
from tests.system import System

pytestmark = pytest.mark.browser

# Enough Tab presses to cross the longest page (the invoice form) from one field to the next.
MAX_TABS = 200

FOCUSED_NAME = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  // A required field's label ends in " *" or " (*)".
  return (label || el.getAttribute("aria-label") || el.innerText || el.value || "")
    .trim().replace(/\s*\(?\*\)?$/, "");
}"""


async def tab_to(page: Page, name: str, *, exact: bool = True) -> None:
    """Press Tab until the focused element is named `name`; fail if it is never reached."""
    seen = []
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUSED_NAME)
        if focused == name or (not exact and name in focused):
            return
        seen.append(focused)
    raise AssertionError(f"{name!r} not reached with Tab; reached {seen[-20:]}")


async def type_into(page: Page, name: str, text: str) -> None:
    await tab_to(page, name)
    await page.keyboard.type(text)


async def test_an_invoice_is_keyed_and_sent_with_the_keyboard_alone(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await type_into(page, "E-post", supplier.email)
    await type_into(page, "Lösenord", PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page).not_to_have_url(system.web_url + "/login")

    await page.goto(system.web_url + "/invoices/new")
    await tab_to(page, "Kund")
    await page.keyboard.type("Infranord")
    await type_into(page, "Fakturanummer", "KB-1")
    await type_into(page, "Köparens ordernummer", "AO123456")
    await type_into(page, "Betalningsreferens", "1234567897")
    await type_into(page, "Köparens referens", "AB12")
    await type_into(page, "Referensperson", "Olle Ström")
    await type_into(page, "Artikelbenämning", "Räls")
    await type_into(page, "Antal", "2")
    await type_into(page, "Nettopris per enhet", "1000")
    await tab_to(page, "Spara")
    await page.keyboard.press("Enter")

    await expect(page.get_by_text("Spara eller skicka")).to_be_visible()
    await tab_to(page, "Skicka")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Gratulerar, Du har nu skickat din faktura!")).to_be_visible()
