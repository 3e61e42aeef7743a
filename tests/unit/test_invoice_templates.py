"""What an invoice template keeps of an invoice, and the dates of an invoice started from it."""

from __future__ import annotations

import uuid
from datetime import date

from services.invoice.schemas import InvoiceForm, LineForm
from services.invoice.templates import from_template, template_content

FORM = InvoiceForm(
    buyer_id=uuid.uuid4(),
    number="2026-0042",
    issue_date=date(2026, 3, 1),
    due_date=date(2026, 3, 16),
    delivery_date=date(2026, 2, 27),
    buyer_reference="AB12",
    lines=[LineForm(description="Spårarbete")],
    note="Ramavtal 7",
)


def test_a_template_keeps_the_content_and_the_payment_term_but_no_number_or_date() -> None:
    content, days = template_content(FORM)
    assert days == 15
    assert (content.number, content.issue_date, content.due_date, content.delivery_date) == (
        "",
        None,
        None,
        None,
    )
    assert (content.buyer_id, content.buyer_reference, content.lines, content.note) == (
        FORM.buyer_id,
        "AB12",
        FORM.lines,
        "Ramavtal 7",
    )


def test_a_term_the_dates_do_not_give_is_thirty_days_and_a_long_one_a_year() -> None:
    assert template_content(FORM.model_copy(update={"due_date": None}))[1] == 30
    backwards = FORM.model_copy(update={"due_date": date(2026, 2, 1)})
    assert template_content(backwards)[1] == 30
    far = FORM.model_copy(update={"due_date": date(9999, 12, 31)})
    assert template_content(far)[1] == 365


def test_an_invoice_from_a_template_is_dated_today_and_due_after_its_term() -> None:
    started = from_template(template_content(FORM)[0], 15, date(2026, 12, 20))
    assert (started.issue_date, started.due_date, started.number) == (
        date(2026, 12, 20),
        date(2027, 1, 4),
        "",
    )
