"""Event handlers: each renders its e-mail and stores it for the mailer, never touching SMTP.

Each runs inside the consumer's transaction, so the mail row commits with the event's
`processed_events` row or not at all. An invoice's mails are composed before that transaction
(`compose_invoice_mails`): fetching its files from the renderer and the invoice service may take
long, and must not hold a database connection meanwhile.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.notifier import delivery
from services.notifier.db import Attachment, NewMail, insert_mail, insert_peppol_delivery
from services.notifier.documents import DocumentMismatch, DocumentSource, InvoiceFiles
from services.notifier.links import Links
from services.notifier.peppol import DOCUMENT_TYPES
from services.notifier.rendering import Kind, RenderedMail, Renderer
from services.notifier.wording import between
from shared.db import Connection
from shared.events import Envelope
from shared.events.company import BankAccountChanged, MemberInvited, SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
    UserDeleted,
)
from shared.events.invoice import (
    InvoiceDeliveryFailed,
    InvoiceRendered,
    InvoiceRenderedV1,
    InvoiceStatusChanged,
)
from shared.i18n import Language
from shared.invoice_response import REJECTION_REASONS, StatusKind
from shared.outbox import add_event
from shared.subscriptions import subscriber

log = logging.getLogger(__name__)

MESSAGE_ID_DOMAIN = "leverantorsportalen"
PRODUCER = "notifier"
REASON_LIMIT = 500
# The buyer's language is not known; Swedish buyers read Swedish, and the mail adds an English line.
BUYER_LANGUAGE: Language = "sv"
# Nor is the language of each of a company's users: the same Swedish mail, with an English line.
COMPANY_LANGUAGE: Language = "sv"


def message_id(event_id: uuid.UUID, kind: str) -> str:
    """The same for every delivery of one event, so a receiver can drop a mail sent twice."""
    return f"<{event_id}.{kind}@{MESSAGE_ID_DOMAIN}>"


@subscriber("notifier.mail")
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


@subscriber("notifier.mail")
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


@subscriber("notifier.mail")
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


@subscriber("notifier.mail")
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


@subscriber("notifier.mail")
async def on_user_deleted(
    conn: Connection,
    envelope: Envelope,
    event: UserDeleted,
    *,
    renderer: Renderer,
) -> None:
    """The last mail to the address: the account is gone, and what the company keeps, and why."""
    mail = renderer.render(
        "account_deleted",
        event.language,
        first_name=event.first_name,
        deleted_at=event.deleted_at,
    )
    await _queue(conn, envelope, "account_deleted", event.email, mail)


@subscriber("notifier.mail")
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


@subscriber("notifier.mail")
async def on_member_invited(
    conn: Connection,
    envelope: Envelope,
    event: MemberInvited,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    mail = renderer.render(
        "member_invitation",
        event.language,
        first_name=event.first_name,
        # None when the operator invited a buyer's first users.
        inviter=event.invited_by_name,
        company_name=event.company_name,
        company_kind=event.company_kind,
        role=event.role,
        register_url=links.registration(event.invitation_token),
        expires_at=event.expires_at,
    )
    await _queue(conn, envelope, "member_invitation", event.email, mail)


@subscriber("notifier.mail")
async def on_bank_account_changed(
    conn: Connection,
    envelope: Envelope,
    event: BankAccountChanged,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    """Tell every user of the company, so a change nobody of them made is noticed at once."""
    mail = renderer.render(
        "bank_account_changed",
        COMPANY_LANGUAGE,
        action=event.action,
        company_name=event.company_name,
        before=event.before,
        after=event.after,
        changed_by_name=event.changed_by_name,
        changed_by_email=event.changed_by_email,
        changed_at=event.changed_at,
        audit_log_url=links.audit_log(),
    )
    for index, recipient in enumerate(event.recipients):
        await _queue(conn, envelope, "bank_account_changed", recipient, mail, part=index)


@dataclass(frozen=True)
class InvoiceMails:
    """An invoice's two mails, composed: to its buyer with its files, and to its sender."""

    to_buyer: RenderedMail
    attachments: tuple[Attachment, ...]
    confirmation: RenderedMail
    # The Peppol BIS 3 UBL, for a buyer that receives invoices through Peppol.
    xml: bytes


