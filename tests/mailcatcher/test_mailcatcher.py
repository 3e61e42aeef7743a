"""The mail catcher, spoken to as the services and tests will: SMTP in, Mailpit's JSON API out."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator
from email.message import EmailMessage

import aiohttp
import aiosmtplib
import pytest

from devtools.mailcatcher import MailCatcher

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
async def http(mailcatcher: MailCatcher) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=mailcatcher.http_url) as session:
        yield session


def plain(subject: str = "Hej", to: str = "Anna Andersson <anna@example.se>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Leverantörsportalen <no-reply@leverantorsportalen.se>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<plain.1@leverantorsportalen>"
    message.set_content("Första raden.\nAndra raden.\n")
    return message


def alternative() -> EmailMessage:
    message = plain("Both bodies")
    message.add_alternative("<p>HTML <b>body</b></p>", subtype="html")
    return message


def with_pdf() -> EmailMessage:
    message = alternative()
    message.replace_header("Subject", "Faktura 17")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="faktura-17.pdf")
    return message


async def send(
    catcher: MailCatcher, message: EmailMessage, recipients: list[str] | None = None
) -> None:
    await aiosmtplib.send(
        message, recipients=recipients, hostname=catcher.host, port=catcher.smtp_port, timeout=10
    )


async def test_a_plain_message_is_listed_as_mailpit_lists_it(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, plain())
    await mailcatcher.store.wait_for()

    async with http.get("/api/v1/messages") as response:
        assert response.status == 200
        listing = await response.json()

    assert listing["total"] == listing["unread"] == listing["count"] == 1
    assert listing["messages_count"] == 1
    assert listing["start"] == 0
    assert listing["tags"] == []
    (summary,) = listing["messages"]
    assert summary["From"] == {
        "Name": "Leverantörsportalen",
        "Address": "no-reply@leverantorsportalen.se",
    }
    assert summary["To"] == [{"Name": "Anna Andersson", "Address": "anna@example.se"}]
    assert summary["Cc"] == summary["Bcc"] == summary["ReplyTo"] == summary["Tags"] == []
    assert summary["Subject"] == "Hej"
    assert summary["MessageID"] == "plain.1@leverantorsportalen"
    assert summary["Read"] is False
    assert summary["Attachments"] == 0
    assert summary["Snippet"] == "Första raden. Andra raden."
    assert summary["Size"] == len(mailcatcher.store.messages()[0].raw)
    assert RFC3339.match(summary["Created"])


async def test_both_bodies_are_shown_and_reading_marks_read(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, alternative())
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get(f"/api/v1/message/{caught.id}") as response:
        assert response.status == 200
        message = await response.json()

    assert message["ID"] == caught.id
    assert message["Subject"] == "Both bodies"
    assert message["Text"] == "Första raden.\nAndra raden.\n"
    assert message["HTML"] == "<p>HTML <b>body</b></p>\n"
    assert message["Attachments"] == message["Inline"] == []
    assert message["ReturnPath"] == "no-reply@leverantorsportalen.se"
    assert RFC3339.match(message["Date"])
    async with http.get("/api/v1/messages") as response:
        listing = await response.json()
    assert listing["unread"] == 0
    assert listing["messages"][0]["Read"] is True


async def test_an_attachment_is_described_and_downloadable(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, with_pdf())
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get("/api/v1/messages") as response:
        assert (await response.json())["messages"][0]["Attachments"] == 1
    async with http.get(f"/api/v1/message/{caught.id}") as response:
        message = await response.json()
    assert message["Text"].startswith("Första raden.")
    assert message["HTML"].startswith("<p>HTML")
    (attachment,) = message["Attachments"]
    assert attachment == {
        "PartID": "2",
        "FileName": "faktura-17.pdf",
        "ContentType": "application/pdf",
        "ContentID": "",
        "Size": len(PDF),
    }

    async with http.get(f"/api/v1/message/{caught.id}/part/2") as response:
        assert response.status == 200
        assert response.content_type == "application/pdf"
        assert await response.read() == PDF
    async with http.get(f"/api/v1/message/{caught.id}/part/9") as response:
        assert response.status == 404
        assert (await response.json())["Error"] == "part not found"


async def test_blind_copies_come_from_the_envelope(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, plain(), recipients=["anna@example.se", "audit@example.se"])
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get(f"/api/v1/message/{caught.id}") as response:
        message = await response.json()
    assert message["Bcc"] == [{"Name": "", "Address": "audit@example.se"}]


async def test_messages_are_newest_first_and_paged(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    for number in range(3):
        await send(mailcatcher, plain(f"Nummer {number}"))
    await mailcatcher.store.wait_for(count=3)

    async with http.get("/api/v1/messages") as response:
        listing = await response.json()
    assert [m["Subject"] for m in listing["messages"]] == ["Nummer 2", "Nummer 1", "Nummer 0"]

    async with http.get("/api/v1/messages", params={"start": "1", "limit": "1"}) as response:
        page = await response.json()
    assert page["total"] == 3
    assert page["count"] == 1
    assert page["start"] == 1
    assert [m["Subject"] for m in page["messages"]] == ["Nummer 1"]

    async with http.get("/api/v1/messages", params={"limit": "many"}) as response:
        assert response.status == 400


async def test_raw_source_is_what_was_sent(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, plain("Rå källa"))
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get(f"/api/v1/message/{caught.id}/raw") as response:
        assert response.status == 200
        raw = await response.read()
    assert raw == caught.raw
    assert b"Message-ID: <plain.1@leverantorsportalen>" in raw


async def test_delete_some_then_all(mailcatcher: MailCatcher, http: aiohttp.ClientSession) -> None:
    for number in range(3):
        await send(mailcatcher, plain(f"Nummer {number}"))
    first, second, third = await mailcatcher.store.wait_for(count=3)

    async with http.delete("/api/v1/messages", json={"IDs": [first.id, third.id]}) as response:
        assert response.status == 200
    assert [m.id for m in mailcatcher.store.messages()] == [second.id]

    async with http.delete("/api/v1/messages") as response:
        assert response.status == 200
    assert len(mailcatcher.store) == 0


async def test_an_unknown_message_is_a_json_404(http: aiohttp.ClientSession) -> None:
    for path in ("/api/v1/message/nope", "/api/v1/message/nope/raw", "/view/nope"):
        async with http.get(path) as response:
            assert response.status == 404
            assert await response.json() == {"Error": "message not found"}


async def test_latest_names_the_newest_message(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, plain("Äldre"))
    await send(mailcatcher, plain("Nyare"))
    await mailcatcher.store.wait_for(count=2)

    async with http.get("/api/v1/message/latest") as response:
        assert (await response.json())["Subject"] == "Nyare"


async def test_the_inbox_escapes_what_senders_control(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    message = plain("<script>alert(1)</script>", to='"<b>Eve</b>" <eve@example.se>')
    message.add_alternative('<p onclick="x()">Hi "there"</p><script>alert(2)</script>', "html")
    await send(mailcatcher, message)
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get("/") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        inbox = await response.text()
    assert "<script>" not in inbox
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inbox
    assert "&lt;b&gt;Eve&lt;/b&gt;" in inbox
    assert f'href="/view/{caught.id}"' in inbox

    async with http.get(f"/view/{caught.id}") as response:
        page = await response.text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (iframe,) = re.findall(r"<iframe[^>]*>", page)
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in iframe
    assert "onclick=&#34;x()&#34;" in iframe
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in iframe
    assert "Första raden." in page


async def test_the_message_page_links_attachments(
    mailcatcher: MailCatcher, http: aiohttp.ClientSession
) -> None:
    await send(mailcatcher, with_pdf())
    (caught,) = await mailcatcher.store.wait_for()

    async with http.get(f"/view/{caught.id}") as response:
        page = await response.text()
    assert f'href="/api/v1/message/{caught.id}/part/2">faktura-17.pdf</a>' in page


async def test_smtp_stops_and_restarts_on_the_same_port(mailcatcher: MailCatcher) -> None:
    port = mailcatcher.smtp_port
    await mailcatcher.smtp.stop()
    with pytest.raises(aiosmtplib.SMTPConnectError):
        await send(mailcatcher, plain("Under avbrottet"))

    await mailcatcher.smtp.start()
    assert mailcatcher.smtp_port == port
    await send(mailcatcher, plain("Efter avbrottet"))
    (caught,) = await mailcatcher.store.wait_for()
    assert caught.subject == "Efter avbrottet"


async def test_stopping_drops_an_open_session(mailcatcher: MailCatcher) -> None:
    client = aiosmtplib.SMTP(hostname=mailcatcher.host, port=mailcatcher.smtp_port, timeout=10)
    await client.connect()
    await asyncio.wait_for(mailcatcher.smtp.stop(), 5)
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await client.send_message(plain())


async def test_refused_recipients_get_the_chosen_reply(mailcatcher: MailCatcher) -> None:
    mailcatcher.smtp.refuse("Anna@Example.se")
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await send(mailcatcher, plain())
    assert refused.value.recipients[0].code == 550

    mailcatcher.smtp.refuse("anna@example.se", "451 4.3.0 Try again later")
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as deferred:
        await send(mailcatcher, plain())
    assert deferred.value.recipients[0].code == 451

    mailcatcher.smtp.accept("anna@example.se")
    await send(mailcatcher, plain())
    assert len(await mailcatcher.store.wait_for()) == 1


async def test_waiting_in_vain_says_what_arrived(mailcatcher: MailCatcher) -> None:
    await send(mailcatcher, plain("Fel ämne"))
    with pytest.raises(TimeoutError, match="Fel ämne"):
        await mailcatcher.store.wait_for(lambda m: m.subject == "Rätt ämne", timeout=0.2)


async def test_the_command_runs_until_interrupted() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devtools.mailcatcher",
        "--smtp-port",
        "0",
        "--http-port",
        "0",
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        line = (await asyncio.wait_for(process.stderr.readline(), 20)).decode()
        match = re.search(r"SMTP on 127\.0\.0\.1:(\d+), inbox at (http://\S+)", line)
        assert match, line
        await aiosmtplib.send(plain("Via kommandot"), hostname="127.0.0.1", port=int(match[1]))
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{match[2]}/api/v1/messages") as response,
        ):
            listing = await response.json()
        assert listing["messages"][0]["Subject"] == "Via kommandot"
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 20) == 0
