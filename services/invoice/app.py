"""The invoice service's composition root."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from services.invoice import buyer_views, handlers, line_import, received, templates
from services.invoice.attachments import CHECKS, MAX_BYTES
from services.invoice.buyer_docs import add_buyer_docs
from services.invoice.file_store import move_backlog
from services.invoice.messages import MESSAGES
from services.invoice.renderer import RendererClient
from services.invoice.views import CLOCK, RENDERER, SESSIONS, SETTINGS, UPLOAD_SLOTS, routes
from services.invoice.webhook_sender import run_webhook_sender
from shared.client import ServiceClient
from shared.clock import utc_now
from shared.http import base_app
from shared.openapi import add_openapi
from shared.service import FILES, POOL, background, consuming, database, file_store, messaging
from shared.sessions import SessionVerifier
from shared.settings import InvoiceSettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: InvoiceSettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    # Room for one attachment and its multipart framing; a larger body gets 413.
    app = base_app(
        MESSAGES | received.MESSAGES | line_import.MESSAGES | templates.MESSAGES,
        client_max_size=MAX_BYTES + 64 * 1024,
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[UPLOAD_SLOTS] = asyncio.Semaphore(CHECKS)
    app.cleanup_ctx.extend(
        [
            database(settings, MIGRATIONS),
            file_store(settings),
            background("invoice.file_backlog", lambda app: move_backlog(app[POOL], app[FILES])),
            messaging(settings),
            background("invoice.webhooks", lambda app: run_webhook_sender(app[POOL], settings)),
            consuming("invoice.company", lambda app: handlers_of(handlers, "invoice.company")),
            consuming("invoice.statuses", lambda app: handlers_of(handlers, "invoice.statuses")),
            clients,
        ]
    )
    app.add_routes(routes)
    app.add_routes(buyer_views.routes)
    add_openapi(app, "Leverantörsportalen invoice")
    add_buyer_docs(app)
    return app


async def clients(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    timeout = aiohttp.ClientTimeout(total=30, connect=3)
    async with aiohttp.ClientSession() as http:
        identity = ServiceClient(http, settings.identity_url, timeout=timeout)
        app[SESSIONS] = SessionVerifier(identity)
        renderer = ServiceClient(
            http, settings.renderer_url, secret=settings.internal_secret, timeout=timeout
        )
        app[RENDERER] = RendererClient(renderer)
        yield
