"""A buyer's status of an invoice, told to the user who sent it: a rejection with the buyer's
reason and a payment are mailed in the sender's language, once; received and approved are not."""

from __future__ import annotations

import pytest

from services.notifier.rendering import Renderer
from shared.events import Envelope, wrap
from tests.notifier import events
from tests.notifier.conftest import PUBLIC_URL, Notifier
from tests.waiting import eventually

SUPPLIER = "karin.berg@ekspar.example"
REASON = "Ordernumret 4500098765 finns inte hos oss."


async def mails_of(notifier: Notifier, envelope: Envelope) -> int:
    async with notifier.pool.acquire() as conn:
        count = await conn.fetchval(
            "SELECT count(*) FROM mails WHERE event_id = $1", envelope.event_id
        )
    return int(count)


@pytest.mark.parametrize(
    ("language", "subject", "phrases"),
    [
        (
            "sv",
            "Faktura 2026-0042 avvisades av Infranord AB",
            [
                "Infranord AB har avvisat faktura 2026-0042 den 2026-04-02 kl. 14:30",
                "Orsak: Referenser saknas eller är fel",
                REASON,
                "Där kan du kreditera den",
            ],
        ),
        (
            "en",
            "Invoice 2026-0042 was rejected by Infranord AB",
            [
                "Infranord AB rejected invoice 2026-0042 on 2 Apr 2026 at 14:30 (Swedish time)",
                "Reason: References incorrect",
                REASON,
                "There you can credit it",
            ],
        ),
    ],
)
async def test_a_rejection_tells_the_sender_why_in_its_language(
    notifier: Notifier, language: str, subject: str, phrases: list[str]
) -> None:
    event = events.invoice_status_changed(language=language)
    envelope = await notifier.publish(event)

    mail = await notifier.wait_for_mail(envelope, "invoice_rejected")

    assert mail.recipients == (SUPPLIER,)
    assert mail.subject == subject
    for phrase in phrases:
        assert phrase in mail.text, phrase
    assert REASON in mail.html
    link = f"{PUBLIC_URL}/invoices/{event.invoice_id}"
    assert link in mail.text
    assert f'href="{link}"' in mail.html


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("sv", "Faktura 2026-0042 är betald", "har markerat faktura 2026-0042 som betald"),
        ("en", "Invoice 2026-0042 has been paid", "marked invoice 2026-0042 as paid"),
    ],
)
async def test_a_payment_is_told_to_the_sender(
    notifier: Notifier, language: str, subject: str, phrase: str
) -> None:
    event = events.invoice_status_changed(
        status="paid", reason=None, reason_code=None, language=language
    )
    envelope = await notifier.publish(event)

    mail = await notifier.wait_for_mail(envelope, "invoice_paid")

    assert mail.recipients == (SUPPLIER,)
    assert mail.subject == subject
    assert phrase in mail.text
    assert f"{PUBLIC_URL}/invoices/{event.invoice_id}" in mail.text


@pytest.mark.parametrize("status", ["received", "approved"])
async def test_received_and_approved_are_consumed_without_a_mail(
    notifier: Notifier, status: str
) -> None:
    event = events.invoice_status_changed(status=status, reason=None, reason_code=None)
    envelope = await notifier.publish(event)

    async def applied() -> bool:
        return notifier.consumed(envelope, "applied") == 1

    await eventually(applied)
    assert await mails_of(notifier, envelope) == 0


async def test_a_status_delivered_twice_is_mailed_once(notifier: Notifier) -> None:
    envelope = wrap(events.invoice_status_changed(), producer="invoice")
    await notifier.publish_envelope(envelope)
    await notifier.publish_envelope(envelope)

    await notifier.wait_for_mail(envelope, "invoice_rejected")

    async def duplicate() -> bool:
        return notifier.consumed(envelope, "duplicate") == 1

    await eventually(duplicate)
    assert await mails_of(notifier, envelope) == 1


def test_a_credit_note_rejection_is_named_so_and_offers_no_credit() -> None:
    renderer = Renderer(public_url=PUBLIC_URL, support_email="support@portal.example")
    mail = renderer.render(
        "invoice_rejected",
        "sv",
        credit_note=True,
        number="K-7",
        buyer_name="Infranord AB",
        changed_at=events.invoice_status_changed().changed_at,
        reason=REASON,
        reason_label="Annat",
        invoice_url=f"{PUBLIC_URL}/invoices/x",
    )
    assert mail.subject == "Kreditfaktura K-7 avvisades av Infranord AB"
    assert "kreditera" not in mail.text


def test_the_buyers_words_are_escaped_in_html_and_kept_in_text() -> None:
    renderer = Renderer(public_url=PUBLIC_URL, support_email="support@portal.example")
    hostile = '<script>alert(1)</script>\nRad två & "citat"'
    mail = renderer.render(
        "invoice_rejected",
        "en",
        credit_note=False,
        number="<i>7</i>",
        buyer_name="<b>Evil</b>",
        changed_at=events.invoice_status_changed().changed_at,
        reason=hostile,
        reason_label="Other",
        invoice_url=f"{PUBLIC_URL}/invoices/x",
    )
    assert hostile in mail.text
    assert "<script>" not in mail.html and "<b>Evil</b>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nRad två &amp; &#34;citat&#34;" in mail.html
    assert mail.subject == "Invoice <i>7</i> was rejected by <b>Evil</b>"
