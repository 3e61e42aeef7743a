"""The notifier's composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from services.notifier import handlers
from services.notifier.documents import DocumentSource
from services.notifier.links import Links
from services.notifier.mailer import run_mailer
from services.notifier.rendering import Renderer
from shared.client import ServiceClient
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.http import METRICS, base_app
from shared.openapi import add_openapi
from shared.service import POOL, background, consuming, database, messaging
from shared.settings import NotifierSettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"

DOCUMENTS = web.AppKey("documents", DocumentSource)


def create_app(
    settings: NotifierSettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    app = base_app({})
    renderer = Renderer(public_url=settings.public_url, support_email=settings.support_email)
    links = Links(settings.public_url)

    def mail_handlers(app: web.Application) -> dict[type[Event], Handler]:
        return handlers_of(
            handlers,
            "notifier.mail",
            renderer=renderer,
            links=links,
            documents=app[DOCUMENTS],
            clock=clock,
        )

    async def documents(app: web.Application) -> AsyncIterator[None]:
        # Bounded: a consumer worker waits on these while it composes an invoice's mails.
        timeout = aiohttp.ClientTimeout(total=settings.fetch_timeout, connect=5)
        async with aiohttp.ClientSession() as http:
            app[DOCUMENTS] = DocumentSource(
                renderer=ServiceClient(
                    http, settings.renderer_url, secret=settings.internal_secret, timeout=timeout
                ),
                invoice_service=ServiceClient(
                    http, settings.invoice_url, secret=settings.internal_secret, timeout=timeout
                ),
            )
            yield

    app.cleanup_ctx.append(documents)
    app.cleanup_ctx.append(database(settings, MIGRATIONS))
    # Before messaging: mails already stored go out while the broker is still being reached.
    app.cleanup_ctx.append(
        background("mailer", lambda app: run_mailer(app[POOL], settings, app[METRICS], clock=clock))
    )
    app.cleanup_ctx.append(messaging(settings))
    # One event per transaction, eight at a time: an invoice waiting for its documents (the
    # renderer away, say) must not hold back the other mails of a batch.
    app.cleanup_ctx.append(consuming("notifier.mail", mail_handlers, batch_size=1, concurrency=8))
    add_openapi(app, "Leverantörsportalen notifier")
    return app
