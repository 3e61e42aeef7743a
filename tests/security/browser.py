"""A browser without JavaScript for the security tests: its own cookies, its own CSRF token, and
optionally its own source address (any 127.x.y.z reaches the loopback), so the per-address login
throttle of one test never locks out another."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.system import System

# What a stack trace or an internal detail looks like in a page.
TRACE_SIGNS = (
    "Traceback",
    'File "/',
    "site-packages",
    "services/",
    "shared/",
    "aiohttp.",
    "asyncpg",
    "Exception",
    "Error:",
)


def source_address() -> str:
    """A loopback address of the caller's own, so its failed logins count for nobody else."""
    n = uuid.uuid4().int
    return f"127.{n % 200 + 20}.{n // 200 % 250}.{n // 50_000 % 250 + 2}"


@dataclass
class Page:
    status: int
    text: str
    url: str
    headers: Any


@dataclass
class Browser:
    url: str
    http: aiohttp.ClientSession
    csrf: str = ""

    async def open(self, path: str, **kwargs: Any) -> Page:
        return await self.request("GET", path, **kwargs)

    async def request(self, method: str, path: str, **kwargs: Any) -> Page:
        async with self.http.request(method, self.url + path, **kwargs) as r:
            text = (await r.read()).decode("utf-8", "replace")
            return Page(r.status, text, str(r.url), r.headers)

    async def post(self, path: str, form: dict[str, Any] | None = None, **kwargs: Any) -> Page:
        """A form post with this browser's CSRF token, as the page would send it."""
        return await self.request(
            "POST", path, data={"csrf_token": self.csrf, **(form or {})}, **kwargs
        )

    async def log_in(self, email: str, password: str) -> Page:
        return await self.post("/login", {"email": email, "password": password})


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


@asynccontextmanager
async def browsing(
    system: System, *, source: str | None = None, url: str | None = None
) -> AsyncIterator[Browser]:
    """A fresh browser on the login page, its CSRF cookie set."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0) if source else None)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
        browser = Browser(url or system.web_url, http)
        browser.csrf = csrf_of((await browser.open("/login")).text)
        yield browser


def assert_no_trace(page: Page, context: str = "") -> None:
    shown = [sign for sign in TRACE_SIGNS if sign in page.text]
    assert not shown, f"{context}: the page shows {shown}:\n{page.text[:2000]}"
