"""Every answer of the web front carries the browser's protections: a content security policy
that allows nothing but this site and no framing, no MIME sniffing, no address in the Referer to
another site, HSTS over HTTPS, and no copy of a page kept in any cache. `/metrics` is for the
scraper that knows the internal secret, not for the public port."""

from __future__ import annotations

import uuid

import aiohttp

from services.web.app import create_app as create_web
from shared.settings import DEVELOPMENT_SECRET, WebSettings
from tests.harness import serving
from tests.invoice.conftest import PASSWORD
from tests.security.browser import Page, browsing, source_address
from tests.security.conftest import own_ids
from tests.security.routes import web_routes
from tests.security.test_isolation import Tenant
from tests.system import System

POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
EVERY_ANSWER = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "Strict-Transport-Security"


def problems_of(what: str, page: Page, *, cached: bool = False) -> list[str]:
    problems = [
        f"{what}: {name} is {page.headers.get(name)!r}"
        for name, value in EVERY_ANSWER.items()
        if page.headers.get(name) != value
    ]
    if not cached and page.headers.get("Cache-Control") != "no-store":
        problems.append(f"{what}: Cache-Control is {page.headers.get('Cache-Control')!r}")
    if HSTS in page.headers:
        problems.append(f"{what}: {HSTS} over plain HTTP")
    return problems


async def test_every_page_carries_the_protections(tenant: Tenant) -> None:
    routes = [r for r in web_routes() if r.method in ("GET", "POST")]
    gets = [r for r in routes if r.method == "GET" and r.canonical != "/metrics"]
    problems: list[str] = []
    async with browsing(tenant.system, source=source_address()) as stranger:
        for route in routes:
            path = route.path(own_ids(route, tenant))
            # A stranger's GET is a page or a way to the login; its POST lacks the token: 403.
            page = await stranger.request(route.method, path, allow_redirects=False)
            problems += problems_of(f"anonymous {route.method} {path}", page)
    async with browsing(tenant.system, source=source_address()) as browser:
        login = await browser.log_in(tenant.supplier.email, PASSWORD)
        assert login.status == 200 and "/login" not in login.url
        for route in gets:
            path = route.path(own_ids(route, tenant))
            page = await browser.open(path, allow_redirects=False)
            assert page.status < 500, (path, page.status, page.text[:300])
            problems += problems_of(f"GET {path}", page)
        for what, page in (
            ("a login", await browser.log_in(tenant.supplier.email, PASSWORD)),
            ("a choice of language", await browser.post("/language", {"language": "sv"})),
            ("a page not found", await browser.open(f"/invoices/{uuid.uuid4()}")),
            ("a refused post", await browser.request("POST", "/company", data={})),
            ("the health check", await browser.open("/healthz")),
        ):
            problems += problems_of(what, page)
        static = await browser.open("/static/invoice-form.js")
        problems += problems_of("a static file", static, cached=True)
    assert not problems, "\n".join(problems)


async def test_hsts_is_sent_when_the_site_is_served_over_https(system: System) -> None:
    secure_settings = WebSettings(
        environment="production",
        csrf_secret=uuid.uuid4().hex * 2,
        internal_secret=uuid.uuid4().hex * 2,
        identity_url=system.identity_url,
        company_url=system.company_url,
        invoice_url=system.invoice_url,
    )
    async with serving(create_web(secure_settings)) as url, aiohttp.ClientSession() as http:
        for path in ("/login", "/static/style.css", "/no/such/page"):
            async with http.get(url + path) as r:
                assert r.headers.get(HSTS) == "max-age=31536000", path


async def test_metrics_are_only_for_the_internal_secret(system: System) -> None:
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
            async with http.get(system.web_url + "/metrics", headers=headers) as r:
                text = await r.text()
            assert r.status == 404 and "# HELP" not in text, (headers, r.status)
            assert "Sidan finns inte" in text
        bearer = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
        async with http.get(system.web_url + "/metrics", headers=bearer) as r:
            assert r.status == 200 and "portal_http_request_seconds" in await r.text()
