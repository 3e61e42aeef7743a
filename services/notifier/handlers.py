"""Event handlers: each renders its e-mail and stores it for the mailer, never touching SMTP.

Each runs inside the consumer's transaction, so the mail row commits with the event's
`processed_events` row or not at all.
"""

from __future__ import annotations

import uuid

from services.notifier.db import NewMail, insert_mail
from services.notifier.links import Links
from services.notifier.rendering import Kind, RenderedMail, Renderer
from services.notifier.wording import between
from shared.db import Connection
from shared.events import Envelope
from shared.events.company import SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
)

MESSAGE_ID_DOMAIN = "leverantorsportalen"


def message_id(event_id: uuid.UUID, kind: Kind) -> str:
    """The same for every delivery of one event, so a receiver can drop a mail sent twice."""
    return f"<{event_id}.{kind}@{MESSAGE_ID_DOMAIN}>"


async def on_email_confirmation_requested(
    conn: Connection,
    envelope: Envelope,
    event: EmailConfirmationRequested,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    mail = renderer.render(
        "email_confirmation",
        event.language,
        first_name=event.first_name,
        confirm_url=links.email_confirmation(event.link_token),
        code=event.code,
        link_valid_for=between(envelope.occurred_at, event.link_expires_at),
        code_valid_for=between(envelope.occurred_at, event.code_expires_at),
    )
    await _queue(conn, envelope, "email_confirmation", event.email, mail)


async def on_registration_attempted_for_existing_account(
    conn: Connection,
    envelope: Envelope,
    event: RegistrationAttemptedForExistingAccount,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    mail = renderer.render(
        "existing_account",
        event.language,
        first_name=event.first_name,
        login_url=links.login(),
    )
    await _queue(conn, envelope, "existing_account", event.email, mail)


async def on_password_reset_requested(
    conn: Connection,
    envelope: Envelope,
    event: PasswordResetRequested,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    mail = renderer.render(
        "password_reset",
        event.language,
        first_name=event.first_name,
        reset_url=links.password_reset(event.reset_token),
        valid_for=between(envelope.occurred_at, event.expires_at),
    )
    await _queue(conn, envelope, "password_reset", event.email, mail)


async def on_password_changed(
    conn: Connection,
    envelope: Envelope,
    event: PasswordChanged,
    *,
    renderer: Renderer,
) -> None:
    mail = renderer.render(
        "password_changed",
        event.language,
        first_name=event.first_name,
        changed_at=event.changed_at,
    )
    await _queue(conn, envelope, "password_changed", event.email, mail)


async def on_supplier_invited(
    conn: Connection,
    envelope: Envelope,
    event: SupplierInvited,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    mail = renderer.render(
        "supplier_invitation",
        event.language,
        first_name=event.first_name,
        buyer_name=event.buyer_name,
        register_url=links.registration(event.invitation_token),
        expires_at=event.expires_at,
    )
    await _queue(conn, envelope, "supplier_invitation", event.email, mail)


async def _queue(
    conn: Connection, envelope: Envelope, kind: Kind, recipient: str, mail: RenderedMail
) -> None:
    await insert_mail(
        conn,
        NewMail(
            event_id=envelope.event_id,
            kind=kind,
            recipient=recipient,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            message_id=message_id(envelope.event_id, kind),
        ),
    )
