"""The mailer's rules without a network: back-off, what counts as permanent, the message shape."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import aiosmtplib
import pytest

from services.notifier.db import Attachment, DueMail
from services.notifier.mailer import Deferred, Rejected, classify, compose, retry_delay

PDF = b"%PDF-1.4\n%%EOF\n"


def due_mail(**changes: object) -> DueMail:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "event_id": uuid.uuid4(),
        "kind": "password_changed",
        "recipient": "anna@example.se",
        "subject": "Ditt lösenord har ändrats",
        "text_body": "Hej Anna!\n",
        "html_body": "<p>Hej Anna!</p>\n",
        "message_id": "<e.password_changed@leverantorsportalen>",
        "attempts": 0,
        "created_at": datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
    }
    return DueMail.model_validate(values | changes)


def test_back_off_doubles_from_a_second_up_to_a_minute() -> None:
    assert [retry_delay(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert retry_delay(10_000) == 60


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (
            aiosmtplib.SMTPRecipientsRefused(
                [aiosmtplib.SMTPRecipientRefused(550, "No such user", "a@example.se")]
            ),
            Rejected,
        ),
        (
            aiosmtplib.SMTPRecipientsRefused(
                [aiosmtplib.SMTPRecipientRefused(451, "Greylisted", "a@example.se")]
            ),
            Deferred,
        ),
        (aiosmtplib.SMTPDataError(554, "Spam"), Rejected),
        (aiosmtplib.SMTPDataError(452, "Mailbox full for now"), Deferred),
        (aiosmtplib.SMTPSenderRefused(552, "Too big", "no-reply@x.se"), Rejected),
        (aiosmtplib.SMTPSenderRefused(553, "Not our domain", "no-reply@x.se"), Deferred),
        (aiosmtplib.SMTPAuthenticationError(535, "Bad credentials"), Deferred),
        (aiosmtplib.SMTPServerDisconnected("gone"), Deferred),
        (aiosmtplib.SMTPConnectError("refused"), Deferred),
        (TimeoutError(), Deferred),
        (aiosmtplib.SMTPNotSupported("SMTPUTF8 is not supported"), Rejected),
    ],
)
def test_only_a_5xx_about_the_mail_itself_is_permanent(
    error: Exception, outcome: type[Deferred | Rejected]
) -> None:
    result = classify(error)
    assert isinstance(result, outcome)
    assert result.reason


def test_a_refusal_reason_names_the_reply() -> None:
    error = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(550, "5.1.1 No such user", "a@example.se")]
    )
    assert classify(error) == Rejected("a@example.se: 550 5.1.1 No such user")


def test_a_mail_is_text_and_html_with_stable_headers() -> None:
    mail = due_mail()
    message = compose(mail, "Leverantörsportalen <no-reply@leverantorsportalen.se>")
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(message))

    assert parsed["Message-ID"] == mail.message_id
    assert parsed["Date"] == "Mon, 03 Mar 2025 13:05:00 +0000"
    assert parsed["Subject"] == "Ditt lösenord har ändrats"
    assert parsed["From"].addresses[0].display_name == "Leverantörsportalen"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None
    assert html is not None
    assert text.get_content() == "Hej Anna!\n"
    assert html.get_content() == "<p>Hej Anna!</p>\n"


def test_attachments_follow_the_bodies_in_order() -> None:
    mail = due_mail(
        attachments=(
            Attachment(filename="faktura-17.pdf", content_type="application/pdf", content=PDF),
            Attachment(filename="faktura-17.xml", content_type="application/xml", content=b"<x/>"),
        )
    )
    message = compose(mail, "no-reply@leverantorsportalen.se")

    assert message.get_content_type() == "multipart/mixed"
    files = [
        (p.get_filename(), p.get_content_type(), p.get_content())
        for p in message.iter_attachments()
    ]
    assert files == [
        ("faktura-17.pdf", "application/pdf", PDF),
        ("faktura-17.xml", "application/xml", b"<x/>"),
    ]
    assert message.get_body(("plain",)) is not None
