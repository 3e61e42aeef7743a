"""Every e-mail rendered in Swedish and English: subjects, links, codes, wording, escaping."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.notifier.documents import InvoiceFiles, SuppliedFile
from services.notifier.handlers import invoice_attachments, message_id
from services.notifier.links import Links
from services.notifier.rendering import Kind, Renderer
from services.notifier.wording import format_date, format_datetime, format_duration
from shared.i18n import Language
from tests.notifier import events

NBSP = "\u00a0"

LINKS = Links("https://portal.example/")
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(public_url="https://portal.example/", support_email="support@portal.example")


def values(kind: Kind) -> dict[str, Any]:
    every: dict[Kind, dict[str, Any]] = {
        "email_confirmation": {
            "first_name": "Anna",
            "confirm_url": LINKS.email_confirmation("tok/en"),
            "code": "482915",
            "link_valid_for": timedelta(hours=24),
            "code_valid_for": timedelta(minutes=30),
        },
        "existing_account": {"first_name": "Anna", "login_url": LINKS.login()},
        "password_reset": {
            "first_name": "Anna",
            "reset_url": LINKS.password_reset("re&set"),
            "valid_for": timedelta(hours=1),
        },
        "password_changed": {
            "first_name": "Anna",
            "changed_at": datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
        },
        "account_deleted": {
            "first_name": "Anna",
            "deleted_at": datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
        },
        "supplier_invitation": {
            "first_name": "Bertil",
            "buyer_name": "Byggbolaget AB",
            "register_url": LINKS.registration("in vite"),
            "expires_at": datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
        },
    }
    return every[kind]


# kind, language, subject, phrases in both bodies
EXPECTED: list[tuple[Kind, Language, str, list[str]]] = [
    (
        "email_confirmation",
        "sv",
        "Bekräfta din e-postadress",
        [
            "Hej Anna!",
            "Bekräfta e-postadress (Confirmation)",
            "https://portal.example/confirm?token=tok%2Fen",
            "Verifieringskod (verification code)",
            "482915",
            "giltig i 24 timmar",
            "giltig i 30 minuter",
        ],
    ),
    (
        "email_confirmation",
        "en",
        "Confirm your e-mail address",
        [
            "Hi Anna,",
            "Confirmation",
            "https://portal.example/confirm?token=tok%2Fen",
            "Your verification code",
            "482915",
            "valid for 24 hours",
            "valid for 30 minutes",
        ],
    ),
    (
        "existing_account",
        "sv",
        "Någon försökte registrera sig med din e-postadress",
        ["Hej Anna!", "kanske du", "Du har redan ett konto", "https://portal.example/login"],
    ),
    (
        "existing_account",
        "en",
        "Someone tried to register with your e-mail address",
        ["Hi Anna,", "perhaps you", "You already have an account", "https://portal.example/login"],
    ),
    (
        "password_reset",
        "sv",
        "Återställ ditt lösenord",
        [
            "https://portal.example/password/reset?token=re%26set",
            "giltig i 1 timme",
            "bortse från det här mejlet",
        ],
    ),
    (
        "password_reset",
        "en",
        "Reset your password",
        [
            "https://portal.example/password/reset?token=re%26set",
            "valid for 1 hour",
            "you can ignore this e-mail",
        ],
    ),
    (
        "password_changed",
        "sv",
        "Ditt lösenord har ändrats",
        ["ändrades den 2025-03-03 kl. 14:05", "support@portal.example"],
    ),
    (
        "password_changed",
        "en",
        "Your password has been changed",
        ["changed on 3 Mar 2025 at 14:05 (Swedish time)", "support@portal.example"],
    ),
    (
        "account_deleted",
        "sv",
        "Ditt konto är raderat",
        [
            "Hej Anna!",
            "raderades den 2025-03-03 kl. 14:05",
            "sparas i sju år",
            "bokföringslagen kräver (7 kap. 2 §)",
            "kontakta en administratör i företaget",
            "support@portal.example",
        ],
    ),
    (
        "account_deleted",
        "en",
        "Your account has been deleted",
        [
            "Hi Anna,",
            "deleted on 3 Mar 2025 at 14:05 (Swedish time)",
            "kept for seven years",
            "bokföringslagen, chapter 7, section 2",
            "contact an administrator of the company",
            "support@portal.example",
        ],
    ),
    (
        "supplier_invitation",
        "sv",
        "Byggbolaget AB bjuder in dig till Leverantörsportalen",
        [
            "Hej Bertil!",
            "bjuder in dig att skicka fakturor via Leverantörsportalen",
            "https://portal.example/register?invitation=in%20vite",
            "gäller till den 2025-12-31 kl. 23:59",
        ],
    ),
    (
        "supplier_invitation",
        "en",
        "Byggbolaget AB invites you to Leverantörsportalen",
        [
            "Hi Bertil,",
            "invites you to send invoices through Leverantörsportalen",
            "https://portal.example/register?invitation=in%20vite",
            "valid until 31 Dec 2025 at 23:59 (Swedish time)",
        ],
    ),
]


@pytest.mark.parametrize(("kind", "language", "subject", "phrases"), EXPECTED)
def test_each_mail_reads_right_in_each_language(
    renderer: Renderer, kind: Kind, language: Language, subject: str, phrases: list[str]
) -> None:
    mail = renderer.render(kind, language, **values(kind))

    assert mail.subject == subject
    for phrase in phrases:
        assert phrase in mail.text, phrase
        assert phrase.replace("&", "&amp;") in mail.html, phrase
    assert mail.text.startswith(("Hej ", "Hi "))
    assert "{{" not in mail.text
    assert "{{" not in mail.html
    assert f'<html lang="{language}">' in mail.html
    assert f"<title>{subject}</title>" in mail.html
    assert "https://portal.example" in mail.text  # the footer
    assert "support@portal.example" in mail.html


def test_the_confirmation_link_is_a_button_labelled_confirmation(renderer: Renderer) -> None:
    labels: list[tuple[Language, str]] = [
        ("sv", "Bekräfta e-postadress (Confirmation)"),
        ("en", "Confirmation"),
    ]
    for language, label in labels:
        mail = renderer.render("email_confirmation", language, **values("email_confirmation"))
        link = 'href="https://portal.example/confirm?token=tok%2Fen"'
        assert f"{label}</a>" in mail.html
        assert link in mail.html.split(f"{label}</a>")[0].rsplit("<a ", 1)[1]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", sorted({kind for kind, *_ in EXPECTED}))
def test_names_are_escaped_in_html_and_kept_in_text(
    renderer: Renderer, kind: Kind, language: Language
) -> None:
    hostile = values(kind) | {"first_name": SCRIPT}
    if kind == "supplier_invitation":
        hostile["buyer_name"] = '"Evil" & <b>Co</b>'
    mail = renderer.render(kind, language, **hostile)

    assert SCRIPT not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert SCRIPT in mail.text
    if kind == "supplier_invitation":
        assert "&#34;Evil&#34; &amp; &lt;b&gt;Co&lt;/b&gt;" in mail.html
        assert mail.subject.startswith('"Evil" & <b>Co</b>')


def test_a_subject_cannot_carry_a_line_break(renderer: Renderer) -> None:
    invitation = values("supplier_invitation") | {"buyer_name": "Evil\r\nBcc: x@example.se"}
    mail = renderer.render("supplier_invitation", "sv", **invitation)
    assert mail.subject == "Evil Bcc: x@example.se bjuder in dig till Leverantörsportalen"


@pytest.mark.parametrize(
    ("delta", "sv", "en"),
    [
        (timedelta(hours=24), "24 timmar", "24 hours"),
        (timedelta(hours=24) - timedelta(milliseconds=40), "24 timmar", "24 hours"),
        (timedelta(hours=1), "1 timme", "1 hour"),
        (timedelta(minutes=30), "30 minuter", "30 minutes"),
        (timedelta(minutes=1), "1 minut", "1 minute"),
        (timedelta(minutes=90), "90 minuter", "90 minutes"),
        (timedelta(days=14), "14 dagar", "14 days"),
        (timedelta(seconds=-5), "1 minut", "1 minute"),
    ],
)
def test_durations_are_written_out(delta: timedelta, sv: str, en: str) -> None:
    assert format_duration(delta, "sv") == sv
    assert format_duration(delta, "en") == en


def test_dates_are_in_swedish_time() -> None:
    summer = datetime(2025, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Stockholm
    assert format_date(summer, "sv") == "2025-07-01"
    assert format_date(summer, "en") == "1 Jul 2025"
    assert format_datetime(summer, "sv") == "2025-07-01 kl. 00:30"
    naive_utc = datetime(2025, 1, 15, 8, 0)
    assert format_datetime(naive_utc, "en") == "15 Jan 2025 at 09:00 (Swedish time)"


def test_links_quote_tokens_and_trim_the_base() -> None:
    links = Links("http://127.0.0.1:8080/")
    assert links.login() == "http://127.0.0.1:8080/login"
    assert (
        links.email_confirmation("a b/c?d") == "http://127.0.0.1:8080/confirm?token=a%20b%2Fc%3Fd"
    )


def test_the_message_id_depends_on_event_and_kind_only() -> None:
    event_id = uuid.UUID("0b7e2f7c-8f1e-4a43-9d2b-1f6f5e0c9a10")
    assert message_id(event_id, "password_reset") == (
        "<0b7e2f7c-8f1e-4a43-9d2b-1f6f5e0c9a10.password_reset@leverantorsportalen>"
    )
    assert message_id(event_id, "password_reset") == message_id(event_id, "password_reset")
    assert message_id(event_id, "password_changed") != message_id(event_id, "password_reset")


def invoice_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "credit_note": False,
        "number": "2026-0042",
        "seller_name": "Ek Spårteknik AB",
        "buyer_name": "Infranord AB",
        "payable": Decimal("1234.5"),
        "currency": "SEK",
        "due_date": date(2026, 4, 30),
        "files": ["faktura-2026-0042.pdf", "faktura-2026-0042.xml", "tidrapport.pdf"],
    }
    return values | changes


def confirmation_values(**changes: Any) -> dict[str, Any]:
    return invoice_values(
        buyer_email="faktura@infranord.example",
        invoice_url=LINKS.invoice(uuid.UUID("0b7e2f7c-8f1e-4a43-9d2b-1f6f5e0c9a10")),
        **changes,
    )


# kind, language, credit note, subject, phrases in both bodies
INVOICE_MAILS: list[tuple[Kind, Language, bool, str, list[str]]] = [
    (
        "invoice_to_buyer",
        "sv",
        False,
        "Faktura 2026-0042 från Ek Spårteknik AB",
        [
            "Hej!",
            "Ek Spårteknik AB",
            "har skickat faktura 2026-0042 till Infranord AB",
            "Att betala",
            f"1{NBSP}234,50{NBSP}SEK",
            "Förfallodatum",
            "2026-04-30",
            "tillsammans med säljarens bilagor",
            "tidrapport.pdf",
            "In English:",
            f"Amount due: 1,234.50{NBSP}SEK, due on 30 Apr 2026.",
        ],
    ),
    (
        "invoice_to_buyer",
        "sv",
        True,
        "Kreditfaktura 2026-0042 från Ek Spårteknik AB",
        ["har skickat kreditfaktura 2026-0042", "Att erhålla", "Amount to be credited"],
    ),
    (
        "invoice_confirmation",
        "sv",
        False,
        "Faktura 2026-0042 har skickats till Infranord AB",
        [
            "Gratulerar, du har skickat faktura 2026-0042 till",
            "faktura@infranord.example",
            "faktura-2026-0042.xml",
            f"1{NBSP}234,50{NBSP}SEK",
            "2026-04-30",
            "https://portal.example/invoices/0b7e2f7c-8f1e-4a43-9d2b-1f6f5e0c9a10",
        ],
    ),
    (
        "invoice_confirmation",
        "en",
        False,
        "Invoice 2026-0042 has been sent to Infranord AB",
        [
            "Congratulations, you have sent invoice 2026-0042 to",
            "faktura@infranord.example",
            f"1,234.50{NBSP}SEK",
            "30 Apr 2026",
            "https://portal.example/invoices/0b7e2f7c-8f1e-4a43-9d2b-1f6f5e0c9a10",
        ],
    ),
    (
        "invoice_confirmation",
        "en",
        True,
        "Credit note 2026-0042 has been sent to Infranord AB",
        ["you have sent credit note 2026-0042", "Amount to be credited", f"1,234.50{NBSP}SEK"],
    ),
]


@pytest.mark.parametrize(("kind", "language", "credit_note", "subject", "phrases"), INVOICE_MAILS)
def test_each_invoice_mail_reads_right(
    renderer: Renderer,
    kind: Kind,
    language: Language,
    credit_note: bool,
    subject: str,
    phrases: list[str],
) -> None:
    values = confirmation_values() if kind == "invoice_confirmation" else invoice_values()
    if kind == "invoice_to_buyer":
        values["supplier_files"] = True
    mail = renderer.render(kind, language, **(values | {"credit_note": credit_note}))

    assert mail.subject == subject
    for phrase in phrases:
        assert phrase in mail.text, phrase
        assert phrase in mail.html, phrase
    assert ("Förfallodatum" in mail.text or "Due date" in mail.text) is not credit_note
    assert "{{" not in mail.text
    assert f"<title>{subject}</title>" in mail.html


def test_a_buyer_mail_without_supplier_files_does_not_mention_them(renderer: Renderer) -> None:
    mail = renderer.render("invoice_to_buyer", "sv", **invoice_values(), supplier_files=False)
    assert "bilagor" not in mail.text


@pytest.mark.parametrize("kind", ["invoice_to_buyer", "invoice_confirmation"])
def test_invoice_names_are_escaped_in_html_and_kept_in_text(renderer: Renderer, kind: Kind) -> None:
    hostile = {"seller_name": SCRIPT, "buyer_name": '"Evil" & <b>Co</b>', "number": "<i>7</i>"}
    values = (
        confirmation_values(**hostile)
        if kind == "invoice_confirmation"
        else invoice_values(**hostile, supplier_files=False)
    )
    mail = renderer.render(kind, "sv", **(values | {"files": ["<img src=x>.pdf"]}))

    shown = ["<b>Co</b>", "<i>7</i>", "<img src=x>"]
    if kind == "invoice_to_buyer":  # the supplier knows who it is
        shown.append(SCRIPT)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    for raw in shown:
        assert raw not in mail.html
        assert raw in mail.text
    assert "&#34;Evil&#34; &amp; &lt;b&gt;Co&lt;/b&gt;" in mail.html
    assert "&lt;img src=x&gt;.pdf" in mail.html


@pytest.mark.parametrize(
    ("amount", "currency", "sv", "en"),
    [
        (Decimal("1234.5"), "SEK", "1 234,50 SEK", "1,234.50 SEK"),
        (Decimal("0"), "SEK", "0,00 SEK", "0.00 SEK"),
        (Decimal("1234567.125"), "SEK", "1 234 567,13 SEK", "1,234,567.13 SEK"),
        (Decimal("99.9"), "EUR", "99,90 EUR", "99.90 EUR"),
        (Decimal("-500"), "SEK", "-500,00 SEK", "-500.00 SEK"),
    ],
)
def test_amounts_are_written_as_on_the_web_pages_and_the_pdf(
    renderer: Renderer, amount: Decimal, currency: str, sv: str, en: str
) -> None:
    template = renderer.environment.from_string("{{ amount|money(currency) }}")
    for language, expected in (("sv", sv), ("en", en)):
        written = template.render(language=language, amount=amount, currency=currency)
        # No break inside an amount: the groups and the currency are held by no-break spaces.
        assert written == expected.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("language", "amount", "due"),
    [("sv", f"3{NBSP}250,00{NBSP}SEK", "2026-12-05"), ("en", f"3,250.00{NBSP}SEK", "5 Dec 2026")],
)
def test_an_invoice_mail_writes_its_amount_and_date_as_the_pdf_does(
    renderer: Renderer, language: Language, amount: str, due: str
) -> None:
    values = confirmation_values(payable=Decimal("3250"), due_date=date(2026, 12, 5))
    mail = renderer.render("invoice_confirmation", language, **values)

    for body in (mail.text, mail.html):
        assert amount in body
        assert due in body
        assert "3250" not in body


def test_a_calendar_date_is_written_as_it_is() -> None:
    assert format_date(date(2026, 4, 30), "sv") == "2026-04-30"
    assert format_date(date(2026, 12, 31), "en") == "31 Dec 2026"


def test_attached_files_are_named_after_the_invoice() -> None:
    pdf, xml = b"%PDF-1.7\n%%EOF\n", b"<Invoice/>"
    supplied = SuppliedFile(
        filename="tidrapport.pdf", content_type="application/pdf", content=b"%PDF-1.4"
    )
    event = events.invoice_rendered(number="2026/04 42")
    files = InvoiceFiles(pdf=pdf, xml=xml, attachments=(supplied,))

    attached = invoice_attachments(event, files)

    assert [(a.filename, a.content_type, a.content) for a in attached] == [
        ("faktura-2026-04-42.pdf", "application/pdf", pdf),
        ("faktura-2026-04-42.xml", "application/xml", xml),
        ("tidrapport.pdf", "application/pdf", b"%PDF-1.4"),
    ]
    credit = events.invoice_rendered(kind="credit_note", number="K-7")
    assert invoice_attachments(credit, files)[0].filename == "kreditfaktura-K-7.pdf"