async def compose_invoice_mails(
    envelope: Envelope,
    event: InvoiceRendered,
    *,
    renderer: Renderer,
    links: Links,
    documents: DocumentSource,
) -> InvoiceMails | DocumentMismatch:
    """Both mails of the invoice, with its files; or why its files are not the ones announced.

    Files that cannot be fetched now raise, for the consumer to retry until they can.
    """
    try:
        files = await documents.fetch(event)
    except DocumentMismatch as error:
        return error
    attachments = invoice_attachments(event, files)
    values = {
        "credit_note": event.kind == "credit_note",
        "number": event.number,
        "seller_name": event.seller_name,
        "buyer_name": event.buyer_name,
        "payable": event.payable,
        "currency": event.currency,
        "due_date": event.due_date,
        "files": [a.filename for a in attachments],
    }
    to_buyer = renderer.render(
        "invoice_to_buyer", BUYER_LANGUAGE, **values, supplier_files=bool(files.attachments)
    )
    confirmation = renderer.render(
        "invoice_confirmation",
        event.language,
        **values,
        buyer_email=event.buyer_email,
        invoice_url=links.invoice(event.invoice_id),
    )
    return InvoiceMails(
        to_buyer=to_buyer, attachments=attachments, confirmation=confirmation, xml=files.xml
    )


@subscriber("notifier.mail", prepare=compose_invoice_mails)
async def on_invoice_rendered(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceRendered,
    *,
    prepared: InvoiceMails | DocumentMismatch,
    clock: Callable[[], datetime],
) -> None:
    """Store the invoice's mail to its buyer, with its files, and the confirmation to its sender.

    Files that are not the ones announced fail the delivery for good, and neither mail is sent.
    """
    if isinstance(prepared, DocumentMismatch):
        log.error("invoice %s cannot be delivered: %s", event.invoice_id, prepared.reason)
        await add_event(
            conn,
            InvoiceDeliveryFailed(
                invoice_id=event.invoice_id,
                reason=prepared.reason[:REASON_LIMIT],
                failed_at=clock(),
            ),
            producer=PRODUCER,
        )
        return
    await delivery.expect(conn, envelope.event_id, event.invoice_id, event.channels, clock())
    if "mail" in event.channels:
        await _queue(
            conn,
            envelope,
            "invoice_to_buyer",
            event.buyer_email,
            prepared.to_buyer,
            attachments=prepared.attachments,
            delivers_invoice_id=event.invoice_id,
        )
    if "peppol" in event.channels:
        await _hand_to_peppol(conn, envelope, event, prepared.xml, clock())
    await _queue(conn, envelope, "invoice_confirmation", event.sender_email, prepared.confirmation)


async def compose_invoice_mails_v1(
    envelope: Envelope,
    event: InvoiceRenderedV1,
    *,
    renderer: Renderer,
    links: Links,
    documents: DocumentSource,
) -> InvoiceMails | DocumentMismatch:
    """The mails of an invoice rendered as version 1 (before channels): for the buyer's mail."""
    return await compose_invoice_mails(
        envelope, event.upcast(), renderer=renderer, links=links, documents=documents
    )


@subscriber("notifier.mail", prepare=compose_invoice_mails_v1)
async def on_invoice_rendered_v1(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceRenderedV1,
    *,
    prepared: InvoiceMails | DocumentMismatch,
    clock: Callable[[], datetime],
) -> None:
    """An invoice rendered as version 1, delivered as the newest version says it."""
    await on_invoice_rendered(conn, envelope, event.upcast(), prepared=prepared, clock=clock)


