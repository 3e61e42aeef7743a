"""The invoice as the services exchange it, and its sums by the EN 16931 rules.

Money is Decimal, never float. A line's net is quantity × unit price rounded to two decimals;
VAT is computed per VAT category and rate on the sum of its lines and charges, rounded half up to
two decimals (BR-CO-17); the totals are sums of those (BR-CO-10 … BR-CO-16).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
Amount = Annotated[Decimal, Field(max_digits=19, decimal_places=2)]
Quantity = Annotated[Decimal, Field(max_digits=19, decimal_places=4)]
UnitPrice = Annotated[Decimal, Field(max_digits=19, decimal_places=4, ge=0)]
Rate = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]

VatCategory = Literal["S", "Z", "E", "AE", "K", "G", "O"]
CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "USD", "GBP")
Currency = Literal["SEK", "EUR", "NOK", "DKK", "USD", "GBP"]
SWEDISH_VAT_RATES = (Decimal(25), Decimal(12), Decimal(6), Decimal(0))

# UN/ECE Recommendation 20 codes the form offers, with the names Swedish invoices use.
UNITS: dict[str, dict[str, str]] = {
    "H87": {"sv": "st", "en": "pcs"},
    "HUR": {"sv": "tim", "en": "h"},
    "DAY": {"sv": "dag", "en": "day"},
    "KGM": {"sv": "kg", "en": "kg"},
    "TNE": {"sv": "ton", "en": "t"},
    "MTR": {"sv": "m", "en": "m"},
    "KMT": {"sv": "km", "en": "km"},
    "MTK": {"sv": "m²", "en": "m²"},
    "MTQ": {"sv": "m³", "en": "m³"},
    "LTR": {"sv": "l", "en": "l"},
    "SET": {"sv": "sats", "en": "set"},
    "C62": {"sv": "enhet", "en": "unit"},
}

# Text that must accompany categories without VAT (BR-E-10, BR-AE-10, BR-Z/K/G/O as applicable).
EXEMPTION_TEXTS: dict[str, dict[str, str]] = {
    "AE": {"sv": "Omvänd betalningsskyldighet", "en": "Reverse charge"},
    "E": {"sv": "Undantagen från skatteplikt", "en": "Exempt from VAT"},
    "K": {"sv": "Unionsintern leverans", "en": "Intra-community supply"},
    "G": {"sv": "Export", "en": "Export outside the EU"},
    "O": {"sv": "Utanför tillämpningsområdet för moms", "en": "Not subject to VAT"},
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(Model):
    name: str
    organisation_number: str
    vat_number: str | None
    street: str
    postal_code: str
    city: str
    country: str
    phone: str | None = None
    email: str | None = None


class PaymentAccount(Model):
    kind: Literal["bankgiro", "plusgiro", "iban"]
    number: str
    bic: str | None
    bank_name: str


class Line(Model):
    article_id: str
    description: str
    quantity: Quantity
    unit: str
    unit_price: UnitPrice
    vat_rate: Rate
    vat_category: VatCategory

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


class Charge(Model):
    """An additional charge on the document level, e.g. freight (UNCL 7161 reason code FC)."""

    description: str
    reason_code: str = "FC"
    amount: Amount
    vat_rate: Rate
    vat_category: VatCategory


class Attachment(Model):
    id: uuid.UUID
    filename: str
    size: int
    sha256: str


class Invoice(Model):
    id: uuid.UUID
    kind: Literal["invoice", "credit_note"]
    number: str
    issue_date: date
    due_date: date
    currency: Currency
    supplier_id: uuid.UUID
    buyer_id: uuid.UUID
    seller: Party
    seller_f_skatt: bool
    buyer: Party
    buyer_order_number: str | None
    payment_reference: str | None
    buyer_reference: str | None
    contact_person: str | None
    payment_account: PaymentAccount | None
    lines: list[Line]
    charges: list[Charge]
    delivery_date: date | None = None
    customs_clearance_number: str | None = None
    origin_country: str | None = None
    note: str | None = None
    credited_invoice_number: str | None = None
    credited_invoice_date: date | None = None
    attachments: list[Attachment] = []


class VatBreakdown(Model):
    category: VatCategory
    rate: Decimal
    taxable: Decimal
    tax: Decimal


class Totals(Model):
    line_total: Decimal
    charge_total: Decimal
    tax_exclusive: Decimal
    tax_total: Decimal
    tax_inclusive: Decimal
    payable: Decimal
    breakdown: list[VatBreakdown]


def totals(lines: list[Line], charges: list[Charge]) -> Totals:
    """The document totals and the VAT breakdown, one row per (category, rate)."""
    groups: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        key = (line.vat_category, line.vat_rate)
        groups[key] = groups.get(key, Decimal(0)) + line.net
    for charge in charges:
        key = (charge.vat_category, charge.vat_rate)
        groups[key] = groups.get(key, Decimal(0)) + cents(charge.amount)
    breakdown = [
        VatBreakdown(
            category=category,
            rate=rate,
            taxable=cents(taxable),
            tax=cents(taxable * rate / 100) if category == "S" else Decimal("0.00"),
        )
        for (category, rate), taxable in sorted(groups.items(), key=lambda g: (g[0][0], -g[0][1]))
    ]
    line_total = cents(sum((line.net for line in lines), Decimal(0)))
    charge_total = cents(sum((cents(c.amount) for c in charges), Decimal(0)))
    tax_exclusive = line_total + charge_total
    tax_total = sum((b.tax for b in breakdown), Decimal("0.00"))
    return Totals(
        line_total=line_total,
        charge_total=charge_total,
        tax_exclusive=tax_exclusive,
        tax_total=tax_total,
        tax_inclusive=tax_exclusive + tax_total,
        payable=tax_exclusive + tax_total,
        breakdown=breakdown,
    )
