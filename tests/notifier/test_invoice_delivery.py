"""Invoices delivered by e-mail: the buyer gets the PDF, the XML and the supplier's attachments once,
the supplier a confirmation, and the bus hears of the delivery or its failure exactly once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest

from devtools.mailcatcher import StoredMessage
from shared.events import Envelope, wrap
from shared.events.invoice import InvoiceRendered
from tests.conftest import AMQP_URL
from tests.harness import EventTap, tapping
from tests.notifier import events
from tests.notifier.conftest import PUBLIC_URL, Notifier
from tests.notifier.events import INVOICE_PDF, INVOICE_XML, TIMESHEET_PDF
from tests.waiting import eventually

BUYER = "faktura@infranord.example"
SUPPLIER = "karin.berg@ekspar.example"


@pytest.fixture
async def bus(notifier: Notifier) -> AsyncIterator[EventTap]:
    """Every event on the notifier's bus prefix, the notifier's own included."""
    async with tapping(AMQP_URL, notifier.settings.queue_prefix) as tap:
        yield tap


async def hold_files(
    notifier: Notifier, event: InvoiceRendered, *, pdf: bytes = INVOICE_PDF, xml: bool = True
) -> None:
    """Put the files of `event` in the file store, as the renderer and the invoice service do."""
    await notifier.files.put([pdf, *([INVOICE_XML] if xml else []), TIMESHEET_PDF])


async def store_under(notifier: Notifier, sha256: str, content: bytes) -> None:
    """Keep `content` under another file's address: a store that lost a file's integrity."""
    async with notifier.files.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO files (sha256, size, content) VALUES ($1, $2, $3)",
            sha256,
            len(content),
            content,
        )


async def published(bus: EventTap, notifier: Notifier, event_type: str) -> list[Envelope]:
    """Every `event_type` the notifier published, once nothing it committed is still on its way."""

    async def outbox_empty() -> bool:
        async with notifier.pool.acquire() as conn:
            return not await conn.fetchval("SELECT count(*) FROM outbox")

    await eventually(outbox_empty)
    # The relay deleted its rows after the broker confirmed them, so they sit in the tap's queue
    # ahead of a marker published now; once the marker is here, so is every one of them.
    marker = wrap(events.password_changed(), producer="test").model_copy(
        update={"type": "test.marker", "payload": {}}
    )
    await notifier.publish_envelope(marker)
    await bus.wait_for(lambda e: e.event_id == marker.event_id)
    return [e for e in bus.envelopes if e.type == event_type and e.producer == "notifier"]


def files_of(mail: StoredMessage) -> list[tuple[str | None, str, bytes]]:
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in mail.message.iter_attachments()
    ]


async def applied_once(notifier: Notifier, envelope: Envelope) -> None:
    # The consumer counts a message after its ack, which may come after the effects are seen.
    async def applied() -> bool:
        return notifier.consumed(envelope, "applied") == 1

    await eventually(applied)


async def mail_count(notifier: Notifier) -> int:
    async with notifier.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM mails"))


async def test_the_buyer_gets_the_invoice_with_every_file(
    notifier: Notifier, bus: EventTap
) -> None:
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    mail = await notifier.wait_for_mail(envelope, "invoice_to_buyer")

    assert mail.recipients == (BUYER,)
    assert mail.subject == "Faktura 2026-0042 från Ek Spårteknik AB"
    assert files_of(mail) == [
        ("faktura-2026-0042.pdf", "application/pdf", INVOICE_PDF),
        ("faktura-2026-0042.xml", "application/xml", INVOICE_XML),
        ("tidrapport-mars.pdf", "application/pdf", TIMESHEET_PDF),
    ]
    for phrase in [
        "Ek Spårteknik AB har skickat faktura 2026-0042 till Infranord AB",
        "Att betala: 12\u00a0345,50\u00a0SEK",
        "Förfallodatum: 2026-04-30",
        "Amount due: 12,345.50\u00a0SEK, due on 30 Apr 2026.",
    ]:
        assert phrase in mail.text, phrase
    assert "12\u00a0345,50\u00a0SEK" in mail.html
    assert "<li>tidrapport-mars.pdf</li>" in mail.html

    (delivered,) = await bus.wait_for(lambda e: e.type == "invoice.delivered")
    assert delivered.payload["invoice_id"] == str(event.invoice_id)
    assert delivered.payload["recipient"] == BUYER
    # The delivery continues the story of the rendered invoice.
    assert delivered.correlation_id == envelope.correlation_id
    assert delivered.causation_id == envelope.event_id
    assert await published(bus, notifier, "invoice.delivered") == [delivered]


@pytest.mark.parametrize(
    ("language", "subject", "phrases"),
    [
        (
            "sv",
            "Faktura 2026-0042 har skickats till Infranord AB",
            [
                "Gratulerar, du har skickat faktura 2026-0042 till Infranord AB!",
                f"e-post till {BUYER}",
                "Att betala: 12\u00a0345,50\u00a0SEK",
            ],
        ),
        (
            "en",
            "Invoice 2026-0042 has been sent to Infranord AB",
            [
                "Congratulations, you have sent invoice 2026-0042 to Infranord AB!",
                f"e-mailed to {BUYER}",
                "Amount due: 12,345.50\u00a0SEK",
                "Due date: 30 Apr 2026",
            ],
        ),
    ],
)
async def test_the_supplier_gets_a_confirmation_in_its_language(
    notifier: Notifier, language: str, subject: str, phrases: list[str]
) -> None:
    event = events.invoice_rendered(language=language)
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    mail = await notifier.wait_for_mail(envelope, "invoice_confirmation")

    assert mail.recipients == (SUPPLIER,)
    assert mail.subject == subject
    for phrase in phrases:
        assert phrase in mail.text, phrase
    link = f"{PUBLIC_URL}/invoices/{event.invoice_id}"
    assert link in mail.text
    assert f'href="{link}"' in mail.html
    assert list(mail.message.iter_attachments()) == []
    # The buyer's mail is in Swedish whatever the supplier reads.
    buyer = await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    assert buyer.subject == "Faktura 2026-0042 från Ek Spårteknik AB"


async def test_a_credit_note_is_named_so(notifier: Notifier) -> None:
    event = events.invoice_rendered(kind="credit_note", number="K-7", attachments=[])
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    mail = await notifier.wait_for_mail(envelope, "invoice_to_buyer")

    assert mail.subject == "Kreditfaktura K-7 från Ek Spårteknik AB"
    assert [name for name, *_ in files_of(mail)] == [
        "kreditfaktura-K-7.pdf",
        "kreditfaktura-K-7.xml",
    ]
    assert "Att erhålla: 12\u00a0345,50\u00a0SEK" in mail.text
    assert "Förfallodatum" not in mail.text


async def test_a_redelivered_invoice_is_mailed_and_announced_once(
    notifier: Notifier, bus: EventTap
) -> None:
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    envelope = wrap(event, producer="renderer")
    await notifier.publish_envelope(envelope)
    await notifier.publish_envelope(envelope)

    await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    await notifier.wait_for_mail(envelope, "invoice_confirmation")

    async def duplicates() -> float:
        return notifier.consumed(envelope, "duplicate")

    await eventually(duplicates)
    await applied_once(notifier, envelope)
    assert await mail_count(notifier) == 2
    assert len(await published(bus, notifier, "invoice.delivered")) == 1
    assert len([m for m in notifier.catcher.store.messages() if BUYER in m.recipients]) == 1


async def test_an_invoice_waits_while_the_file_store_is_away_and_is_delivered_once_after(
    notifier: Notifier, bus: EventTap, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.consumer")
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    await notifier.files_proxy.cut()
    try:
        envelope = await notifier.publish(event)

        async def retried() -> bool:
            waits = [r for r in caplog.records if "waiting for what it needs" in r.getMessage()]
            return len(waits) >= 3

        await eventually(retried)
        assert await mail_count(notifier) == 0
    finally:
        await notifier.files_proxy.start()

    await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    assert len(await published(bus, notifier, "invoice.delivered")) == 1
    await applied_once(notifier, envelope)
    assert notifier.app_metric("portal_events_dead_lettered_total", _handler_labels()) == 0


async def test_a_file_not_in_the_store_yet_is_waited_for(
    notifier: Notifier, bus: EventTap, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.consumer")
    event = events.invoice_rendered()
    await hold_files(notifier, event, xml=False)
    envelope = await notifier.publish(event)

    async def asked_twice() -> bool:
        missing = [r for r in caplog.records if "FileMissing" in r.getMessage()]
        return len(missing) >= 2

    await eventually(asked_twice)
    assert await mail_count(notifier) == 0
    await notifier.files.put([INVOICE_XML])

    mail = await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    assert ("faktura-2026-0042.xml", "application/xml", INVOICE_XML) in files_of(mail)
    assert len(await published(bus, notifier, "invoice.delivered")) == 1


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("pdf", "PDF: SHA-256 does not match"),
        ("attachment_bytes", "attachment tidrapport-mars.pdf: SHA-256 does not match"),
        ("attachment_size", "attachment tidrapport-mars.pdf: 58 bytes, expected 57"),
    ],
)
async def test_a_file_that_is_not_the_announced_one_fails_the_delivery(
    notifier: Notifier, bus: EventTap, tamper: str, reason: str
) -> None:
    event = events.invoice_rendered()
    attachment = event.attachments[0].sha256
    match tamper:
        case "pdf":
            await store_under(notifier, event.pdf_sha256, INVOICE_PDF.replace(b"0042", b"0043"))
        case "attachment_bytes":
            await store_under(notifier, attachment, TIMESHEET_PDF.replace(b"mars", b"juni"))
        case _:
            await store_under(notifier, attachment, TIMESHEET_PDF + b"\n")
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    (failed,) = await bus.wait_for(lambda e: e.type == "invoice.delivery_failed")

    assert failed.payload["invoice_id"] == str(event.invoice_id)
    assert failed.payload["reason"] == reason
    assert failed.causation_id == envelope.event_id
    await applied_once(notifier, envelope)
    assert await mail_count(notifier) == 0
    assert await published(bus, notifier, "invoice.delivered") == []
    assert len(await published(bus, notifier, "invoice.delivery_failed")) == 1


async def test_a_buyer_address_refused_for_good_fails_the_delivery(
    notifier: Notifier, bus: EventTap
) -> None:
    notifier.catcher.smtp.refuse(BUYER, "550 5.1.1 Mailbox unavailable")
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    (failed,) = await bus.wait_for(lambda e: e.type == "invoice.delivery_failed")

    assert failed.payload["invoice_id"] == str(event.invoice_id)
    assert failed.payload["reason"] == f"{BUYER}: 550 5.1.1 Mailbox unavailable"
    assert failed.correlation_id == envelope.correlation_id
    row = await notifier.mail_row(envelope.event_id, "invoice_to_buyer")
    assert row is not None
    assert row["status"] == "failed"
    assert not [m for m in notifier.catcher.store.messages() if BUYER in m.recipients]
    assert await published(bus, notifier, "invoice.delivered") == []
    assert len(await published(bus, notifier, "invoice.delivery_failed")) == 1


async def test_a_deferring_buyer_server_delays_the_delivery_without_failing_it(
    notifier: Notifier, bus: EventTap
) -> None:
    notifier.catcher.smtp.refuse(BUYER, "451 4.7.1 Greylisted, try again")
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    async def deferred() -> asyncpg.Record | None:
        row = await notifier.mail_row(envelope.event_id, "invoice_to_buyer")
        return row if row is not None and row["attempts"] >= 1 else None

    row = await eventually(deferred)
    assert row["status"] == "pending"
    assert await published(bus, notifier, "invoice.delivery_failed") == []
    notifier.catcher.smtp.accept(BUYER)

    await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    assert len(await published(bus, notifier, "invoice.delivered")) == 1


async def test_only_the_buyer_mail_announces_the_delivery(notifier: Notifier) -> None:
    event = events.invoice_rendered()
    await hold_files(notifier, event)
    envelope = await notifier.publish(event)

    await notifier.wait_for_mail(envelope, "invoice_confirmation")

    buyer = await notifier.mail_row(envelope.event_id, "invoice_to_buyer")
    supplier = await notifier.mail_row(envelope.event_id, "invoice_confirmation")
    assert buyer is not None
    assert supplier is not None
    assert buyer["delivers_invoice_id"] == event.invoice_id
    assert supplier["delivers_invoice_id"] is None


def _handler_labels() -> dict[str, str]:
    return {"consumer": "notifier.mail", "reason": "handler"}
