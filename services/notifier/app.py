"""The notifier's composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import aiohttp
from aiohttp import web

from services.notifier.documents import DocumentSource
from services.notifier.handlers import (
    on_bank_account_changed,
    on_email_confirmation_requested,
    on_invoice_rendered,
    on_password_changed,
    on_password_reset_requested,
    on_registration_attempted_for_existing_account,
    on_supplier_invited,
)
from services.notifier.links import Links
from services.notifier.mailer import run_mailer
from services.notifier.rendering import Renderer
from shared.client import ServiceClient
from shared.clock import utc_now
from shared.consumer import Handler
from shared.events import Event
from shared.events.company import BankAccountChanged, SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
)
from shared.events.invoice import InvoiceRendered
from shared.http import METRICS, base_app
from shared.openapi import add_openapi
from shared.service import POOL, background, consuming, database, messaging
from shared.settings import NotifierSettings

MIGRATIONS = Path(__file__).parent / "migrations"

DOCUMENTS = web.AppKey("documents", DocumentSource)


def create_app(
    settings: NotifierSettings, clock: Callable[[], datetime] = utc_now
) -> web.Application:
    app = base_app({})
    renderer = Renderer(public_url=settings.public_url, support_email=settings.support_email)
    links = Links(settings.public_url)

    def handlers(app: web.Application) -> dict[type[Event], Handler]:
        return {
            EmailConfirmationRequested: partial(
                on_email_confirmation_requested, renderer=renderer, links=links
            ),
            RegistrationAttemptedForExistingAccount: partial(
                on_registration_attempted_for_existing_account, renderer=renderer, links=links
            ),
            PasswordResetRequested: partial(
                on_password_reset_requested, renderer=renderer, links=links
            ),
            PasswordChanged: partial(on_password_changed, renderer=renderer),
            SupplierInvited: partial(on_supplier_invited, renderer=renderer, links=links),
            BankAccountChanged: partial(on_bank_account_changed, renderer=renderer, links=links),
            InvoiceRendered: partial(
                on_invoice_rendered,
                renderer=renderer,
                links=links,
                documents=app[DOCUMENTS],
                clock=clock,
            ),
        }

    async def documents(app: web.Application) -> AsyncIterator[None]:
        # Bounded: the handler waits on these inside its transaction, holding a connection.
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
    app.cleanup_ctx.append(consuming("notifier.mail", handlers, batch_size=1, concurrency=8))
    add_openapi(app, "Leverantörsportalen notifier")
    return app
