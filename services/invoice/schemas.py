"""Request and response bodies of the invoice API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.invoices import (
    Amount,
    Attachment,
    Currency,
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


class InvoiceSummary(BaseModel):
    id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    status: Literal["draft", "sent", "delivered", "failed"]
    buyer_name: str
    payable: Decimal
    currency: str
    created_at: datetime
    sent_at: datetime | None


class InvoiceDetail(InvoiceSummary):
    form: InvoiceForm
    document: dict[str, Any] | None
    totals: Totals
    status_reason: str | None
    attachments: list[Attachment]
    credited_invoice_id: uuid.UUID | None


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
