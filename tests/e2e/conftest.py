"""Playwright driving Debian's Chromium; never a browser of its own."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Browser, async_playwright

from tests.e2e.pages import World, make_world
from tests.system import System

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run scripts/setup")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture(autouse=True)
async def screenshot_on_failure(
    request: pytest.FixtureRequest, browser: Browser
) -> AsyncIterator[None]:
    yield
    if request.node.stash.get(FAILED, False):
        folder = Path(os.environ.get("PORTAL_TEST_ARTIFACTS", "/tmp/portal-test-artifacts"))
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        for i, context in enumerate(browser.contexts):
            for j, page in enumerate(context.pages):
                await page.screenshot(
                    path=folder / f"{request.node.name}-{i}-{j}.png", full_page=True
                )
    for context in browser.contexts:
        await context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep a screenshot of every open page when a browser test fails, to see what the user saw."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
async def world(system: System) -> AsyncIterator[World]:
    """One supplier with something on every page, shared by the tests that open every page."""
    async with aiohttp.ClientSession() as http:
        yield await make_world(system, http)
