"""Every page of the portal, in Swedish and English, for a visitor, a supplier's user and a buyer's
user, each opened once and then looked at every way on that one load:

- at a phone's size (390×844), the smallest phone still common (360×740) and a desk's (1280×900),
  nothing wider than the window (no sideways scrolling), with the header's menu open too on the
  phones. A full-page screenshot of each is kept in $PORTAL_SCREENS (test-artifacts/screens by
  default) to look at, and one of the top of the page with the menu open;
- axe-core (axe-playwright-python, no browser of its own) at the desk's size and the phone's: no
  violation of WCAG 2.1 A or AA. So too the phone's menu with all its menus open, and every form
  that person has, sent empty or wrong so that its errors show.

A failure lists every problem of the walk, each with its language, person, page and size.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Literal

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from tests.e2e.pages import (
    ERROR_FORMS,
    NOT_PAGES,
    PAGES,
    ErrorForm,
    Screen,
    World,
    open_screen,
    page_routes,
    show_errors,
    user_page,
    visitor_page,
)
from tests.system import System

pytestmark = pytest.mark.browser

Who = Literal["visitor", "user", "buyer"]

# The phone (390×844) and the smallest phone still common (360), then a desk.
SIZES = {"phone": (390, 844), "small": (360, 740), "desk": (1280, 900)}
SCREENS = Path(
    os.environ.get("PORTAL_SCREENS", Path(__file__).parents[2] / "test-artifacts/screens")
)

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# axe's violations, with no more than their first six elements brought back from the browser.
AXE_VIOLATIONS = """async (options) => (await axe.run(document, options)).violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 6).map((node) => node.target.join(" ")),
}))"""

# What sticks out to the right of the window, to name in a failure.
OVERFLOW = r"""() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""));
  return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8) };
}"""


def test_every_page_route_is_listed() -> None:
    listed = {screen.route for screen in PAGES} | set(NOT_PAGES)
    routes = page_routes()
    assert not routes - listed, f"add these routes to tests/e2e/pages.py: {routes - listed}"
    assert not listed - routes, (
        f"no longer routes, remove from tests/e2e/pages.py: {listed - routes}"
    )


@pytest.mark.parametrize("who", ["visitor", "user", "buyer"])
@pytest.mark.parametrize("language", ["sv", "en"])
async def test_every_page_fits_every_screen_and_passes_axe(
    browser: Browser, system: System, world: World, language: str, who: Who
) -> None:
    """Each page `who` has, then the phone's menu opened, then each of `who`'s forms with errors."""
    await asyncio.to_thread(SCREENS.mkdir, parents=True, exist_ok=True)
    if who == "visitor":
        page = await visitor_page(browser, system, language)
    else:
        page = await user_page(browser, system, world, language, buyer=who == "buyer")
    found = []
    for screen in PAGES:
        if has(screen, who):
            await set_size(page, SIZES["desk"])
            await open_screen(page, system, world, screen)
            found += await look_at(
                page, f"{language} {who} {screen.path}", file_name(language, who, screen.path)
            )
    found += await menu_violations(page, f"{language} {who}, the phone's menu open")
    for form in ERROR_FORMS:
        if has(form, who):
            await set_size(page, SIZES["desk"])
            await show_errors(page, system, world, form)
            where = f"{language} {who} {form.name} form with errors"
            found += await violations(page, f"{where} at desk")
            await set_size(page, SIZES["phone"])
            found += await violations(page, f"{where} at phone")
    assert not found, "\n".join(found)


def has(item: Screen | ErrorForm, who: Who) -> bool:
    """Whether `who` sees the page, or fills in the form."""
    if isinstance(item, Screen):
        return bool(getattr(item, who))
    return who == ("buyer" if item.buyer else "user" if item.user else "visitor")


async def look_at(page: Page, where: str, shot: str) -> list[str]:
    """Every problem of the page just opened at the desk's size: its overflow at every size, with
    the menu open too on the phones, and axe's violations at the desk's size and the phone's; the
    screenshots named after `shot`."""
    found = await overflow(page, where, shot, "desk")
    found += await violations(page, f"{where} at desk")
    await set_size(page, SIZES["phone"])
    found += await overflow(page, where, shot, "phone")
    found += await violations(page, f"{where} at phone")
    # The menu opened on a phone stays within the window too: opened once for both phones' sizes.
    menu = page.locator("#site-menu-button")
    folded = await menu.is_visible()
    if folded:
        await menu.click()
        await expect(menu).to_have_attribute("aria-expanded", "true")
        found += await overflow(page, where, shot, "phone", menu_open=True)
    await set_size(page, SIZES["small"])
    if folded:
        found += await overflow(page, where, shot, "small", menu_open=True)
        await menu.click()
        await expect(menu).to_have_attribute("aria-expanded", "false")
    found += await overflow(page, where, shot, "small")
    return found


async def overflow(
    page: Page, where: str, shot: str, size: str, *, menu_open: bool = False
) -> list[str]:
    """What sticks out sideways at `size` (the window already that size), and a screenshot: of the
    whole page, or with the menu open of the window, the rest being the same as closed."""
    width = SIZES[size][0]
    found = await page.evaluate(OVERFLOW)
    await page.screenshot(
        path=SCREENS / f"{shot}-{size}{'-menu' if menu_open else ''}.png", full_page=not menu_open
    )
    if not found:
        return []
    return [f"{where} at {size} {width}px{' with the menu open' if menu_open else ''}: {found}"]


async def violations(page: Page, where: str) -> list[str]:
    """Each violation axe finds on the page as it is now: rule, impact, help and the elements.
    axe-core is put into a page once per load, not before every run."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(AXE.axe_script)
    found: list[dict[str, Any]] = await page.evaluate(AXE_VIOLATIONS, WCAG_21_AA)
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['nodes'])}" for v in found
    ]


async def menu_violations(page: Page, where: str) -> list[str]:
    """axe's violations of the phone's folded menu, opened, with each of its menus open too."""
    await set_size(page, SIZES["phone"])
    await page.locator("#site-menu-button").click()
    for menu in await page.locator("#site-menu details").all():
        await menu.locator("summary").click()
    return await violations(page, where)


async def set_size(page: Page, size: tuple[int, int]) -> None:
    await page.set_viewport_size({"width": size[0], "height": size[1]})


def file_name(language: str, who: str, path: str) -> str:
    name = path.strip("/").split("?")[0].replace("/", "_").replace("{", "").replace("}", "")
    return f"{language}-{who}-{name or 'start'}"
