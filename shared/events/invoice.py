"""Events published by the invoice service and about invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, EmailStr
from pydantic.json_schema import SkipJsonSchema

from shared.events.base import Event, event
from shared.events.company import Channel
from shared.i18n import Language
from shared.invoice_response import RejectionCode, StatusKind
from shared.invoices import Attachment, Invoice, Totals


@event("invoice.sent", 3)
class InvoiceSent(Event):
    """A supplier sent an invoice or credit note; it never changes after this. The whole document,
    with its delivery date when it has one, and how the buyer receives it: `channels`, and
    `buyer_peppol_id` (its participant id, which the e-invoice names it by) for Peppol."""

    invoice: Invoice
    totals: Totals
    sent_at: datetime
    sent_by: uuid.UUID
    sender_email: EmailStr
    language: Language
    channels: list[Channel]
    buyer_peppol_id: str | None


@event("invoice.sent", 2)
class InvoiceSentV2(Event):
    """A supplier sent an invoice or credit note; it never changes after this. The whole document,
    with its delivery date when it has one."""

    model_config = ConfigDict(title="InvoiceSent")

    invoice: Invoice
    totals: Totals
    sent_at: datetime
    sent_by: uuid.UUID
    sender_email: EmailStr
    language: Language

    def upcast(self) -> InvoiceSent:
        """The same fact as version 3 says it: for the buyer's mail, as every invoice was then."""
        return InvoiceSent.model_validate(
            self.model_dump() | {"channels": ["mail"], "buyer_peppol_id": None}
        )


# The document as version 1 carried it: without a delivery date. Named as the document was when
# version 1 was published, so that the published schema stays exactly as it was.
class _InvoiceOfVersion1(Invoice):
    __qualname__ = "Invoice"
    model_config = ConfigDict(title="Invoice")

    delivery_date: SkipJsonSchema[None] = None


@event("invoice.sent", 1)
class InvoiceSentV1(Event):
    """A supplier sent an invoice or credit note; it never changes after this. The whole document."""

    model_config = ConfigDict(title="InvoiceSent")

    invoice: _InvoiceOfVersion1
    totals: Totals
    sent_at: datetime
    sent_by: uuid.UUID
    sender_email: EmailStr
    language: Language

    def upcast(self) -> InvoiceSent:
        """The same fact as the newest version says it."""
        return InvoiceSentV2.model_validate(self.model_dump()).upcast()


@event("invoice.rendered", 2)
class InvoiceRendered(Event):
    """The renderer made the buyer's PDF and Peppol BIS 3 XML; read them from the file store by
    their hashes. `channels` say how the buyer receives them; for Peppol, `peppol_sender` and
    `peppol_receiver` are the participant ids of the seller and the buyer (`0007:5566778899`)."""

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
    channels: list[Channel]
    peppol_sender: str | None
    peppol_receiver: str | None


# The published description predates the file store: the documents are read there, by the
# hashes below (`shared.file_store`), not fetched from the renderer; the contract is unchanged.
@event("invoice.rendered", 1)
class InvoiceRenderedV1(Event):
    """The renderer made the buyer's PDF and Peppol BIS 3 XML; fetch them from the renderer."""

    model_config = ConfigDict(title="InvoiceRendered")

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

    def upcast(self) -> InvoiceRendered:
        """The same fact as version 2 says it: for the buyer's mail, as every invoice was then."""
        return InvoiceRendered.model_validate(
            self.model_dump()
            | {"channels": ["mail"], "peppol_sender": None, "peppol_receiver": None}
        )


@event("invoice.rendering_failed", 1)
class InvoiceRenderingFailed(Event):
    invoice_id: uuid.UUID
    reason: str
    failed_at: datetime


# The published description predates the channels, and the fields are unchanged: the invoice
# reached the buyer by every channel it receives invoices by (the SMTP server accepted its mail,
# its Peppol access point the XML; for a buyer on its API alone, its documents were made), and
# `recipient` names where: the address, the participant id, both (", "), or `api`.
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


@event("invoice.status_changed", 1)
class InvoiceStatusChanged(Event):
    """The buyer gave a sent invoice a status: received, approved, rejected (with its words and
    an OPStatusReason code) or paid. `response_id` names the Invoice Response (T111) that says
    the same, at `/v1/buyer/invoices/{invoice_id}/responses/{response_id}`. `sender_email` is the
    user who sent the invoice, in the `language` it was sent in, to be told; null for an invoice
    sent before the sender was kept."""

    invoice_id: uuid.UUID
    supplier_id: uuid.UUID
    buyer_id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    buyer_name: str
    status: StatusKind
    reason: str | None
    reason_code: RejectionCode | None
    changed_at: datetime
    response_id: uuid.UUID
    sender_email: EmailStr | None
    language: Language
