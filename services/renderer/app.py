"""The renderer's composition root."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

from aiohttp import web

from services.renderer import handlers
from services.renderer.file_backlog import move_backlog
from services.renderer.messages import MESSAGES
from services.renderer.previews import PreviewCache
from services.renderer.views import CLOCK, PREVIEWS, RENDER_POOL, SETTINGS, routes
from services.renderer.workers import spawned_pool
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.http import base_app
from shared.openapi import add_openapi
from shared.service import FILES, POOL, background, consuming, database, file_store, messaging
from shared.settings import RendererSettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"
# A preview carries the whole draft as JSON (never its attachments): room for a long invoice.
PREVIEW_LIMIT = 4 * 1024 * 1024


def create_app(
    settings: RendererSettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    app = base_app(MESSAGES, client_max_size=PREVIEW_LIMIT)
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[PREVIEWS] = PreviewCache(settings.preview_cache_size)
    app.cleanup_ctx.extend(
        [
            render_pool,
            database(settings, MIGRATIONS),
            file_store(settings),
            background("renderer.file_backlog", lambda app: move_backlog(app[POOL], app[FILES])),
            messaging(settings),
            # One invoice at a time per consumer worker, two per worker process: a batch would
            # render its invoices one after the other and hold every one back until the last.
            consuming(
                "renderer.invoices",
                invoice_handlers,
                batch_size=1,
                concurrency=2 * settings.render_workers,
            ),
        ]
    )
    app.add_routes(routes)
    add_openapi(app, "Leverantörsportalen renderer")
    return app


def invoice_handlers(app: web.Application) -> dict[type[Event], Handler]:
    return handlers_of(
        handlers,
        "renderer.invoices",
        database=app[POOL],
        pool=app[RENDER_POOL],
        files=app[FILES],
        clock=app[CLOCK],
    )


async def render_pool(app: web.Application) -> AsyncIterator[None]:
    pool = spawned_pool(app[SETTINGS].render_workers)
    app[RENDER_POOL] = pool
    try:
        yield
    finally:
        # Waits for documents being rendered; in a thread, so the loop can finish other work.
        await asyncio.to_thread(pool.shutdown)
