"""The pages under the content security policy in Chromium: every script and style comes from
/static, so the policy blocks nothing and the scripts still do their work."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.journey import log_in, open_page
from tests.security.test_isolation import Tenant
from tests.system import System

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs; the browser's own injection is not policed.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""
PUBLIC_PAGES = ("/", "/login", "/register", "/password/forgot", "/password/reset?token=x")


async def violations_on(page: Page, url: str) -> list[str]:
    await page.goto(url)
    await page.wait_for_load_state("networkidle")
    found: list[str] = await page.evaluate("window.violations")
    return found


async def test_the_policy_blocks_nothing_on_any_page(
    browser: Browser,
    system: System,
    tenant: Tenant,
) -> None:
    page = await open_page(browser, "sv-SE")
    await page.context.add_init_script(RECORD_VIOLATIONS)
    blocked = {path: await violations_on(page, system.web_url + path) for path in PUBLIC_PAGES}
    await page.goto(system.web_url + "/register")
    await page.get_by_label("Jag är inte en robot").check()
    await expect(page.locator("#captcha-status")).to_have_text("Klart")
    await page.goto(system.web_url + "/login")
    await log_in(page, tenant.supplier.email)
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    for path in (
        "/connections",
        f"/connections/{tenant.supplier.buyer_id}/setup",
        "/company",
        "/profile",
        "/account",
        "/invoices",
        "/invoices/new",
        f"/invoices/{tenant.draft['id']}",
        f"/invoices/{tenant.sent['id']}",
    ):
        blocked[path] = await violations_on(page, system.web_url + path)
    await page.goto(system.web_url + "/invoices/new")
    rows = page.locator("#lines [data-row]")
    before = await rows.count()
    await page.get_by_role("button", name="Lägg till en artikel").click()
    await expect(rows).to_have_count(before + 1)
    blocked["/invoices/new, a line added"] = await page.evaluate("window.violations")
    assert not {path: found for path, found in blocked.items() if found}
