"""The running renderer on real PostgreSQL and RabbitMQ: sent invoices become stored documents and
an event, previews come from the pool or the cache, and nothing answers without the secret."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pikepdf
import pytest

from devtools.peppol.schema import schema_errors
from services.renderer.views import PREVIEWS
from shared.invoices import Invoice
from tests.renderer import factories
from tests.renderer.conftest import SECRET, Renderer, eventually
from tests.renderer.pdf_reading import flat_text, pages

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


async def with_attachments(
    renderer: Renderer, *files: tuple[str, bytes], **changes: Any
) -> Invoice:
    """An invoice whose attachments are in the file store, as the invoice service leaves them."""
    await renderer.files.put(content for _, content in files)
    return unstored(*files, **changes)


def unstored(*files: tuple[str, bytes], **changes: Any) -> Invoice:
    """An invoice with attachments not (yet) in the file store."""
    attachments = [factories.attachment(content, name) for name, content in files]
    return factories.invoice(attachments=attachments, **changes)


async def test_a_sent_invoice_is_rendered_stored_and_announced(renderer: Renderer) -> None:
    report, photo = factories.pdf_bytes("tidrapport"), b"\xff\xd8\xff\xe0" + bytes(range(200))
    item = await with_attachments(renderer, ("tidrapport-mars.pdf", report), ("foto.jpg", photo))
    sent = factories.invoice_sent(item)

    envelope = await renderer.publish(sent)
    outcome = await renderer.outcome(item.id)

    assert outcome.type == "invoice.rendered", outcome.payload
    assert outcome.producer == "renderer"
    assert (outcome.correlation_id, outcome.causation_id) == (
        envelope.correlation_id,
        envelope.event_id,
    )
    rendered = outcome.payload
    assert {k: rendered[k] for k in rendered if not k.endswith(("sha256", "rendered_at"))} == {
        "invoice_id": str(item.id),
        "kind": "invoice",
        "number": "2026-0142",
        "seller_name": "Ek Spårteknik AB",
        "buyer_name": "Infranord AB",
        "buyer_email": "leverantorsfakturor@infranord.example",
        "sender_email": "karin.berg@ekspar.example",
        "language": "sv",
        "payable": "58430.88",
        "currency": "SEK",
        "due_date": "2026-04-01",
        "attachments": [a.model_dump(mode="json") for a in item.attachments],
        "channels": ["mail"],
        "peppol_sender": None,
        "peppol_receiver": None,
    }

    status, headers, pdf = await renderer.call("GET", f"/internal/v1/invoices/{item.id}/pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == rendered["pdf_sha256"]
    assert headers["ETag"] == f'"{rendered["pdf_sha256"]}"'
    text = flat_text(pdf)
    assert "Faktura" in text and "Att betala 58 430,88 SEK" in text

    status, headers, xml = await renderer.call("GET", f"/internal/v1/invoices/{item.id}/xml")
    assert status == 200
    assert headers["Content-Type"].startswith("application/xml")
    assert hashlib.sha256(xml).hexdigest() == rendered["xml_sha256"]
    assert schema_errors(xml) == []
    root = ET.fromstring(xml)  # noqa: S314 (our own XML)
    embedded = [
        base64.b64decode(e.text or "")
        for e in root.findall(
            "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS
        )
    ]
    assert embedded[1:] == [report, photo]
    # The PDF the buyer gets carries this XML; the one inside the XML is that PDF without it.
    assert pages(embedded[0]) == pages(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as archive:
        (spec,) = archive.Root.AF
        assert spec.EF.F.read_bytes() == xml
    with pikepdf.open(io.BytesIO(embedded[0])) as inner:
        assert "/AF" not in inner.Root
    # Where the notifier reads them, by the hashes the event carries.
    assert await renderer.files.get(rendered["pdf_sha256"]) == pdf
    assert await renderer.files.get(rendered["xml_sha256"]) == xml


async def test_a_credit_note_in_english(renderer: Renderer) -> None:
    item = factories.credit_note()

    await renderer.publish(factories.invoice_sent(item, language="en"))
    outcome = await renderer.outcome(item.id)

    assert outcome.type == "invoice.rendered", outcome.payload
    assert (outcome.payload["kind"], outcome.payload["language"]) == ("credit_note", "en")
    _, _, pdf = await renderer.call("GET", f"/internal/v1/invoices/{item.id}/pdf")
    assert "Credit note" in flat_text(pdf)
    _, _, xml = await renderer.call("GET", f"/internal/v1/invoices/{item.id}/xml")
    assert ET.fromstring(xml).tag.endswith("}CreditNote")  # noqa: S314 (our own XML)
    assert schema_errors(xml) == []


async def test_an_attachment_that_is_not_what_was_sent_fails_the_rendering(
    renderer: Renderer,
) -> None:
    item = unstored(("tidrapport.pdf", factories.pdf_bytes("original")))
    attachment, tampered = item.attachments[0], factories.pdf_bytes("tampered")
    async with renderer.files.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO files (sha256, size, content) VALUES ($1, $2, $3)",
            attachment.sha256,
            len(tampered),
            tampered,
        )

    await renderer.publish(factories.invoice_sent(item))
    outcome = await renderer.outcome(item.id)

    assert outcome.type == "invoice.rendering_failed"
    assert outcome.payload["reason"] == "attachment tidrapport.pdf: SHA-256 does not match"
    status, _, _ = await renderer.call("GET", f"/internal/v1/invoices/{item.id}/pdf")
    assert status == 404


async def test_an_invoice_without_a_buyer_address_fails_with_a_reason(renderer: Renderer) -> None:
    item = factories.invoice(buyer=factories.BUYER.model_copy(update={"email": None}))

    await renderer.publish(factories.invoice_sent(item))
    outcome = await renderer.outcome(item.id)

    assert outcome.type == "invoice.rendering_failed"
    assert "e-mail" in outcome.payload["reason"]


async def test_an_invoice_whose_attachment_is_not_in_the_file_store_yet_waits_for_it(
    renderer: Renderer,
) -> None:
    report = ("tidrapport.pdf", factories.pdf_bytes("outage"))
    item = unstored(report)

    await renderer.publish(factories.invoice_sent(item))
    with pytest.raises(TimeoutError):
        await renderer.outcome(item.id, timeout=1.5)
    await renderer.files.put([report[1]])
    outcome = await renderer.outcome(item.id)

    assert outcome.type == "invoice.rendered", outcome.payload


async def test_a_redelivered_event_renders_once(renderer: Renderer) -> None:
    item = factories.invoice()
    sent = factories.invoice_sent(item)
    duplicates_before = renderer.consumed("duplicate")

    envelope = await renderer.publish(sent)
    await renderer.outcome(item.id)
    await renderer.publish_envelope(envelope)

    await eventually(lambda: renderer.consumed("duplicate") > duplicates_before)
    rendered = [
        e
        for e in renderer.events.envelopes
        if e.type == "invoice.rendered" and e.payload["invoice_id"] == str(item.id)
    ]
    assert len(rendered) == 1


async def stored_documents(renderer: Renderer, invoice_id: uuid.UUID) -> tuple[bytes, bytes]:
    """The PDF and XML the renderer serves for the invoice."""
    documents = []
    for kind in ("pdf", "xml"):
        status, _, content = await renderer.call(
            "GET", f"/internal/v1/invoices/{invoice_id}/{kind}"
        )
        assert status == 200, content
        documents.append(content)
    return documents[0], documents[1]


def announced(renderer: Renderer, invoice_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        e.payload
        for e in renderer.events.envelopes
        if e.type == "invoice.rendered" and e.payload["invoice_id"] == str(invoice_id)
    ]


async def test_another_document_sent_under_the_same_id_is_refused(renderer: Renderer) -> None:
    item = factories.invoice()
    await renderer.publish(factories.invoice_sent(item))
    await renderer.outcome(item.id)
    first = await stored_documents(renderer, item.id)
    refused_before = renderer.consumed("refused")

    forged = item.model_copy(
        update={"buyer": factories.BUYER.model_copy(update={"name": "Kapare AB"})}
    )
    await renderer.publish(factories.invoice_sent(forged))
    await eventually(
        lambda: (
            renderer.consumed("refused") > refused_before or len(announced(renderer, item.id)) > 1
        )
    )

    assert await stored_documents(renderer, item.id) == first
    assert len(announced(renderer, item.id)) == 1
    assert renderer.consumed("refused") == refused_before + 1


async def test_the_same_document_sent_again_is_announced_with_the_documents_first_written(
    renderer: Renderer,
) -> None:
    item = factories.invoice()
    await renderer.publish(factories.invoice_sent(item))
    await renderer.outcome(item.id)
    first = await stored_documents(renderer, item.id)

    # A retry after the delivery failed: the same frozen document, sent by another user, later.
    again = factories.invoice_sent(item, sender_email="olle.strom@ekspar.example", language="en")
    await renderer.publish(again)
    await eventually(lambda: len(announced(renderer, item.id)) > 1)

    assert await stored_documents(renderer, item.id) == first
    original, repeated = announced(renderer, item.id)
    hashes = ("pdf_sha256", "xml_sha256")
    assert [repeated[h] for h in hashes] == [original[h] for h in hashes]
    assert repeated["pdf_sha256"] == hashlib.sha256(first[0]).hexdigest()
    assert (repeated["sender_email"], repeated["language"]) == ("olle.strom@ekspar.example", "en")


async def test_a_preview_is_rendered_once_and_then_served_from_the_cache(
    renderer: Renderer,
) -> None:
    body = {"invoice": factories.invoice(number="UTKAST-1").model_dump(mode="json")}
    cache = renderer.app[PREVIEWS]
    hits = cache.hits

    status, headers, first = await renderer.call("POST", "/internal/v1/previews", json=body)
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Preview-Cache"] == "miss"
    assert "Fakturanummer UTKAST-1" in flat_text(first)

    status, headers, second = await renderer.call("POST", "/internal/v1/previews", json=body)
    assert (status, headers["X-Preview-Cache"], second) == (200, "hit", first)
    assert cache.hits == hits + 1

    status, headers, english = await renderer.call(
        "POST", "/internal/v1/previews", json=body | {"language": "en"}
    )
    assert (status, headers["X-Preview-Cache"]) == (200, "miss")
    assert "Invoice number UTKAST-1" in flat_text(english)


async def test_an_invalid_draft_gets_field_errors(renderer: Renderer) -> None:
    draft = factories.invoice().model_dump(mode="json")
    draft["lines"][0]["quantity"] = "många"
    del draft["due_date"]

    status, _, body = await renderer.call(
        "POST",
        "/internal/v1/previews",
        json={"invoice": draft, "language": "de"},
        headers={"Accept-Language": "en"},
    )

    assert status == 422
    fields = json.loads(body)["error"]["fields"]
    assert set(fields) == {"invoice.lines.0.quantity", "invoice.due_date", "language"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/internal/v1/previews"),
        ("GET", f"/internal/v1/invoices/{uuid.uuid4()}/pdf"),
        ("GET", f"/internal/v1/invoices/{uuid.uuid4()}/xml"),
    ],
)
@pytest.mark.parametrize("token", [None, "wrong-secret", SECRET[:-1], SECRET + "x"])
async def test_every_route_wants_the_internal_secret(
    renderer: Renderer, method: str, path: str, token: str | None
) -> None:
    status, _, _ = await renderer.call(method, path, token=token, json={})

    assert status == 401


async def test_documents_of_an_unknown_invoice_are_not_found(renderer: Renderer) -> None:
    for path in (f"/internal/v1/invoices/{uuid.uuid4()}/pdf", "/internal/v1/invoices/x/xml"):
        status, _, _ = await renderer.call("GET", path)
        assert status == 404


async def test_health_covers_the_database_and_the_broker(renderer: Renderer) -> None:
    status, _, body = await renderer.call("GET", "/healthz", token=None)

    assert status == 200
    assert b'"database_reachable": true' in body and b'"broker_connected": true' in body
