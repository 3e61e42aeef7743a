"""axe-core on every page, in Swedish and English, logged out and in, at a desk's size and a
phone's, and on every form sent empty or wrong so its errors show: no violation of WCAG 2.1 A or
AA. axe-core comes with axe-playwright-python (no browser of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from tests.e2e.pages import (
    ERROR_FORMS,
    PAGES,
    World,
    open_screen,
    show_errors,
    user_page,
    visitor_page,
)
from tests.system import System

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SIZES = {"desk": (1280, 900), "phone": (390, 844)}


async def violations(page: Page, where: str) -> list[str]:
    """Each violation axe finds on the page as it is now: rule, impact, help and the elements."""
    results = await AXE.run(page, options=WCAG_21_AA)
    found: list[dict[str, Any]] = results.response["violations"]
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}: "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:6])
        for v in found
    ]


async def every_size(page: Page, where: str) -> list[str]:
    found = []
    for size, (width, height) in SIZES.items():
        await page.set_viewport_size({"width": width, "height": height})
        found += await violations(page, f"{where} at {size}")
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_page_has_an_axe_violation_for_a_visitor(
    browser: Browser, system: System, world: World, language: str
) -> None:
    page = await visitor_page(browser, system, language)
    found = []
    for screen in PAGES:
        if screen.visitor:
            await open_screen(page, system, world, screen)
            found += await every_size(page, f"{language} visitor {screen.path}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_page_has_an_axe_violation_for_a_user(
    browser: Browser, system: System, world: World, language: str
) -> None:
    page = await user_page(browser, system, world, language)
    found = []
    for screen in PAGES:
        if screen.user:
            await open_screen(page, system, world, screen)
            found += await every_size(page, f"{language} user {screen.path}")
    # The phone's folded menu, opened: its menus and their items.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.locator("#site-menu-button").click()
    for menu in await page.locator("#site-menu details").all():
        await menu.locator("summary").click()
    found += await violations(page, f"{language} user, the phone's menu open")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_page_has_an_axe_violation_for_a_buyer_user(
    browser: Browser, system: System, world: World, language: str
) -> None:
    page = await user_page(browser, system, world, language, buyer=True)
    found = []
    for screen in PAGES:
        if screen.buyer:
            await open_screen(page, system, world, screen)
            found += await every_size(page, f"{language} buyer {screen.path}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_form_with_errors_has_an_axe_violation(
    browser: Browser, system: System, world: World, language: str
) -> None:
    visitor = await visitor_page(browser, system, language)
    user = await user_page(browser, system, world, language)
    buyer = await user_page(browser, system, world, language, buyer=True)
    found = []
    for form in ERROR_FORMS:
        page = buyer if form.buyer else user if form.user else visitor
        await page.set_viewport_size({"width": 1280, "height": 900})
        await show_errors(page, system, world, form)
        found += await every_size(page, f"{language} {form.name} form with errors")
    assert not found, "\n".join(found)
