"""The running notifier on real PostgreSQL, RabbitMQ and SMTP: every mail arrives, and only once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import asyncpg
import pytest

from services.notifier.db import Attachment, NewMail, insert_mail
from services.notifier.handlers import on_password_changed
from services.notifier.rendering import Renderer
from shared.events import Envelope, Event, wrap
from shared.topology import dead_letter_queue
from tests.conftest import ADMIN_DSN
from tests.notifier import events
from tests.notifier.conftest import PUBLIC_URL, Notifier
from tests.waiting import eventually

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


async def test_a_confirmation_mail_arrives_with_its_link_and_code(notifier: Notifier) -> None:
    envelope = await notifier.publish(events.email_confirmation_requested())

    mail = await notifier.wait_for_mail(envelope, "email_confirmation")

    assert mail.recipients == ("anna@example.se",)
    assert mail.subject == "Bekräfta din e-postadress"
    assert str(mail.message["From"]) == "Leverantörsportalen <no-reply@leverantorsportalen.se>"
    link = f"{PUBLIC_URL}/confirm?token=link%2Ftoken%2B1%3D"
    assert link in mail.text
    assert f'href="{link}"' in mail.html
    assert "Verifieringskod (verification code): 482915" in mail.text
    assert "giltig i 24 timmar" in mail.text
    assert "giltig i 30 minuter" in mail.text
    assert notifier.app_metric("portal_mails_sent_total") == 1


@pytest.mark.parametrize(
    ("make", "kind", "recipient", "subject", "phrase"),
    [
        (
            events.registration_attempted,
            "existing_account",
            "anna@example.se",
            "Someone tried to register with your e-mail address",
            f"{PUBLIC_URL}/login",
        ),
        (
            events.password_reset_requested,
            "password_reset",
            "anna@example.se",
            "Reset your password",
            f"{PUBLIC_URL}/password/reset?token=reset%26token",
        ),
        (
            events.password_changed,
            "password_changed",
            "anna@example.se",
            "Your password has been changed",
            "3 Mar 2025 at 14:05",
        ),
        (
            events.supplier_invited,
            "supplier_invitation",
            "bertil@example.se",
            "Byggbolaget AB invites you to Leverantörsportalen",
            f"{PUBLIC_URL}/register?invitation=invite%20token",
        ),
    ],
)
async def test_every_subscribed_event_sends_its_mail(
    notifier: Notifier,
    make: Callable[..., Event],
    kind: str,
    recipient: str,
    subject: str,
    phrase: str,
) -> None:
    envelope = await notifier.publish(make(language="en"))

    mail = await notifier.wait_for_mail(envelope, kind)

    assert mail.recipients == (recipient,)
    assert mail.subject == subject
    assert phrase in mail.text


async def test_a_redelivered_event_sends_one_mail(notifier: Notifier) -> None:
    envelope = wrap(events.password_changed(), producer="test")
    await notifier.publish_envelope(envelope)
    await notifier.publish_envelope(envelope)

    await notifier.wait_for_mail(envelope, "password_changed")

    async def duplicates() -> float:
        return notifier.consumed(envelope, "duplicate")

    await eventually(duplicates)
    assert notifier.consumed(envelope, "applied") == 1
    async with notifier.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM mails") == 1


async def test_a_handler_run_twice_for_one_event_stores_one_mail(notifier: Notifier) -> None:
    item = events.password_changed()
    envelope = wrap(item, producer="test")
    renderer = Renderer(public_url=PUBLIC_URL, support_email="support@portal.example")
    for _ in range(2):
        async with notifier.pool.acquire() as conn, conn.transaction():
            await on_password_changed(conn, envelope, item, renderer=renderer)

    async with notifier.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM mails") == 1


async def test_an_unreadable_message_is_dead_lettered_and_the_next_is_sent(
    notifier: Notifier,
) -> None:
    routing_key = events.password_changed().routing_key()
    await notifier.broker.publish(routing_key, b"not json", uuid.uuid4())
    envelope = await notifier.publish(events.password_changed())

    await notifier.wait_for_mail(envelope, "password_changed")
    channel = await notifier.broker.connection.channel()
    try:
        dead = await channel.get_queue(
            dead_letter_queue(notifier.settings.queue_prefix + "notifier.mail")
        )
        async with dead.iterator() as messages:
            message = await asyncio.wait_for(anext(messages), 10)
            await message.ack()
        assert message.body == b"not json"
    finally:
        await channel.close()


async def test_mail_waits_while_smtp_is_down_and_arrives_once_after(notifier: Notifier) -> None:
    await notifier.catcher.smtp.stop()
    envelope = await notifier.publish(events.password_reset_requested())

    row = await eventually(lambda: _failed_attempt(notifier, envelope, "password_reset"))
    assert row["status"] == "pending"
    assert "SMTPConnectError" in row["last_error"]
    await notifier.catcher.smtp.start()

    await notifier.wait_for_mail(envelope, "password_reset")
    sent = await notifier.mail_row(envelope.event_id, "password_reset")
    assert sent is not None
    assert sent["attempts"] >= 2


async def test_a_deferring_server_gets_the_mail_on_a_later_attempt(notifier: Notifier) -> None:
    notifier.catcher.smtp.refuse("anna@example.se", "451 4.7.1 Greylisted, try again")
    envelope = await notifier.publish(events.password_changed())

    row = await eventually(lambda: _failed_attempt(notifier, envelope, "password_changed"))
    assert "451" in row["last_error"]
    notifier.catcher.smtp.accept("anna@example.se")

    await notifier.wait_for_mail(envelope, "password_changed")


async def test_a_rejected_recipient_fails_that_mail_only(notifier: Notifier) -> None:
    notifier.catcher.smtp.refuse("nobody@example.se")
    rejected = await notifier.publish(events.password_changed(email="nobody@example.se"))
    accepted = await notifier.publish(events.password_changed())

    await notifier.wait_for_mail(accepted, "password_changed")

    async def failed() -> asyncpg.Record | None:
        row = await notifier.mail_row(rejected.event_id, "password_changed")
        return row if row is not None and row["status"] == "failed" else None

    row = await eventually(failed)
    assert row["last_error"] == "nobody@example.se: 550 5.1.1 Mailbox unavailable"
    assert row["sent_at"] is None


async def test_attachments_are_sent_with_the_mail(notifier: Notifier) -> None:
    event_id = uuid.uuid4()
    async with notifier.pool.acquire() as conn, conn.transaction():
        await insert_mail(
            conn,
            NewMail(
                event_id=event_id,
                kind="invoice",
                recipient="ekonomi@example.se",
                subject="Faktura 17",
                text_body="Fakturan bifogas.\n",
                html_body="<p>Fakturan bifogas.</p>\n",
                message_id=f"<{event_id}.invoice@leverantorsportalen>",
                attachments=(
                    Attachment(
                        filename="faktura-17.pdf", content_type="application/pdf", content=PDF
                    ),
                    Attachment(
                        filename="faktura-17.xml",
                        content_type="application/xml",
                        content=b"<Invoice/>",
                    ),
                ),
            ),
        )

    (mail,) = await notifier.catcher.store.wait_for(lambda m: m.subject == "Faktura 17")

    files = [
        (p.get_filename(), p.get_content_type(), p.get_content())
        for p in mail.message.iter_attachments()
    ]
    assert files == [
        ("faktura-17.pdf", "application/pdf", PDF),
        ("faktura-17.xml", "application/xml", b"<Invoice/>"),
    ]


async def test_mail_still_flows_after_the_database_drops_every_connection(
    notifier: Notifier, caplog: pytest.LogCaptureFixture
) -> None:
    first = await notifier.publish(events.password_changed())
    await notifier.wait_for_mail(first, "password_changed")

    database = notifier.settings.database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        dropped = await admin.fetchval(
            """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
               WHERE datname = $1 AND pid <> pg_backend_pid()""",
            database,
        )
    finally:
        await admin.close()
    assert dropped >= 2  # the pool and the mailer's listener at least

    await eventually(notifier.listening)
    second = await notifier.publish(events.password_changed())
    await notifier.wait_for_mail(second, "password_changed")
    restarts = [r for r in caplog.records if "background task mailer failed" in r.getMessage()]
    assert restarts == []


async def test_health_reports_the_database(notifier: Notifier) -> None:
    response = await notifier.client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database_reachable"] is True


async def _failed_attempt(
    notifier: Notifier, envelope: Envelope, kind: str
) -> asyncpg.Record | None:
    row = await notifier.mail_row(envelope.event_id, kind)
    return row if row is not None and row["attempts"] >= 1 else None
