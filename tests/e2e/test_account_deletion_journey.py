"""A user deletes the account under Mitt konto → Radera konto in a real browser: a wrong password
is refused at its field, the right one shows the deleted page, and the login is gone; the
company's invoice still names who created it. The company's only admin, with colleagues, is asked
to hand the role over first."""

from __future__ import annotations

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from services.web.security import SESSION_COOKIE
from tests.e2e.journey import PASSWORD, log_in, open_page, snapshot
from tests.invoice.conftest import Supplier, colleague, connected_supplier
from tests.system import System

pytestmark = pytest.mark.browser


async def to_account(page: Page) -> None:
    await page.get_by_label("Användarmeny").click()
    await page.get_by_role("link", name="Mitt konto").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")


async def test_a_colleague_deletes_the_account_and_the_invoice_still_names_its_creator(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        admin = await connected_supplier(system, api)
        email, token = await colleague(system, api, admin)
        keyer = Supplier(system, api, token, admin.buyer_id, email)
        status, draft = await keyer.call("POST", "/v1/me/invoices", json=keyer.form())
        assert status == 201, draft
        status, sent = await keyer.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        assert status == 200, sent

    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, email)
    await to_account(page)
    section = page.get_by_role("region", name="Radera konto")
    await expect(section).to_contain_text("Din inloggning, din e-postadress, ditt namn")
    await expect(section).to_contain_text("bokföringslagen (7 kap. 2 §)")
    await expect(section).to_contain_text("Företag → Exportera data")
    await snapshot(page, "radera-konto")

    await section.locator("#delete-password").fill("Fel-lösen-123!")
    await section.get_by_role("button", name="Radera mitt konto").click()
    await expect(page.locator("#delete-password")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#delete-password-note")).to_contain_text("Lösenordet är fel.")

    section = page.get_by_role("region", name="Radera konto")
    await section.locator("#delete-password").fill(PASSWORD)
    await section.get_by_role("button", name="Radera mitt konto").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ditt konto är raderat")
    await expect(page.locator("main")).to_contain_text("sparas i sju år")
    await snapshot(page, "konto-raderat")
    assert SESSION_COOKIE not in {c["name"] for c in await page.context.cookies()}
    mail = await system.mail_to(email, "Ditt konto är raderat")
    assert "7 kap. 2 §" in mail.text

    # Logging in again fails, as for an address nobody has.
    await page.goto(system.web_url + "/login")
    await log_in(page, email)
    await expect(page.get_by_role("alert")).to_contain_text("Fel e-post eller lösenord.")

    # The company keeps the invoice, and it still names who created and sent it.
    other = await open_page(browser, "sv-SE")
    await other.goto(system.web_url + "/login")
    await log_in(other, admin.email)
    await other.goto(f"{system.web_url}/invoices/{sent['id']}")
    facts = other.locator("dt", has_text="Skapad av").locator("xpath=following-sibling::dd[1]")
    await expect(facts).to_have_text("Olof Strand")
    await other.goto(system.web_url + "/company/users")
    await expect(other.locator("main")).not_to_contain_text("Olof")


async def test_the_only_admin_among_colleagues_is_asked_to_hand_the_role_over_first(
    browser: Browser, system: System
) -> None:
    async with aiohttp.ClientSession() as api:
        admin = await connected_supplier(system, api)
        await colleague(system, api, admin)

    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, admin.email)
    await to_account(page)
    section = page.get_by_role("region", name="Radera konto")
    await expect(section).to_contain_text("Du är företagets enda administratör")
    await expect(section.get_by_role("button", name="Radera mitt konto")).to_have_count(0)
    await expect(section.get_by_role("link", name="Till Företag → Användare")).to_have_attribute(
        "href", "/company/users"
    )

    # A form sent all the same, with the right password, is refused in the section too.
    csrf = await page.locator("input[name=csrf_token]").first.input_value()
    await page.evaluate(
        """([csrf, password]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = "/account/delete";
            for (const [name, value] of [["csrf_token", csrf], ["password", password]]) {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [csrf, PASSWORD],
    )
    section = page.get_by_role("region", name="Radera konto")
    await expect(section.get_by_role("alert")).to_have_text(
        "Du är företagets enda administratör och företaget har andra användare. Gör en kollega "
        "till administratör under Företag → Användare innan du raderar ditt konto."
    )
    # Nothing was deleted: the admin is still logged in, and still the company's admin.
    await page.goto(system.web_url + "/company/users")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/login" not in page.url
