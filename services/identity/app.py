"""The identity service's composition root."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web
from prometheus_client import Counter

from services.identity import db, handlers
from services.identity.messages import MESSAGES
from services.identity.passwords import Hashing
from services.identity.views import CLOCK, HASHING, SETTINGS, routes
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.http import METRICS, base_app
from shared.openapi import add_openapi
from shared.service import POOL, background, consuming, database, messaging
from shared.settings import IdentitySettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: IdentitySettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    app = base_app(MESSAGES, client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock
    hashes = Counter(
        "portal_password_hashes",
        "argon2 computations: passwords hashed and verified.",
        registry=app[METRICS].registry,
    )
    app[HASHING] = Hashing(settings.password_hashing_concurrency, hashes)
    app.cleanup_ctx.extend(
        [
            database(settings, MIGRATIONS),
            messaging(settings),
            consuming("identity.invitations", invitation_handlers),
            background("identity.housekeeping", housekeeping),
        ]
    )
    app.add_routes(routes)
    add_openapi(app, "Leverantörsportalen identity")
    return app


def invitation_handlers(app: web.Application) -> dict[type[Event], Handler]:
    return handlers_of(handlers, "identity.invitations", token_secret=app[SETTINGS].token_secret)


async def housekeeping(app: web.Application) -> None:
    """Drop spent captchas, old login failures and dead sessions, hourly."""
    while True:
        now = app[CLOCK]()
        async with app[POOL].acquire() as conn:
            await db.delete_expired(conn, now, now - timedelta(days=1))
        await asyncio.sleep(3600)
