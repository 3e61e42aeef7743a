"""Events published by the invoice service and about invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import EmailStr

from shared.events.base import Event, event
from shared.i18n import Language
from shared.invoices import Attachment, Invoice, Totals


@event("invoice.sent", 1)
class InvoiceSent(Event):
    """A supplier sent an invoice or credit note; it never changes after this. The whole document."""

    invoice: Invoice
    totals: Totals
    sent_at: datetime
    sent_by: uuid.UUID
    sender_email: EmailStr
    language: Language


@event("invoice.rendered", 1)
class InvoiceRendered(Event):
    """The renderer made the buyer's PDF and Peppol BIS 3 XML; fetch them from the renderer."""

    invoice_id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    seller_name: str
    buyer_name: str
    buyer_email: EmailStr
    sender_email: EmailStr
    language: Language
    payable: Decimal
    currency: str
    due_date: date
    attachments: list[Attachment]
    pdf_sha256: str
    xml_sha256: str
    rendered_at: datetime


@event("invoice.rendering_failed", 1)
class InvoiceRenderingFailed(Event):
    invoice_id: uuid.UUID
    reason: str
    failed_at: datetime


@event("invoice.delivered", 1)
class InvoiceDelivered(Event):
    """The buyer's e-mail with the PDF, the XML and the attachments was accepted by the SMTP server."""

    invoice_id: uuid.UUID
    delivered_at: datetime
    recipient: str


@event("invoice.delivery_failed", 1)
class InvoiceDeliveryFailed(Event):
    invoice_id: uuid.UUID
    reason: str
    failed_at: datetime
