"""Every page at a phone's size and a desk's, in Swedish and English, logged out and in: nothing
wider than the window (no sideways scrolling), with the header's menu open too. A full-page
screenshot of each is kept in $PORTAL_SCREENS (test-artifacts/screens by default) to look at."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.pages import (
    NOT_PAGES,
    PAGES,
    World,
    open_screen,
    page_routes,
    user_page,
    visitor_page,
)
from tests.system import System

pytestmark = pytest.mark.browser

# The phone (390×844) and the smallest phone still common (360), then a desk.
SIZES = {"phone": (390, 844), "small": (360, 740), "desk": (1280, 900)}
SCREENS = Path(
    os.environ.get("PORTAL_SCREENS", Path(__file__).parents[2] / "test-artifacts/screens")
)

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


async def overflows(page: Page, name: str) -> list[str]:
    """The overflow of every size for the page open in `page`, each size shot to a file."""
    found = []
    for size, (width, height) in SIZES.items():
        await page.set_viewport_size({"width": width, "height": height})
        overflow = await page.evaluate(OVERFLOW)
        if overflow:
            found.append(f"{name} at {size} {width}px: {overflow}")
        await page.screenshot(path=SCREENS / f"{name}-{size}.png", full_page=True)
        menu = page.locator("#site-menu-button")
        if size != "desk" and await menu.is_visible():
            # The menu opened on a phone stays within the window too.
            await menu.click()
            await expect(menu).to_have_attribute("aria-expanded", "true")
            overflow = await page.evaluate(OVERFLOW)
            if overflow:
                found.append(f"{name} at {size} {width}px with the menu open: {overflow}")
            await page.screenshot(path=SCREENS / f"{name}-{size}-menu.png", full_page=True)
            await menu.click()
    return found


def file_name(language: str, who: str, path: str) -> str:
    name = path.strip("/").split("?")[0].replace("/", "_").replace("{", "").replace("}", "")
    return f"{language}-{who}-{name or 'start'}"


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_page_scrolls_sideways_for_a_visitor(
    browser: Browser, system: System, world: World, language: str
) -> None:
    await asyncio.to_thread(SCREENS.mkdir, parents=True, exist_ok=True)
    page = await visitor_page(browser, system, language)
    found = []
    for screen in PAGES:
        if screen.visitor:
            await page.set_viewport_size({"width": 1280, "height": 900})
            await open_screen(page, system, world, screen)
            found += await overflows(page, file_name(language, "visitor", screen.path))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("who", ["user", "buyer"])
@pytest.mark.parametrize("language", ["sv", "en"])
async def test_no_page_scrolls_sideways_for_a_logged_in_user(
    browser: Browser, system: System, world: World, language: str, who: str
) -> None:
    """As the supplier's user and as the buyer's, each on the pages that user has."""
    await asyncio.to_thread(SCREENS.mkdir, parents=True, exist_ok=True)
    page = await user_page(browser, system, world, language, buyer=who == "buyer")
    found = []
    for screen in PAGES:
        if getattr(screen, who):
            await page.set_viewport_size({"width": 1280, "height": 900})
            await open_screen(page, system, world, screen)
            found += await overflows(page, file_name(language, who, screen.path))
    assert not found, "\n".join(found)
