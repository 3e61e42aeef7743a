"""The guide's first part in a real browser: register, confirm, log in, log out."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import PASSWORD, field, log_in, new_email, open_page, register
from tests.system import System, confirmation_link, verification_code

pytestmark = pytest.mark.browser


async def test_swedish_journey_confirm_by_link_log_in_and_out(
    browser: Browser, system: System
) -> None:
    page = await open_page(browser, "sv-SE")
    email = new_email("karin")
    await register(page, system, email)

    message = await system.mail_to(email)
    await page.goto(confirmation_link(message))
    await expect(page.get_by_role("heading", level=1)).to_have_text("E-postadressen är bekräftad")
    await page.get_by_role("link", name="Logga in").click()

    await log_in(page, email, "Fel-Lösen-99")
    await expect(page.get_by_role("alert")).to_contain_text("Fel e-post eller lösenord.")
    await log_in(page, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinformation")

    await page.get_by_label("Användarmeny").click()
    await page.get_by_role("button", name="Logga ut").click()
    await expect(page.get_by_role("status")).to_have_text("Du är nu utloggad.")
    await page.goto(system.web_url + "/account")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


async def test_second_user_confirms_by_code_after_being_refused_unconfirmed(
    browser: Browser, system: System
) -> None:
    page = await open_page(browser, "sv-SE")
    email = new_email("olle")
    await register(page, system, email)
    code = verification_code(await system.mail_to(email))

    await page.goto(system.web_url + "/login")
    await log_in(page, email)
    await expect(page.get_by_role("alert")).to_contain_text("inte bekräftad")
    await page.get_by_role("link", name="Bekräfta e-postadressen").click()

    await field(page, "Ange kod").fill("000000" if code != "000000" else "111111")
    await page.get_by_role("button", name="Bekräfta").click()
    await expect(page.locator(".field.invalid .error")).to_have_text(
        "Koden är fel eller har gått ut."
    )
    await field(page, "Ange kod").fill(code)
    await page.get_by_role("button", name="Bekräfta").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("E-postadressen är bekräftad")
    await page.get_by_role("link", name="Logga in").click()
    await log_in(page, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinformation")


async def test_english_journey_from_the_browser_language(browser: Browser, system: System) -> None:
    page = await open_page(browser, "en-US")
    email = new_email("anna")
    await register(page, system, email, english=True)
    message = await system.mail_to(email)
    assert "Confirmation" in message.html
    await field(page, "Enter Code").fill(verification_code(message))
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Email Address Confirmed")
    await page.get_by_role("link", name="Login").click()
    await field(page, "E-mail").fill(email)
    await field(page, "Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Company information")


async def test_the_language_menu_switches_and_is_remembered(
    browser: Browser, system: System
) -> None:
    page = await open_page(browser, "en-US")
    await page.goto(system.web_url + "/login")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    await page.get_by_label("Language").click()
    await page.get_by_role("button", name="Svenska").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    await page.goto(system.web_url + "/register")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Registrera ny användare")
