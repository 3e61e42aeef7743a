"""A user turns on two-step verification under Mitt konto, logs out, logs in with a code, changes
a bank account with the password and a code, and finds the change in Händelselogg."""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import pyotp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import PASSWORD, field, log_in, new_email, open_page, register
from tests.invoice.conftest import valid_orgnr
from tests.system import System, confirmation_link

pytestmark = pytest.mark.browser


class Authenticator:
    """The phone's app: a new code for each use, as a person waits for the next one."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.used = -1

    async def code(self) -> str:
        # Identity accepts the step before and after its own; each step once, newer each time.
        async with asyncio.timeout(40):
            while True:
                now = int(time.time()) // 30
                step = max(self.used + 1, now - 1)
                if step <= now + 1:
                    self.used = step
                    return self.totp.at(step * 30)
                await asyncio.sleep(0.5)


async def test_two_step_login_and_a_bank_account_changed_with_password_and_code(
    browser: Browser, system: System
) -> None:
    email = new_email("eva")
    page = await open_page(browser, "sv-SE")
    await register(page, system, email)
    await page.goto(confirmation_link(await system.mail_to(email, "ekräft")))
    await page.get_by_role("link", name="Logga in").click()
    await log_in(page, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinformation")
    await field(page, "Företagsnamn").fill("Eva Signal AB")
    await field(page, "Organisationsnummer").fill(valid_orgnr(uuid.uuid4().int))
    await page.get_by_label("Mitt företag har inget momsregistreringsnummer").check()
    await page.get_by_role("button", name="Spara").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kundanslutningar")

    # Mitt konto → turn on, with the key shown as text and as an otpauth:// link.
    await page.get_by_label("Användarmeny").click()
    await page.get_by_role("link", name="Mitt konto").click()
    await page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    secret = (await page.locator("#second-factor-secret").inner_text()).strip()
    await expect(page.locator("#second-factor-uri")).to_have_attribute(
        "href", re.compile(r"^otpauth://totp/.*secret=" + secret)
    )
    app = Authenticator(secret)
    await field(page, "Kod").fill("000000")
    await page.get_by_role("button", name="Bekräfta och slå på").click()
    await expect(page.locator(".field.invalid")).to_contain_text("Koden är fel")
    await field(page, "Kod").fill(await app.code())
    await page.get_by_role("button", name="Bekräfta och slå på").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    await expect(page.locator("#recovery-codes li")).to_have_count(10)
    recovery = [c.strip() for c in await page.locator("#recovery-codes li").all_inner_texts()]
    await page.get_by_role("link", name="Jag har sparat koderna").click()
    await expect(page.locator("#second-factor-title + p")).to_contain_text("påslagen")

    # Out, and in again: the password, then the code.
    await page.get_by_label("Användarmeny").click()
    await page.get_by_role("button", name="Logga ut").click()
    await log_in(page, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ange koden")
    await field(page, "Kod").fill(await app.code())
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kundanslutningar")

    # Företag → Profil → Kontonummer: the password and a code asked again.
    await page.locator("summary", has_text="Företag").click()
    await page.get_by_role("link", name="Profil").click()
    form = page.locator("#account-form")
    await field(page, "Bank namn").fill("Handelsbanken")
    await page.get_by_label("Bankgiro").check()
    await field(page, "Kontonummer").fill("5050-1055")
    await field(form, "Ditt lösenord").fill("Fel-lösenord-1")
    await field(form, "Kod").fill(await app.code())
    await form.get_by_role("button", name="Spara").click()
    await expect(page.locator("#account-form .field.invalid")).to_contain_text("Lösenordet är fel.")
    await expect(page.get_by_role("row").filter(has_text="5050-1055")).to_have_count(0)
    await field(form, "Ditt lösenord").fill(PASSWORD)
    await field(form, "Kod").fill(await app.code())
    await form.get_by_role("button", name="Spara").click()
    await expect(page.get_by_role("row").filter(has_text="5050-1055")).to_contain_text(
        "Handelsbanken"
    )

    # Företag → Händelselogg: the change, masked, dated in Swedish.
    await page.locator("summary", has_text="Företag").click()
    await page.get_by_role("link", name="Händelselogg").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Händelselogg")
    row = page.get_by_role("row").filter(has_text="Bankkonto tillagt")
    await expect(row).to_contain_text("****-1055")
    await expect(row).to_contain_text(email)
    await expect(row).to_contain_text(
        re.compile(
            r"\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september"
            r"|oktober|november|december) \d{4} \d{2}:\d{2}"
        )
    )
    await expect(row).not_to_contain_text("5050-1055")
    mail = await system.mail_to(email, "Bankkonto tillagt")
    assert "Bankgiro ****-1055" in mail.text

    # Deleting asks again too, on a page of its own; a recovery code serves as the code.
    await page.locator("summary", has_text="Företag").click()
    await page.get_by_role("link", name="Profil").click()
    await (
        page.get_by_role("row")
        .filter(has_text="5050-1055")
        .get_by_role("link", name="Ta bort")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort kontot")
    form = page.locator("#account-form")
    await field(form, "Ditt lösenord").fill(PASSWORD)
    await field(form, "Kod").fill(recovery[0])
    await form.get_by_role("button", name="Ta bort").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Profil")
    await expect(page.get_by_role("row").filter(has_text="5050-1055")).to_have_count(0)
    await page.goto(system.web_url + "/company/audit-log")
    await expect(page.get_by_role("row").filter(has_text="Bankkonto borttaget")).to_contain_text(
        "****-1055"
    )
