"""The rules of an invoice: what it needs before it can be sent, the buyer's reference rules,
and the document built from the form, the supplier's profile and the buyer."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from services.invoice.schemas import InvoiceForm
from shared import vat
from shared.errors import FieldError
from shared.events.company import BankAccount, BuyerChanged, ReferenceRule, SupplierProfileChanged
from shared.invoices import (
    UNITS,
    Attachment,
    Charge,
    Invoice,
    Line,
    PaymentAccount,
    Totals,
    totals,
)
from shared.parties import party_of_buyer, party_of_supplier
from shared.reference_rules import REFERENCE_FIELDS, reference_problem


def lines_of(form: InvoiceForm) -> list[Line]:
    """The form's lines as they stand; what is still missing counts as nothing."""
    return [
        Line(
            article_id=line.article_id,
            description=line.description,
            quantity=line.quantity or Decimal(0),
            unit=line.unit,
            unit_price=line.unit_price or Decimal(0),
            vat_rate=line.vat_rate,
            vat_category=line.vat_category,
        )
        for line in form.lines
    ]


def charges_of(form: InvoiceForm) -> list[Charge]:
    return [
        Charge(
            description=charge.description or "Frakt",
            amount=charge.amount or Decimal(0),
            vat_rate=charge.vat_rate,
            vat_category=charge.vat_category,
        )
        for charge in form.charges
    ]


def form_totals(form: InvoiceForm) -> Totals:
    return totals(lines_of(form), charges_of(form))


def problems(
    form: InvoiceForm,
    *,
    kind: str,
    supplier: SupplierProfileChanged | None,
    buyer: BuyerChanged | None,
    connected: bool,
    number_taken: bool,
    terms_accepted: bool = True,
) -> list[FieldError]:
    """Everything that keeps the invoice from being sent, field by field."""
    errors: list[FieldError] = []
    if supplier is None:
        return [("buyer_id", "invoice.no_company", {})]
    if form.buyer_id is None:
        errors.append(("buyer_id", "required", {}))
    elif buyer is None or not connected:
        errors.append(("buyer_id", "invoice.buyer_not_connected", {}))
    elif not terms_accepted:
        errors.append(("buyer_id", "invoice.terms_not_accepted", {}))
    if not form.number:
        errors.append(("number", "required", {}))
    elif number_taken:
        errors.append(("number", "invoice.number_taken", {}))
    for field in ("issue_date", "due_date"):
        if getattr(form, field) is None:
            errors.append((field, "required", {}))
    if form.issue_date and form.due_date and form.due_date < form.issue_date:
        errors.append(("due_date", "invoice.due_before_issue", {}))
    if not supplier.bank_accounts:
        errors.append(("bank_account_id", "invoice.no_bank_account", {}))
    elif (
        form.bank_account_id not in {a.id for a in supplier.bank_accounts}
        and len(supplier.bank_accounts) > 1
    ):
        errors.append(("bank_account_id", "required", {}))
    if buyer is not None:
        rules: dict[str, ReferenceRule] = {rule.field: rule for rule in buyer.reference_rules}
        for field in REFERENCE_FIELDS:
            rule = rules.get(field)
            if rule and reference_problem(rule, getattr(form, field)):
                errors.append(
                    (
                        field,
                        "buyer_rule",
                        {"message_sv": rule.message_sv, "message_en": rule.message_en},
                    )
                )
    if not form.buyer_reference and not form.buyer_order_number:
        # Peppol needs one of the two to route the invoice inside the buyer (PEPPOL-EN16931-R003).
        errors.append(("buyer_reference", "invoice.reference_required", {}))
    if not form.lines:
        errors.append(("lines", "invoice.no_lines", {}))
    for index, line in enumerate(form.lines):
        at = f"lines.{index}"
        if not line.description:
            errors.append((f"{at}.description", "required", {}))
        if line.quantity is None or line.quantity <= 0:
            errors.append((f"{at}.quantity", "invoice.quantity_positive", {}))
        if line.unit_price is None:
            errors.append((f"{at}.unit_price", "required", {}))
        if line.unit not in UNITS:
            errors.append((f"{at}.unit", "invoice.unit_unknown", {}))
    for index, charge in enumerate(form.charges):
        at = f"charges.{index}"
        if not charge.description:
            errors.append((f"{at}.description", "required", {}))
        if charge.amount is None or charge.amount <= 0:
            errors.append((f"{at}.amount", "invoice.amount_positive", {}))
    parties = (
        vat.Parties(party_of_supplier(supplier), supplier.f_skatt, party_of_buyer(buyer))
        if buyer is not None
        else None
    )
    errors += vat.problems(vat.choices(form.lines, form.charges), parties, form.delivery_date)
    if form.origin_country and len(form.origin_country) != 2:
        errors.append(("origin_country", "country.invalid", {}))
    return errors


def chosen_account(form: InvoiceForm, supplier: SupplierProfileChanged) -> BankAccount | None:
    accounts = {a.id: a for a in supplier.bank_accounts}
    if form.bank_account_id in accounts:
        return accounts[form.bank_account_id]
    return supplier.bank_accounts[0] if supplier.bank_accounts else None


def build_invoice(
    invoice_id: uuid.UUID,
    kind: str,
    form: InvoiceForm,
    supplier: SupplierProfileChanged,
    buyer: BuyerChanged,
    attachments: list[Attachment],
    credited: dict[str, Any] | None = None,
) -> Invoice:
    """The document as the buyer receives it (a preview may still lack what sending requires)."""
    account = chosen_account(form, supplier)
    today = date.today()
    return Invoice(
        id=invoice_id,
        kind=kind,
        number=form.number,
        issue_date=form.issue_date or today,
        due_date=form.due_date or form.issue_date or today,
        currency=form.currency,
        supplier_id=supplier.company_id,
        buyer_id=buyer.buyer_id,
        seller=party_of_supplier(supplier),
        seller_f_skatt=supplier.f_skatt,
        buyer=party_of_buyer(buyer),
        buyer_order_number=form.buyer_order_number or None,
        payment_reference=form.payment_reference or None,
        buyer_reference=form.buyer_reference or None,
        contact_person=form.contact_person or None,
        payment_account=PaymentAccount(
            kind=account.kind, number=account.number, bic=account.bic, bank_name=account.bank_name
        )
        if account
        else None,
        lines=lines_of(form),
        charges=charges_of(form),
        delivery_date=form.delivery_date,
        customs_clearance_number=form.customs_clearance_number or None,
        origin_country=form.origin_country or None,
        note=form.note or None,
        credited_invoice_number=credited["number"] if credited else None,
        credited_invoice_date=credited["issue_date"] if credited else None,
        attachments=attachments,
    )