async def _hand_to_peppol(
    conn: Connection, envelope: Envelope, event: InvoiceRendered, xml: bytes, now: datetime
) -> None:
    """Store the UBL for the Peppol sender (`services.notifier.peppol`); an invoice the access
    point accepted before counts as delivered through Peppol again, without being sent again."""
    assert event.peppol_sender and event.peppol_receiver, "the renderer names both for Peppol"
    status = await insert_peppol_delivery(
        conn,
        invoice_id=event.invoice_id,
        event_id=envelope.event_id,
        sender=event.peppol_sender,
        receiver=event.peppol_receiver,
        document_type=DOCUMENT_TYPES[event.kind],
        xml=xml,
        correlation_id=envelope.correlation_id,
    )
    if status == "delivered":
        await delivery.delivered(
            conn, envelope.event_id, event.invoice_id, "peppol", event.peppol_receiver, now
        )


# The buyer's statuses its supplier is mailed about: a rejection to act on, a payment to book.
# Received and approved ask nothing of the supplier; the invoice's page shows them.
STATUS_MAILS: dict[StatusKind, Kind] = {"rejected": "invoice_rejected", "paid": "invoice_paid"}


@subscriber("notifier.mail")
async def on_invoice_status_changed(
    conn: Connection,
    envelope: Envelope,
    event: InvoiceStatusChanged,
    *,
    renderer: Renderer,
    links: Links,
) -> None:
    """Tell the user who sent the invoice that its buyer rejected it, and why, or paid it."""
    kind = STATUS_MAILS.get(event.status)
    if kind is None:
        return
    if event.sender_email is None:
        log.warning(
            "invoice %s has no known sender to tell it was %s", event.invoice_id, event.status
        )
        return
    code = event.reason_code or "OTH"
    mail = renderer.render(
        kind,
        event.language,
        credit_note=event.kind == "credit_note",
        number=event.number,
        buyer_name=event.buyer_name,
        changed_at=event.changed_at,
        reason=event.reason,
        reason_label=REJECTION_REASONS[code][event.language],
        invoice_url=links.invoice(event.invoice_id),
    )
    await _queue(conn, envelope, kind, event.sender_email, mail)


def invoice_attachments(event: InvoiceRendered, files: InvoiceFiles) -> tuple[Attachment, ...]:
    """The PDF, the XML, then the supplier's files in the order the supplier attached them."""
    stem = f"{'kreditfaktura' if event.kind == 'credit_note' else 'faktura'}-{_safe(event.number)}"
    return (
        Attachment(filename=f"{stem}.pdf", content_type="application/pdf", content=files.pdf),
        Attachment(filename=f"{stem}.xml", content_type="application/xml", content=files.xml),
        *(
            Attachment(filename=f.filename, content_type=f.content_type, content=f.content)
            for f in files.attachments
        ),
    )


def _safe(number: str) -> str:
    """An invoice number fit for a file name: no path separators, quotes or control characters."""
    return re.sub(r"[^\w.-]+", "-", number).strip("-.") or "utan-nummer"


async def _queue(
    conn: Connection,
    envelope: Envelope,
    kind: Kind,
    recipient: str,
    mail: RenderedMail,
    *,
    attachments: tuple[Attachment, ...] = (),
    delivers_invoice_id: uuid.UUID | None = None,
    part: int | None = None,
) -> None:
    """Store one mail of the event; `part` tells apart the mails of one kind to many people."""
    stored_kind = kind if part is None else f"{kind}.{part}"
    await insert_mail(
        conn,
        NewMail(
            event_id=envelope.event_id,
            kind=stored_kind,
            recipient=recipient,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            message_id=message_id(envelope.event_id, stored_kind),
            attachments=attachments,
            delivers_invoice_id=delivers_invoice_id,
            correlation_id=envelope.correlation_id,
        ),
    )
