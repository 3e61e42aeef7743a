"""The company service's composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from services.company import handlers
from services.company.messages import MESSAGES
from services.company.views import CLOCK, SESSIONS, SETTINGS, routes
from shared.client import ServiceClient
from shared.clock import utc_now
from shared.http import base_app
from shared.openapi import add_openapi
from shared.service import consuming, database, messaging
from shared.sessions import SessionVerifier
from shared.settings import CompanySettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"
TERMS_LIMIT = 10 * 1024 * 1024


def create_app(
    settings: CompanySettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    # Room for a buyer's terms-of-use PDF, base64-encoded, in the operator's request.
    app = base_app(MESSAGES, client_max_size=TERMS_LIMIT * 4 // 3 + 64 * 1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app.cleanup_ctx.extend(
        [
            database(settings, MIGRATIONS),
            messaging(settings),
            consuming("company.users", lambda app: handlers_of(handlers, "company.users")),
            sessions,
        ]
    )
    app.add_routes(routes)
    add_openapi(app, "Leverantörsportalen company")
    return app


async def sessions(app: web.Application) -> AsyncIterator[None]:
    timeout = aiohttp.ClientTimeout(total=10, connect=3)
    async with aiohttp.ClientSession() as http:
        identity = ServiceClient(http, app[SETTINGS].identity_url, timeout=timeout)
        app[SESSIONS] = SessionVerifier(identity)
        yield
