"""The invoice service's composition root."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from services.invoice import handlers as on
from services.invoice.attachments import CHECKS, MAX_BYTES
from services.invoice.messages import MESSAGES
from services.invoice.renderer import RendererClient
from services.invoice.views import CLOCK, RENDERER, SESSIONS, SETTINGS, UPLOAD_SLOTS, routes
from shared.client import ServiceClient
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.events.company import (
    BuyerChanged,
    ConnectionEstablished,
    SupplierProfileChanged,
    TermsAccepted,
)
from shared.events.invoice import (
    InvoiceDelivered,
    InvoiceDeliveryFailed,
    InvoiceRendered,
    InvoiceRenderingFailed,
)
from shared.http import base_app
from shared.openapi import add_openapi
from shared.service import consuming, database, messaging
from shared.sessions import SessionVerifier
from shared.settings import InvoiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: InvoiceSettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    # Room for one attachment and its multipart framing; a larger body gets 413.
    app = base_app(MESSAGES, client_max_size=MAX_BYTES + 64 * 1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[UPLOAD_SLOTS] = asyncio.Semaphore(CHECKS)
    app.cleanup_ctx.extend(
        [
            database(settings, MIGRATIONS),
            messaging(settings),
            consuming("invoice.company", company_handlers),
            consuming("invoice.statuses", status_handlers),
            clients,
        ]
    )
    app.add_routes(routes)
    add_openapi(app, "Leverantörsportalen invoice")
    return app


def company_handlers(app: web.Application) -> dict[type[Event], Handler]:
    return {
        SupplierProfileChanged: on.on_supplier_profile_changed,
        BuyerChanged: on.on_buyer_changed,
        TermsAccepted: on.on_terms_accepted,
        ConnectionEstablished: on.on_connection_established,
    }


def status_handlers(app: web.Application) -> dict[type[Event], Handler]:
    return {
        InvoiceRendered: on.on_invoice_rendered,
        InvoiceRenderingFailed: on.on_invoice_rendering_failed,
        InvoiceDelivered: on.on_invoice_delivered,
        InvoiceDeliveryFailed: on.on_invoice_delivery_failed,
    }


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
