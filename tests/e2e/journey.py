"""Steps a person takes in the browser, shared by the journey tests."""

from __future__ import annotations

import os
import re
import uuid

from playwright.async_api import Browser, Locator, Page, expect

from tests.system import System

PASSWORD = "Räls-2026-Spår"


def field(page: Page, label: str) -> Locator:
    """The input labelled `label`, with or without the required-field mark (`*` or `(*)`)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*| \(\*\))?$"))


def new_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


async def open_page(browser: Browser, locale: str) -> Page:
    context = await browser.new_context(
        locale=locale, extra_http_headers={"Accept-Language": locale}
    )
    page = await context.new_page()
    page.set_default_timeout(15_000)
    return page


async def register(page: Page, system: System, email: str, *, english: bool = False) -> None:
    labels = (
        ("Email", "First Name", "Last Name", "Password", "Password Confirmation", "I'm not a robot")
        if english
        else (
            "E-post",
            "Förnamn",
            "Efternamn",
            "Lösenord",
            "Bekräfta lösenord",
            "Jag är inte en robot",
        )
    )
    await page.goto(system.web_url)
    await page.get_by_role("link", name="Register" if english else "Registrera").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Register as a New User" if english else "Registrera ny användare"
    )
    await field(page, labels[0]).fill(email)
    await field(page, labels[1]).fill("Karin")
    await field(page, labels[2]).fill("Berg")
    await field(page, labels[3]).fill(PASSWORD)
    await field(page, labels[4]).fill(PASSWORD)
    await page.get_by_label(labels[5]).check()
    await expect(page.locator("#captcha-status")).to_have_text("Verified" if english else "Klart")
    await page.get_by_label(
        "Yes, I have read and understood the privacy policy for the service"
        if english
        else "Ja, jag har läst och förstått integritetspolicyn för tjänsten"
    ).check()
    await page.get_by_role("button", name="Register" if english else "Registrera").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirmation email has been Sent" if english else "Bekräftelsemejl har skickats"
    )


async def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    await field(page, "E-post").fill(email)
    await field(page, "Lösenord").fill(password)
    await page.get_by_role("button", name="Logga in").click()


async def snapshot(page: Page, name: str) -> None:
    """A full-page screenshot into $PORTAL_SCREENSHOTS, when set: to look at what users see."""
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        await page.screenshot(path=f"{folder}/{name}.png", full_page=True)
