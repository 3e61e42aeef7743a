"""The notifier's composition root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from aiohttp import web

from services.notifier.handlers import (
    on_email_confirmation_requested,
    on_password_changed,
    on_password_reset_requested,
    on_registration_attempted_for_existing_account,
    on_supplier_invited,
)
from services.notifier.links import Links
from services.notifier.mailer import run_mailer
from services.notifier.rendering import Renderer
from shared.consumer import Handler
from shared.events import Event
from shared.events.company import SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
)
from shared.http import METRICS, base_app
from shared.service import POOL, background, consuming, database, messaging
from shared.settings import NotifierSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotifierSettings) -> web.Application:
    app = base_app({})
    renderer = Renderer(public_url=settings.public_url, support_email=settings.support_email)
    links = Links(settings.public_url)

    def handlers(_: web.Application) -> dict[type[Event], Handler]:
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
        }

    app.cleanup_ctx.append(database(settings, MIGRATIONS))
    # Before messaging: mails already stored go out while the broker is still being reached.
    app.cleanup_ctx.append(
        background("mailer", lambda app: run_mailer(app[POOL], settings, app[METRICS]))
    )
    app.cleanup_ctx.append(messaging(settings))
    app.cleanup_ctx.append(consuming("notifier.mail", handlers))
    return app
