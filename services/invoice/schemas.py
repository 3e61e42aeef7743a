"""Request and response bodies of the invoice API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.invoice_response import RejectionCode, StatusKind
from shared.invoices import (
    Amount,
    Attachment,
    Currency,
    Invoice,
    Quantity,
    Rate,
    Totals,
    UnitPrice,
    VatCategory,
)
from shared.text import Lines, OneLine

Text = Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=200)]
Long = Annotated[Lines, StringConstraints(strip_whitespace=True, max_length=1000)]
Short = Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=40)]


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineForm(Form):
    article_id: Short = ""
    description: Text = ""
    quantity: Quantity | None = None
    unit: Short = "H87"
    unit_price: UnitPrice | None = None
    vat_rate: Rate = Decimal(25)
    vat_category: VatCategory = "S"


class ChargeForm(Form):
    description: Text = ""
    amount: Amount | None = None
    vat_rate: Rate = Decimal(25)
    vat_category: VatCategory = "S"


class InvoiceForm(Form):
    """A draft as the supplier keys it: anything may still be missing; types must be right."""

    buyer_id: uuid.UUID | None = None
    bank_account_id: uuid.UUID | None = None
    number: Short = ""
    issue_date: date | None = None
    due_date: date | None = None
    delivery_date: date | None = None
    currency: Currency = "SEK"
    buyer_order_number: Short = ""
    payment_reference: Short = ""
    buyer_reference: Short = ""
    contact_person: Text = ""
    lines: Annotated[list[LineForm], Field(max_length=500)] = []
    charges: Annotated[list[ChargeForm], Field(max_length=20)] = []
    customs_clearance_number: Short = ""
    origin_country: Short = ""
    note: Long = ""


class TemplateForm(Form):
    """An invoice saved as a template for its customer, under a name of the supplier's choosing."""

    invoice_id: uuid.UUID
    name: Text = ""


class InvoiceTemplate(BaseModel):
    """A template as its list shows it: for which customer, and the payment term in days that an
    invoice started from it gets (its due date that many days after today)."""

    id: uuid.UUID
    buyer_id: uuid.UUID
    buyer_name: str
    name: str
    payment_days: int
    created_at: datetime
    updated_at: datetime


class InvoiceTemplateDetail(InvoiceTemplate):
    """A template with what it fills in: the form without number, dates and attachments."""

    form: InvoiceForm


class InvoiceTemplates(BaseModel):
    templates: list[InvoiceTemplate]


class InvoiceSummary(BaseModel):
    """An invoice as the supplier's list shows it. `status` is how delivery went; `buyer_status`
    the newest status the buyer gave it (null until one), with when and, for a rejection, why."""

    id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    status: Literal["draft", "sent", "delivered", "failed"]
    buyer_name: str
    payable: Decimal
    currency: str
    created_at: datetime
    sent_at: datetime | None
    buyer_status: StatusKind | None
    buyer_status_reason: str | None
    buyer_status_reason_code: RejectionCode | None
    buyer_status_at: datetime | None
    # Who made the draft and who sent it, by name; none for invoices from before names were kept.
    created_by_name: str | None = None
    sent_by_name: str | None = None


class InvoiceDetail(InvoiceSummary):
    form: InvoiceForm
    document: dict[str, Any] | None
    totals: Totals
    status_reason: str | None
    attachments: list[Attachment]
    credited_invoice_id: uuid.UUID | None


class InvoiceIds(BaseModel):
    ids: list[uuid.UUID]


class InvoicePage(BaseModel):
    invoices: list[InvoiceSummary]
    total: int
    page: int
    pages: int


class ReceivedInvoice(BaseModel):
    """An invoice sent to the buyer, as the buyer API lists it; the whole of it is at
    `/v1/buyer/invoices/{id}`."""

    id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    status: Literal["sent", "delivered", "failed"]
    payable: Decimal
    currency: str
    sent_at: datetime
    seller: str | None


class ReceivedStream(BaseModel):
    """Invoices in the order they arrived, after the position `after` names (or from `since`).

    `next` is always there: asked for with `after=<next>`, now or later, it answers with what
    arrived since, and nothing twice. `has_more` says whether more had arrived already.
    """

    invoices: list[ReceivedInvoice]
    next: str
    has_more: bool


class ReceivedPage(BaseModel):
    """A page of the buyer's invoices, newest first (deprecated: a page shifts as invoices
    arrive, so one may be listed twice and another never)."""

    invoices: list[ReceivedInvoice]
    total: int
    page: int


class ReceivedRow(ReceivedInvoice):
    """A received invoice as the buyer's page lists it, with the status the buyer gave it."""

    buyer_status: StatusKind | None


class ReceivedSearch(BaseModel):
    """A page of what the buyer received, newest first, as searched and filtered."""

    invoices: list[ReceivedRow]
    total: int
    page: int
    page_size: int


class KeyForm(Form):
    name: Text = ""


class BuyerKeyInfo(BaseModel):
    """A buyer's API key as its page shows it: never the key itself, which is shown once."""

    id: uuid.UUID
    prefix: str | None
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class StatusChange(Form):
    """The status a buyer gives an invoice it received. Only a rejection has a reason: the buyer's
    own words, required, and an OpenPeppol status reason code, OTH ("other") unless given."""

    status: StatusKind
    reason: Long | None = None
    reason_code: RejectionCode | None = None


class InvoiceResponse(BaseModel):
    """One status the buyer gave the invoice, and where its Invoice Response (Peppol BIS Invoice
    Response 3, T111) is: `url`, relative to this API's origin."""

    id: uuid.UUID
    status: StatusKind
    reason: str | None
    reason_code: RejectionCode | None
    set_at: datetime
    url: str


class InvoiceResponses(BaseModel):
    """Every status the buyer gave the invoice, the newest last."""

    responses: list[InvoiceResponse]


class WebhookForm(Form):
    """A URL the buyer's systems want told of its invoices' events, and what it is, in its words."""

    # Its length is judged with the other rules (`webhook_targets.url_problems`), in words.
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    description: Text = ""


class Webhook(BaseModel):
    """A registered endpoint, without its signing secret."""

    id: uuid.UUID
    url: str
    description: str
    created_at: datetime


class RegisteredWebhook(Webhook):
    """An endpoint just registered, with the secret that signs its deliveries (`whsec_` and 32
    random bytes in base64), shown this once."""

    secret: str


class Webhooks(BaseModel):
    webhooks: list[Webhook]


class WebhookDelivery(BaseModel):
    """One event delivered, or being delivered, to an endpoint: `message_id` is its
    `webhook-id`, the same on every attempt; `state` pending, delivered or failed (given up)."""

    message_id: str
    event_type: str
    created_at: datetime
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    last_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime | None


class WebhookDeliveries(BaseModel):
    """The endpoint's deliveries, the newest first."""

    deliveries: list[WebhookDelivery]


class ReceivedDetail(BaseModel):
    """One received invoice for the buyer's page: the document, how delivery went, and every
    status the buyer gave it."""

    id: uuid.UUID
    status: Literal["sent", "delivered", "failed"]
    sent_at: datetime
    buyer_status: StatusKind | None
    buyer_status_reason: str | None
    buyer_status_at: datetime | None
    document: Invoice
    totals: Totals
    responses: list[InvoiceResponse]
