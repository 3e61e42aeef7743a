"""The notifier's composition root."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from aiohttp import web

from services.notifier import handlers
from services.notifier.documents import DocumentSource
from services.notifier.links import Links
from services.notifier.mailer import run_mailer
from services.notifier.peppol import run_peppol_sender
from services.notifier.rendering import Renderer
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.http import METRICS, base_app
from shared.openapi import add_openapi
from shared.service import FILES, POOL, background, consuming, database, file_store, messaging
from shared.settings import NotifierSettings
from shared.subscriptions import handlers_of

MIGRATIONS = Path(__file__).parent / "migrations"


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
            documents=DocumentSource(app[FILES]),
            clock=clock,
        )

    app.cleanup_ctx.append(database(settings, MIGRATIONS))
    app.cleanup_ctx.append(file_store(settings))
    # Before messaging: mails already stored go out while the broker is still being reached.
    app.cleanup_ctx.append(
        background("mailer", lambda app: run_mailer(app[POOL], settings, app[METRICS], clock=clock))
    )
    app.cleanup_ctx.append(
        background("peppol", lambda app: run_peppol_sender(app[POOL], settings, clock=clock))
    )
    app.cleanup_ctx.append(messaging(settings))
    # One event per transaction, eight at a time: an invoice waiting for its documents (the
    # file store away, say) must not hold back the other mails of a batch.
    app.cleanup_ctx.append(consuming("notifier.mail", mail_handlers, batch_size=1, concurrency=8))
    add_openapi(app, "Leverantörsportalen notifier")
    return app
