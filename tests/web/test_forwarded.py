"""X-Forwarded-For and X-Forwarded-Proto are believed from the configured proxies alone: the
address a login is throttled and logged under is the client's, whatever headers it sends."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from services.web.app import create_app as create_web
from services.web.pages import SETTINGS
from services.web.proxies import client_address, trusted_proxy_middleware
from shared.settings import WebSettings
from tests.harness import serving
from tests.security.browser import csrf_of

CLIENT = "203.0.113.7"


@asynccontextmanager
async def web_front(trusted_proxies: list[str]) -> AsyncIterator[tuple[str, list[Any]]]:
    """The real web front in front of a stand-in identity service that records each login
    attempt it is asked to check."""
    attempts: list[Any] = []

    async def sessions(request: web.Request) -> web.Response:
        attempts.append(await request.json())
        raise web.HTTPServiceUnavailable

    identity = web.Application()
    identity.router.add_post("/v1/sessions", sessions)
    async with serving(identity) as identity_url:
        settings = WebSettings(
            environment="development",
            identity_url=identity_url,
            trusted_proxies=trusted_proxies,
        )
        async with serving(create_web(settings)) as web_url:
            yield web_url, attempts


async def log_in_claiming(web_url: str, forwarded_for: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(web_url + "/login") as response:
            token = csrf_of(await response.text())
        await http.post(
            web_url + "/login",
            data={"csrf_token": token, "email": "anna@example.se", "password": "x"},
            headers={"X-Forwarded-For": forwarded_for},
        )


async def test_a_request_from_an_untrusted_peer_keeps_its_own_address() -> None:
    async with web_front(["10.0.0.0/8"]) as (web_url, attempts):
        await log_in_claiming(web_url, CLIENT)
    assert [a["client_ip"] for a in attempts] == ["127.0.0.1"]


async def test_a_request_through_a_trusted_proxy_is_the_clients() -> None:
    async with web_front(["127.0.0.1"]) as (web_url, attempts):
        # What the client claimed, then what our proxy saw.
        await log_in_claiming(web_url, f"198.51.100.1, {CLIENT}")
    assert [a["client_ip"] for a in attempts] == [CLIENT]


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ([], "127.0.0.1"),
        ([CLIENT], CLIENT),
        ([f"198.51.100.1, {CLIENT}, 10.0.0.5"], CLIENT),  # through two proxies of ours
        ([f"198.51.100.1, {CLIENT}", "10.0.0.5"], CLIENT),  # one header per proxy
        (["not-an-address"], "127.0.0.1"),
        ([f"{CLIENT}, garbage"], "127.0.0.1"),
    ],
)
def test_the_client_is_the_nearest_address_that_is_not_a_proxy(
    forwarded_for: list[str], client: str
) -> None:
    proxies = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]
    assert client_address("127.0.0.1", forwarded_for, proxies) == client


async def scheme_seen(trusted_proxies: list[str], headers: dict[str, str]) -> str:
    async def scheme(request: web.Request) -> web.Response:
        return web.Response(text=request.scheme)

    app = web.Application(middlewares=[trusted_proxy_middleware])
    app[SETTINGS] = WebSettings(
        environment="development",
        trusted_proxies=trusted_proxies,
    )
    app.router.add_get("/", scheme)
    async with (
        serving(app) as url,
        aiohttp.ClientSession() as http,
        http.get(url, headers=headers) as response,
    ):
        return await response.text()


async def test_the_scheme_is_the_trusted_proxys() -> None:
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT}
    assert await scheme_seen(["127.0.0.1"], https) == "https"
    assert await scheme_seen([], https) == "http"
