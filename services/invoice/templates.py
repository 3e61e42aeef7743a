"""A supplier's invoice templates: an invoice's content kept for one customer under a name, and
new drafts started from it with today's dates.

A template belongs to the supplier's company and is found by that company alone: another
company's template id finds nothing (404), as another company's invoice does.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.invoice import db
from services.invoice.invoices import Deps, company_of, create_draft
from services.invoice.schemas import (
    InvoiceDetail,
    InvoiceForm,
    InvoiceTemplate,
    InvoiceTemplateDetail,
    TemplateForm,
)
from shared.db import row_to
from shared.errors import FieldErrors, NotFound, missing
from shared.i18n import Catalog
from shared.invoice_response import SWEDISH_TIME
from shared.sessions import Principal

MAX_TEMPLATES = 200
# An invoice's payment term when its dates do not give one; a longer one is taken as a year.
DEFAULT_PAYMENT_DAYS = 30
MAX_PAYMENT_DAYS = 365


def template_content(form: InvoiceForm) -> tuple[InvoiceForm, int]:
    """What a template keeps of an invoice: everything but its number and dates (attachments are
    not in the form), and its payment term in days, for the dates of the invoices made from it."""
    days = DEFAULT_PAYMENT_DAYS
    if form.issue_date and form.due_date and form.due_date >= form.issue_date:
        days = min((form.due_date - form.issue_date).days, MAX_PAYMENT_DAYS)
    cleared = {"number": "", "issue_date": None, "due_date": None, "delivery_date": None}
    return form.model_copy(update=cleared), days


def from_template(form: InvoiceForm, payment_days: int, today: date) -> InvoiceForm:
    """A new invoice's form from a template's: dated today, due after the template's term."""
    return form.model_copy(
        update={"issue_date": today, "due_date": today + timedelta(days=payment_days)}
    )


async def save(deps: Deps, principal: Principal, form: TemplateForm) -> InvoiceTemplate:
    """The invoice's content as a template for its customer; a template of the same name for
    that customer is replaced."""
    if errors := missing(form, "name"):
        raise FieldErrors(errors)
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await company_of(conn, principal)
        invoice = await db.invoice_of(conn, company_id, form.invoice_id)
        if invoice is None:
            raise NotFound("not_found")
        content, days = template_content(InvoiceForm.model_validate(invoice["form"]))
        if content.buyer_id is None:
            raise FieldErrors([("buyer_id", "template.buyer_required", {})])
        # One save of a supplier at a time, so that two at once cannot both pass the limit.
        await db.lock_supplier(conn, company_id)
        if await db.count_templates(conn, company_id) >= MAX_TEMPLATES:
            raise FieldErrors([("name", "template.too_many", {"max": MAX_TEMPLATES})])
        row = await db.save_template(
            conn,
            id=uuid.uuid4(),
            supplier_id=company_id,
            buyer_id=content.buyer_id,
            name=form.name,
            form=content.model_dump_json(),
            payment_days=days,
            now=deps.now,
        )
    return row_to(InvoiceTemplate, row)


async def listing(
    deps: Deps, principal: Principal, buyer_id: uuid.UUID | None
) -> list[InvoiceTemplate]:
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        rows = await db.templates_of(conn, company_id, buyer_id)
    return [row_to(InvoiceTemplate, row) for row in rows]


async def detail(deps: Deps, principal: Principal, template_id: uuid.UUID) -> InvoiceTemplateDetail:
    async with deps.pool.acquire() as conn:
        row = await db.template_of(conn, await company_of(conn, principal), template_id)
    if row is None:
        raise NotFound("not_found")
    return row_to(InvoiceTemplateDetail, row)


async def start_invoice(deps: Deps, principal: Principal, template_id: uuid.UUID) -> InvoiceDetail:
    """A new draft filled in from the template, dated today (in Sweden) and due after the
    template's payment term."""
    template = await detail(deps, principal, template_id)
    today = deps.now.astimezone(SWEDISH_TIME).date()
    form = from_template(template.form, template.payment_days, today)
    return await create_draft(deps, principal, form)


async def delete(deps: Deps, principal: Principal, template_id: uuid.UUID) -> None:
    async with deps.pool.acquire() as conn:
        if not await db.delete_template(conn, await company_of(conn, principal), template_id):
            raise NotFound("not_found")


MESSAGES: Catalog = {
    "template.buyer_required": {
        "sv": "Välj en kund innan du sparar fakturan som mall; en mall hör till en kund.",
        "en": "Choose a customer before saving the invoice as a template; a template belongs to "
        "a customer.",
    },
    "template.too_many": {
        "sv": "Högst {max} mallar; ta bort en innan du sparar en ny.",
        "en": "At most {max} templates; delete one before saving another.",
    },
}
