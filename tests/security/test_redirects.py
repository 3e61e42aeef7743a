"""Open redirects: wherever the web front goes back to `next`, it stays on this site, whatever the
value and its encoding; a page that asks to log in comes back to the whole address it was."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import aiohttp
import pytest

from services.web.security import safe_next
from tests.invoice.conftest import PASSWORD, connected_supplier
from tests.security.browser import Browser, browsing, source_address
from tests.system import System

HOME = "/connections"

# Values a browser would read as another site, or that some layer on the way (the query's
# decoding, yarl, the browser stripping tabs and newlines, reading `\` as `/`) turns into one.
HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/\n/evil.example",
    "/\x00/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5c%5cevil.example",
    "/%255C%255Cevil.example",
    "/%252F%252Fevil.example",
    "%2F%2Fevil.example",
    "/%2e%2e//evil.example",
    "/.//evil.example",
    "/a/..//evil.example",
    "/\u3002/evil.example",
    "/\uff0f/evil.example",
]
LOCAL_NEXT = ["/invoices", "/invoices?q=Str%C3%B6m&status=sent", "/profile#addresses", "/account"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_hostile_next_is_replaced_by_the_default(target: str) -> None:
    assert safe_next(target, HOME) == HOME


@pytest.mark.parametrize("target", LOCAL_NEXT)
def test_a_path_of_this_site_is_kept(target: str) -> None:
    assert safe_next(target, HOME) == target


@pytest.fixture(scope="module")
async def email(system: System) -> AsyncIterator[str]:
    async with aiohttp.ClientSession() as http:
        supplier = await connected_supplier(system, http)
        yield supplier.email


def hidden_next(page: str) -> str:
    """The login form's own `next`, after the language menu's."""
    found = re.findall(r'name="next" value="([^"]*)"', page)
    assert len(found) == 2, page[:500]
    return html.unescape(found[-1])


async def location_after_login(browser: Browser, email: str, next_value: str) -> str:
    answer = await browser.post(
        "/login", {"email": email, "password": PASSWORD, "next": next_value}, allow_redirects=False
    )
    assert answer.status == 303, (answer.status, answer.text[:500])
    return str(answer.headers["Location"])


async def test_the_login_page_goes_back_to_no_other_site(system: System, email: str) -> None:
    """The link a phisher sends, `/login?next=…`, encoded every way; then the user logs in."""
    links = ["/login?next=/%09/evil.example", "/login?next=/%0D%0A/evil.example"]
    links += ["/login?" + urlencode({"next": hostile}) for hostile in HOSTILE_NEXT]
    problems = []
    for link in links:
        async with browsing(system, source=source_address()) as browser:
            page = await browser.open(link)
            location = await location_after_login(browser, email, hidden_next(page.text))
        if location != HOME:
            problems.append(f"{link}: Location {location!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
async def test_a_login_post_goes_back_to_no_other_site(
    system: System, email: str, hostile: str
) -> None:
    async with browsing(system, source=source_address()) as browser:
        assert await location_after_login(browser, email, hostile) == HOME


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
async def test_choosing_a_language_goes_back_to_no_other_site(system: System, hostile: str) -> None:
    async with browsing(system) as browser:
        answer = await browser.post(
            "/language", {"language": "en", "next": hostile}, allow_redirects=False
        )
    assert answer.status == 303 and answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/invoices", "/invoices?q=Str%C3%B6m&status=sent", "/account"])
async def test_logging_in_goes_back_to_the_whole_address_asked_for(
    system: System, email: str, target: str
) -> None:
    async with browsing(system, source=source_address()) as browser:
        asked = await browser.open(target, allow_redirects=False)
        assert asked.status == 303
        login = await browser.open(str(asked.headers["Location"]))
        assert await location_after_login(browser, email, hidden_next(login.text)) == target
