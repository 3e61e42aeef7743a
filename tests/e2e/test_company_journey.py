"""The guide's points 11–14 in a real browser, starting from the invitation e-mail."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from portal_cli.__main__ import parser, run
from tests.e2e.journey import PASSWORD, field, log_in, open_page
from tests.system import OPERATOR_SECRET, System, confirmation_link

pytestmark = pytest.mark.browser

TERMS = Path(__file__).parents[2] / "examples" / "anvandarvillkor.pdf"


async def operator(system: System, *words: str) -> None:
    """What the operator types: `portal …` against this system's company service."""
    args = parser().parse_args(
        ["--company-url", system.company_url, "--operator-secret", OPERATOR_SECRET, *words]
    )
    await run(args)


async def test_from_invitation_to_a_connected_infranord_with_address_and_bankgiro(
    browser: Browser, system: System
) -> None:
    email = f"anna.{uuid.uuid4().hex[:8]}@example.com"
    buyer = f"Infranord AB {uuid.uuid4().hex[:4]}"
    await operator(
        system,
        "buyer",
        "create",
        "--name",
        buyer,
        "--organisation-number",
        "556036-0793",
        "--email",
        "faktura@infranord.example",
        "--street",
        "Box 1803",
        "--postal-code",
        "171 21",
        "--city",
        "Solna",
        "--terms",
        str(TERMS),
        "--terms-version",
        "2026-1",
        "--rules",
        "infranord",
    )
    await operator(
        system,
        "buyer",
        "invite",
        "--buyer",
        buyer,
        "--email",
        email,
        "--first-name",
        "Anna",
        "--last-name",
        "Ek",
    )
    invitation = await system.mail_to(email, "bjuder in dig")
    link = re.search(r'href="([^"]*/register\?invitation=[^"]+)"', invitation.html)
    assert link, invitation.html

    page = await open_page(browser, "sv-SE")
    await page.goto(link.group(1).replace("&amp;", "&"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Registrera ny användare")
    await expect(field(page, "E-post")).to_have_value(email)
    await expect(field(page, "E-post")).to_have_attribute("readonly", "")
    await expect(field(page, "Förnamn")).to_have_value("Anna")
    await expect(field(page, "Efternamn")).to_have_value("Ek")
    await field(page, "Lösenord").fill(PASSWORD)
    await field(page, "Bekräfta lösenord").fill(PASSWORD)
    await page.get_by_label("Jag är inte en robot").check()
    await expect(page.locator("#captcha-status")).to_have_text("Klart")
    await page.get_by_label("Ja, jag har läst och förstått integritetspolicyn för tjänsten").check()
    await page.get_by_role("button", name="Registrera").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Bekräftelsemejl har skickats")
    await page.goto(confirmation_link(await system.mail_to(email, "ekräft")))
    await page.get_by_role("link", name="Logga in").click()
    await log_in(page, email)

    # 11–12: Företagsinformation, every wrong number refused at its field.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinformation")
    await expect(page.get_by_label("Land")).to_have_value("SE")
    await field(page, "Företagsnamn").fill("Ek Spårteknik AB")
    await field(page, "Organisationsnummer").fill("556677-8890")
    await field(page, "Momsregistreringsnummer").fill("SE556677889901")
    await page.get_by_role("button", name="Spara").click()
    await expect(page.locator(".field.invalid").first).to_contain_text("kontrollsiffran är fel")
    await field(page, "Organisationsnummer").fill("556677-8899")
    await page.get_by_label("Godkänd för F-skatt").check()
    await page.get_by_role("button", name="Spara").click()

    # 13: Kundanslutningar → Setup → the terms → Acceptera → Anslut.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kundanslutningar")
    row = page.get_by_role("row").filter(has_text=buyer)
    await expect(row).to_contain_text("Inbjuden")
    await row.get_by_role("button", name="Anslut").click()
    await expect(page.get_by_role("alert")).to_contain_text("Acceptera kundens användarvillkor")
    await page.get_by_role("row").filter(has_text=buyer).get_by_role("link", name="Setup").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inställningar för att skicka fakturor"
    )
    href = await page.get_by_role("link", name=re.compile("användarvillkoren")).get_attribute(
        "href"
    )
    terms = await page.request.get(system.web_url + str(href))
    assert terms.ok and (await terms.body()).startswith(b"%PDF")
    await page.get_by_role("button", name="Acceptera").click()
    await expect(page.locator(".field.invalid")).to_contain_text("Bekräfta att du läst")
    await page.get_by_label(
        "Jag bekräftar att jag läst och förstått användarvillkoren för tjänsten"
    ).check()
    await page.get_by_role("button", name="Acceptera").click()
    await expect(page.get_by_role("status")).to_contain_text("Användarvillkoren är accepterade")
    await page.get_by_role("link", name="Kundanslutningar").click()
    await (
        page.get_by_role("row").filter(has_text=buyer).get_by_role("button", name="Anslut").click()
    )
    await expect(page.get_by_role("row").filter(has_text=buyer)).to_contain_text("Ansluten")

    # 14: Profil under Företag: a Förvalt address, then a Bankgiro account.
    await page.locator("summary", has_text="Företag").click()
    await page.get_by_role("link", name="Profil").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Profil")
    await expect(page.locator("#address-kind")).to_have_value("default")
    for label, value in (
        ("Namn", "Ek Spårteknik AB"),
        ("Adress", "Banvägen 1"),
        ("Postnummer", "981 31"),
        ("Stad", "Kiruna"),
        ("Telefon", "0980-123 45"),
    ):
        await field(page, label).fill(value)
    await page.locator("#address-form").get_by_role("button", name="Spara").click()
    await expect(page.get_by_role("status")).to_have_text("Sparat.")
    await expect(page.get_by_role("row").filter(has_text="Banvägen 1")).to_contain_text("Förvalt")

    await field(page, "Bank namn").fill("Handelsbanken")
    await page.get_by_label("Bankgiro").check()
    await field(page, "Kontonummer").fill("5050-1056")
    await page.locator("#account-form").get_by_role("button", name="Spara").click()
    await expect(page.locator("#account-form .field.invalid")).to_contain_text("Bankgiro")
    await field(page, "Kontonummer").fill("5050-1055")
    await field(page, "Ditt lösenord").fill(PASSWORD)  # asked again for every account change
    await page.locator("#account-form").get_by_role("button", name="Spara").click()
    await expect(page.get_by_role("row").filter(has_text="5050-1055")).to_contain_text(
        "Handelsbanken"
    )
