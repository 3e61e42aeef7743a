"""The web front's composition root: pages for the browser, calling the services' JSON APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import jinja2
from aiohttp import web

from services.web import (
    buyer_company_pages,
    buyer_pages,
    company_pages,
    export_pages,
    identity_pages,
    invoice_pages,
    member_pages,
    second_factor_pages,
)
from services.web.headers import security_headers_middleware
from services.web.host_cookies import host_cookies_middleware
from services.web.pages import (
    COMPANY,
    IDENTITY,
    INVOICE,
    SETTINGS,
    TEMPLATES,
    context_middleware,
    page_error_middleware,
)
from services.web.proxies import trusted_proxy_middleware
from shared.client import ServiceClient, ServiceUnavailable
from shared.errors import Unauthorized
from shared.http import (
    CATALOG,
    HEALTH_CHECKS,
    METRICS,
    add_probes,
    correlation_middleware,
    metrics,
    metrics_middleware,
    require_bearer,
)
from shared.i18n import COMMON
from shared.metrics import Metrics
from shared.settings import WebSettings

HERE = Path(__file__).parent


def create_app(settings: WebSettings) -> web.Application:
    app = web.Application(
        middlewares=[
            # Outermost: everything after sees the client's own address, scheme and cookies.
            trusted_proxy_middleware,
            host_cookies_middleware,
            correlation_middleware,
            security_headers_middleware,
            metrics_middleware,
            page_error_middleware,
            context_middleware,
        ],
        # Room for one invoice attachment (10 MB) and its form.
        client_max_size=11 * 1024 * 1024,
    )
    app[SETTINGS] = settings
    app[CATALOG] = COMMON
    app[METRICS] = Metrics()
    app[HEALTH_CHECKS] = []
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.cleanup_ctx.append(service_clients)
    app.cleanup_ctx.append(export_pages.export_slots)
    add_probes(app)
    app.router.add_get("/metrics", internal_metrics)
    app.router.add_static("/static", HERE / "static", append_version=False)
    app.add_routes(identity_pages.routes)
    app.add_routes(second_factor_pages.routes)
    app.add_routes(company_pages.routes)
    app.add_routes(invoice_pages.routes)
    app.add_routes(member_pages.routes)
    app.add_routes(export_pages.routes)
    app.add_routes(buyer_pages.routes)
    app.add_routes(buyer_company_pages.routes)
    return app


async def service_clients(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    timeout = aiohttp.ClientTimeout(total=30, connect=5)
    async with aiohttp.ClientSession() as http:
        app[IDENTITY] = ServiceClient(http, settings.identity_url, timeout=timeout)
        app[COMPANY] = ServiceClient(http, settings.company_url, timeout=timeout)
        # Room for an invoice's PDF and the supplier's attachments.
        app[INVOICE] = ServiceClient(
            http, settings.invoice_url, timeout=timeout, limit=64 * 1024 * 1024
        )

        async def identity_reachable() -> bool:
            try:
                await app[IDENTITY].call("GET", "/healthz")
            except ServiceUnavailable:
                return False
            return True

        app[HEALTH_CHECKS].append(identity_reachable)
        yield


async def internal_metrics(request: web.Request) -> web.StreamResponse:
    """The figures for a scraper that knows the internal secret; to the public, no such page."""
    try:
        require_bearer(request, request.app[SETTINGS].internal_secret)
    except Unauthorized:
        raise web.HTTPNotFound() from None
    return await metrics(request)
