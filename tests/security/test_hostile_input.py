"""Hostile input through the whole system: markup stays text on pages, in PDFs and in e-mails;
URLs in an invoice make the renderer fetch and embed nothing; files posing as PDFs, oversized
bodies and wrong types are refused with a clear answer, never a 500.

An upload is read by a PDF parser in a process of its own, with a time and a memory limit: an
encrypted file, or one with scripts, actions, embedded files, XFA or media, is refused however
its names are written. A decompression bomb is refused after bounded work: that process decodes
every stream through its whole filter chain a megabyte at a time and stops at 256 MB, so a
gigabyte bomb costs a fraction of a second and no memory; nothing else of ours ever inflates an
attachment.
"""

from __future__ import annotations

import base64
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from devtools.peppol.schema import schema_errors
from services.renderer.app import PREVIEW_LIMIT
from shared.settings import RendererSettings
from tests.invoice.conftest import Supplier
from tests.security.hostile_payloads import (
    ENCRYPTED_BY_REFERENCE,
    ENCRYPTED_IN_PLACE,
    GARBAGE_AFTER_HEADER,
    MB,
    MINIMAL_PDF,
    NOT_PDF_EXE,
    NOT_PDF_HTML,
    NOT_PDF_PNG,
    RAW_MARKUP,
    TOO_LARGE,
    TRUNCATED,
    decompression_bomb,
    escaped,
    inflates_at_least,
    markup,
    no_space,
    short_markup,
)
from tests.security.hostile_pdfs import (
    ACTIVE_CONTENT,
    encrypted_under_escaped_name,
    hex_flate_bomb,
)
from tests.security.hostile_world import (
    HostileSupplier,
    Leak,
    embedded_files,
    hostile_supplier,
    listening,
    pdf_text,
    peak_memory_kb,
    sent_document,
)
from tests.system import System
from tests.web.test_pages import csrf_of

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
SV = {"Accept-Language": "sv"}
PASSWD = "file:///etc/passwd"
LINK_PASSWD = f'<link rel="attachment" href="{PASSWD}">'


@pytest.fixture(scope="module")
async def leak() -> AsyncIterator[Leak]:
    async with listening() as leak:
        yield leak


@pytest.fixture(scope="module")
async def hostile(system: System) -> AsyncIterator[HostileSupplier]:
    async with aiohttp.ClientSession() as http:
        supplier = await hostile_supplier(system, http)
        try:
            yield supplier
        finally:
            await supplier.browser.close()


def marked_form(supplier: Supplier) -> dict[str, Any]:
    """Markup in every text of the invoice, each tagged with its field."""
    return supplier.form(
        number=short_markup("nr") + f"-{uuid.uuid4().hex[:4]}",
        buyer_order_number=short_markup("order"),
        payment_reference=short_markup("ocr"),
        buyer_reference=short_markup("ref"),
        contact_person=markup("kontakt"),
        customs_clearance_number=short_markup("tull"),
        note=markup("not"),
        lines=[
            {
                "article_id": short_markup("artikel"),
                "description": markup("rad"),
                "quantity": "2",
                "unit": "HUR",
                "unit_price": "100",
                "vat_rate": "25",
                "vat_category": "S",
            }
        ],
        charges=[
            {
                "description": markup("avgift"),
                "amount": "50",
                "vat_rate": "25",
                "vat_category": "S",
            }
        ],
    )


def invoice_texts(form: dict[str, Any]) -> list[str]:
    head = (
        "number",
        "buyer_order_number",
        "payment_reference",
        "buyer_reference",
        "contact_person",
        "customs_clearance_number",
        "note",
    )
    line, charge = form["lines"][0], form["charges"][0]
    return [form[f] for f in head] + [
        line["article_id"],
        line["description"],
        charge["description"],
    ]


# The supplier's and the buyer's texts that the invoice PDF shows.
PDF_PROFILE_FIELDS = (
    "company_name",
    "street",
    "postal_code",
    "city",
    "phone",
    "bank_name",
    "buyer_name",
    "buyer_street",
    "buyer_postal_code",
    "buyer_city",
)


@pytest.fixture(scope="module")
async def marked_invoice(hostile: HostileSupplier) -> dict[str, Any]:
    """A sent invoice with markup in every field, with its preview taken while it was a draft."""
    form = marked_form(hostile.api)
    status, draft = await hostile.api.call("POST", "/v1/me/invoices", json=form)
    assert status == 201, draft
    status, preview = await hostile.api.call("GET", f"/v1/me/invoices/{draft['id']}/preview")
    assert status == 200 and preview.startswith(b"%PDF"), preview
    status, sent = await hostile.api.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200, sent
    return {"id": draft["id"], "form": form, "preview": preview}


def assert_no_markup(where: str, html: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, (where, raw)


# 1. Markup stays text ----------------------------------------------------------------------


async def test_markup_in_every_field_is_escaped_on_the_pages(
    hostile: HostileSupplier, marked_invoice: dict[str, Any]
) -> None:
    profile, texts = hostile.profile, invoice_texts(marked_invoice["form"])
    form = marked_form(hostile.api)
    _, draft = await hostile.api.call("POST", "/v1/me/invoices", json=form)
    shown = {
        "/company": [profile["company_name"]],
        "/profile": [
            profile[f]
            for f in ("address_name", "street", "postal_code", "city", "phone", "bank_name")
        ],
        "/account": [profile["first_name"], profile["last_name"]],
        "/connections": [profile["buyer_name"]],
        "/invoices/new": [profile["buyer_name"], profile["company_name"]],
        "/invoices": [marked_invoice["form"]["number"], profile["buyer_name"]],
        # Sent: the document as the buyer got it; a draft: the form as typed.
        f"/invoices/{marked_invoice['id']}": [
            t for t in texts if t not in (form["note"], form["customs_clearance_number"])
        ]
        + [profile["buyer_name"]],
        f"/invoices/{draft['id']}": invoice_texts(form),
    }
    for path, values in shown.items():
        page = await hostile.page(path)
        assert_no_markup(path, page)
        for value in values:
            assert escaped(value) in page, (path, value)


async def test_markup_in_every_field_is_plain_text_in_the_pdf(
    hostile: HostileSupplier, marked_invoice: dict[str, Any]
) -> None:
    expected = invoice_texts(marked_invoice["form"]) + [
        hostile.profile[f] for f in PDF_PROFILE_FIELDS
    ]
    sent = await sent_document(hostile.api, marked_invoice["id"])
    for name, pdf in (("preview", marked_invoice["preview"]), ("sent", sent)):
        text = no_space(pdf_text(pdf))
        for value in expected:
            assert no_space(value) in text, (name, value)


async def test_markup_in_every_field_is_escaped_in_the_mails(
    system: System, hostile: HostileSupplier, marked_invoice: dict[str, Any]
) -> None:
    profile, number = hostile.profile, marked_invoice["form"]["number"]
    to_buyer = await system.mail_to(hostile.buyer_email, number)
    confirmation = await system.mail_to(hostile.api.email, number)
    (registration,) = await system.mail.store.wait_for(
        lambda m: hostile.api.email in m.recipients and "ekräfta" in m.subject
    )
    (invitation,) = await system.mail.store.wait_for(
        lambda m: hostile.api.email in m.recipients and "bjuder in" in m.subject
    )
    mails = {
        "to_buyer": (to_buyer, [profile["company_name"], profile["buyer_name"], number]),
        "confirmation": (confirmation, [number, profile["buyer_name"], hostile.buyer_email]),
        "registration": (registration, [profile["first_name"]]),
        "invitation": (invitation, [profile["buyer_name"], profile["invited_first_name"]]),
    }
    for kind, (mail, values) in mails.items():
        assert_no_markup(kind, mail.html)
        for value in values:
            assert escaped(value) in mail.html, (kind, value)
            # The plain-text part is text/plain: there the text is simply itself.
            assert value in mail.text, (kind, value)


# 2. URLs and links fetch and embed nothing ----------------------------------------------------


def fetching_form(supplier: Supplier, leak_url: str) -> dict[str, Any]:
    """Every kind of reference WeasyPrint would follow if the text became markup."""
    return supplier.form(
        number=PASSWD,
        buyer_order_number=leak_url,
        payment_reference=PASSWD,
        buyer_reference=leak_url + "/ref",
        contact_person=f'<img src="{leak_url}/img">',
        customs_clearance_number=PASSWD,
        note=LINK_PASSWD
        + f'<link rel="stylesheet" href="{leak_url}/css">'
        + f"<style>@import url({leak_url}/import);</style>"
        + f'<iframe src="{PASSWD}"></iframe><object data="{leak_url}/object"></object>'
        + f'<a href="{PASSWD}">passwd</a>',
        lines=[
            {
                "article_id": leak_url + "/a",
                "description": LINK_PASSWD,
                "quantity": "1",
                "unit_price": "10",
                "vat_rate": "25",
                "vat_category": "S",
            },
            {
                "article_id": PASSWD,
                "description": f'<img src="{PASSWD}"><link rel="attachment" href="{leak_url}">',
                "quantity": "1",
                "unit_price": "10",
                "vat_rate": "25",
                "vat_category": "S",
            },
        ],
        charges=[
            {
                "description": f'<div style="background: url({leak_url}/bg)">Frakt</div>',
                "amount": "5",
                "vat_rate": "25",
                "vat_category": "S",
            }
        ],
    )


def embedded_documents(xml: bytes) -> list[tuple[str, str, bytes]]:
    """(ID, filename, content) of every document the Peppol XML carries."""
    root = ET.fromstring(xml)  # noqa: S314 (our own XML)
    found = []
    for reference in root.iter(f"{CAC}AdditionalDocumentReference"):
        assert reference.find(f"{CAC}Attachment/{CAC}ExternalReference") is None
        binary = reference.find(f"{CAC}Attachment/{CBC}EmbeddedDocumentBinaryObject")
        assert binary is not None and binary.text is not None
        identifier = reference.findtext(f"{CBC}ID") or ""
        found.append((identifier, binary.get("filename", ""), base64.b64decode(binary.text)))
    return found


async def test_urls_and_links_in_the_fields_make_the_renderer_fetch_and_embed_nothing(
    system: System, hostile: HostileSupplier, leak: Leak, tmp_path: Path
) -> None:
    supplier = hostile.api
    form = fetching_form(supplier, leak.url + "/leak")
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=form)
    upload = aiohttp.FormData()
    upload.add_field("file", MINIMAL_PDF, filename="följesedel.pdf", content_type="application/pdf")
    status, attached = await supplier.call(
        "POST", f"/v1/me/invoices/{draft['id']}/attachments", data=upload
    )
    assert status == 201, attached
    status, preview = await supplier.call("GET", f"/v1/me/invoices/{draft['id']}/preview")
    assert status == 200 and preview.startswith(b"%PDF"), preview
    status, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200, sent
    mail = await system.mail_to(hostile.buyer_email, PASSWD)
    files = {part.get_filename(): part.get_content() for part in mail.message.iter_attachments()}
    pdf_name, xml_name = "faktura-file-etc-passwd.pdf", "faktura-file-etc-passwd.xml"
    assert set(files) == {pdf_name, xml_name, "följesedel.pdf"}
    stored = await sent_document(supplier, draft["id"])
    assert files[pdf_name] == stored and files["följesedel.pdf"] == MINIMAL_PDF

    # The buyer's PDF carries its own XML (PDF/A-3 archive copy), and nothing else.
    assert embedded_files(stored, tmp_path) == f"1 embedded files\n1: {xml_name}"
    assert embedded_files(preview, tmp_path) == "0 embedded files"
    for name, pdf in (("preview", preview), ("sent", stored)):
        text = pdf_text(pdf)
        assert "root:x:0:0" not in text, name
        # Drawn as the text it is: nothing was taken for a link, an image or a stylesheet.
        for value in (LINK_PASSWD, form["note"], form["lines"][1]["description"]):
            assert no_space(value) in no_space(text), (name, value)
    documents = embedded_documents(files[xml_name])
    (identifier, filename, inner), *attached = documents
    assert (identifier, filename) == (PASSWD, pdf_name)
    # The XML's PDF is the buyer's PDF less the XML itself.
    assert embedded_files(inner, tmp_path) == "0 embedded files"
    assert pdf_text(inner) == pdf_text(stored)
    assert attached == [("följesedel.pdf", "följesedel.pdf", MINIMAL_PDF)]
    assert b"root:x:0:0" not in files[xml_name]
    assert schema_errors(files[xml_name]) == []
    assert leak.requests == []


# 3. Uploads -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def upload_draft(hostile: HostileSupplier) -> str:
    _, draft = await hostile.api.call("POST", "/v1/me/invoices", json=hostile.api.form())
    return str(draft["id"])


def pdf_upload(filename: str, content: bytes) -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("file", content, filename=filename, content_type="application/pdf")
    return data


NOT_PDF = "Bara PDF-filer kan bifogas."
DAMAGED = "PDF-filen är skadad."
ENCRYPTED = "PDF-filen är krypterad eller lösenordsskyddad."
TOO_BIG = "Filen är större än 10 MB."
BOMB = (
    "PDF-filen packas upp till mer än 256 MB och kan inte tas emot. "
    "Spara den med lägre upplösning och försök igen."
)
PRINT_AGAIN = "Skriv ut den till en ny PDF och försök igen."
ACTIVE = {
    "attachment.scripts": "PDF-filen innehåller JavaScript och kan inte tas emot. " + PRINT_AGAIN,
    "attachment.actions": "PDF-filen innehåller åtgärder som körs när den öppnas eller som "
    "startar program, och kan inte tas emot. " + PRINT_AGAIN,
    "attachment.embedded_files": "PDF-filen innehåller inbäddade filer och kan inte tas emot. "
    "Bifoga varje dokument som en egen PDF.",
    "attachment.xfa": "PDF-filen är ett XFA-formulär och kan inte tas emot. "
    "Skriv ut den till en vanlig PDF och försök igen.",
    "attachment.rich_media": "PDF-filen innehåller video, ljud eller 3D och kan inte tas emot. "
    + PRINT_AGAIN,
}


@pytest.mark.parametrize(
    ("filename", "content", "code", "message"),
    [
        pytest.param("program.pdf", NOT_PDF_EXE, "attachment.not_pdf", NOT_PDF, id="exe"),
        pytest.param("bild.pdf", NOT_PDF_PNG, "attachment.not_pdf", NOT_PDF, id="png-as-pdf"),
        pytest.param("sida.pdf", NOT_PDF_HTML, "attachment.not_pdf", NOT_PDF, id="html"),
        pytest.param("stor.pdf", TOO_LARGE, "attachment.too_large", TOO_BIG, id="10MB+1"),
        pytest.param(
            "jätte.pdf", TOO_LARGE + bytes(20 * MB), "attachment.too_large", TOO_BIG, id="30MB"
        ),
        pytest.param(
            "hemlig.pdf",
            ENCRYPTED_BY_REFERENCE,
            "attachment.encrypted",
            ENCRYPTED,
            id="encrypt-ref",
        ),
        pytest.param(
            "kompakt.pdf", ENCRYPTED_IN_PLACE, "attachment.encrypted", ENCRYPTED, id="encrypt-dict"
        ),
        pytest.param(
            "dold.pdf",
            encrypted_under_escaped_name(),
            "attachment.encrypted",
            ENCRYPTED,
            id="encrypt-escaped-name",
        ),
        # 300 MB through ASCII hex, then Flate: counted where the chain ends, not as nothing.
        pytest.param(
            "kedja.pdf", hex_flate_bomb(300 * MB), "attachment.bomb", BOMB, id="hex-flate-bomb"
        ),
        *(
            pytest.param(f"{name}.pdf", pdf, code, ACTIVE[code], id=name)
            for name, pdf, code in ACTIVE_CONTENT
        ),
        pytest.param("avbruten.pdf", TRUNCATED, "attachment.damaged", DAMAGED, id="truncated"),
        pytest.param(
            "skräp.pdf", GARBAGE_AFTER_HEADER, "attachment.damaged", DAMAGED, id="garbage"
        ),
    ],
)
async def test_a_file_that_is_no_acceptable_pdf_is_refused_at_the_file_field(
    hostile: HostileSupplier,
    upload_draft: str,
    filename: str,
    content: bytes,
    code: str,
    message: str,
) -> None:
    path = f"/v1/me/invoices/{upload_draft}/attachments"
    status, body = await hostile.api.call(
        "POST", path, data=pdf_upload(filename, content), headers=SV
    )
    assert status == 422, body
    assert body["error"]["fields"]["file"] == [{"code": code, "message": message}]
    _, invoice = await hostile.api.call("GET", f"/v1/me/invoices/{upload_draft}")
    assert invoice["attachments"] == []


async def test_the_web_form_shows_a_refused_file_at_its_field(
    hostile: HostileSupplier, upload_draft: str
) -> None:
    web = hostile.api.system.web_url
    page = await hostile.page(f"/invoices/{upload_draft}")
    form = aiohttp.FormData()
    for name, value in (
        ("csrf_token", csrf_of(page)),
        ("action", "upload"),
        ("buyer_id", hostile.api.buyer_id),
        ("number", "W-1"),
    ):
        form.add_field(name, value)
    form.add_field("file", NOT_PDF_EXE, filename="program.exe", content_type="application/pdf")
    async with hostile.browser.post(f"{web}/invoices/{upload_draft}", data=form) as r:
        page = await r.text()
    assert r.status == 422
    assert re.search(r'id="file" name="file".*?<p class="error">' + NOT_PDF, page, re.S)


async def test_a_decompression_bomb_is_refused_after_bounded_work(
    system: System, hostile: HostileSupplier, upload_draft: str
) -> None:
    bomb = decompression_bomb(1024 * MB)
    assert len(bomb) < 2 * MB and inflates_at_least(bomb, 512 * MB)
    before = peak_memory_kb()
    path = f"/v1/me/invoices/{upload_draft}/attachments"
    status, body = await hostile.api.call(
        "POST", path, data=pdf_upload("bomb.pdf", bomb), headers=SV
    )
    assert status == 422, body
    assert body["error"]["fields"]["file"] == [{"code": "attachment.bomb", "message": BOMB}]
    _, invoice = await hostile.api.call("GET", f"/v1/me/invoices/{upload_draft}")
    assert invoice["attachments"] == []
    # Inflating the gigabyte anywhere would raise some process's peak by about that much.
    after = peak_memory_kb()
    grown = {pid: after[pid] - before.get(pid, 0) for pid in after}
    assert max(grown.values()) < 100 * 1024, grown
    async with aiohttp.ClientSession() as http:
        for url in (system.invoice_url, system.renderer_url, system.web_url):
            async with http.get(url + "/healthz") as r:
                assert r.status == 200, url


# 4. Oversized bodies and wrong types ------------------------------------------------------------


async def test_oversized_json_bodies_get_413_from_every_service(
    system: System, hostile: HostileSupplier
) -> None:
    bearer = {"Authorization": f"Bearer {hostile.api.token}"}
    internal = {
        "Authorization": f"Bearer {RendererSettings(environment='development').internal_secret}"
    }
    cases = [
        ("POST", system.identity_url + "/v1/registrations", {}, 2 * MB),
        ("PUT", system.company_url + "/v1/me/company", bearer, 15 * MB),
        ("POST", system.invoice_url + "/v1/me/invoices", bearer, 11 * MB),
        ("POST", system.renderer_url + "/internal/v1/previews", internal, PREVIEW_LIMIT + MB),
    ]
    async with aiohttp.ClientSession() as http:
        for method, url, headers, size in cases:
            body = b'{"name": "' + b"x" * size + b'"}'
            async with http.request(
                method,
                url,
                data=body,
                headers=headers | SV | {"Content-Type": "application/json"},
            ) as r:
                assert r.status == 413, (url, r.status, await r.text())
                error = (await r.json())["error"]
            assert error["code"] == "body_too_large" and error["message"] == (
                "Förfrågan är för stor."
            ), url


async def test_oversized_form_posts_get_413_from_the_web(
    hostile: HostileSupplier, upload_draft: str
) -> None:
    web = hostile.api.system.web_url
    token = csrf_of(await hostile.page("/invoices/new"))
    form = {"csrf_token": token, "action": "save", "note": "x" * (12 * MB)}
    async with hostile.browser.post(web + "/invoices/new", data=form) as r:
        assert r.status == 413 and "Det du skickade är för stort." in await r.text()
    upload = aiohttp.FormData()
    upload.add_field("csrf_token", token)
    upload.add_field("action", "upload")
    upload.add_field("file", bytes(12 * MB), filename="stor.pdf", content_type="application/pdf")
    async with hostile.browser.post(f"{web}/invoices/{upload_draft}", data=upload) as r:
        assert r.status == 413 and "Det du skickade är för stort." in await r.text()


async def test_wrong_types_get_422_naming_the_field(
    system: System, hostile: HostileSupplier
) -> None:
    supplier = hostile.api
    bearer = {"Authorization": f"Bearer {supplier.token}"} | SV
    line = supplier.form()["lines"][0]
    cases: list[tuple[str, str, dict[str, str], Any, str]] = [
        (
            "POST",
            system.invoice_url + "/v1/me/invoices",
            bearer,
            supplier.form(lines=[line | {"quantity": "tre"}]),
            "lines.0.quantity",
        ),
        (
            "POST",
            system.invoice_url + "/v1/me/invoices",
            bearer,
            supplier.form(charges=[{"amount": {"belopp": 5}}]),
            "charges.0.amount",
        ),
        ("POST", system.invoice_url + "/v1/me/invoices", bearer, {"lines": "många"}, "lines"),
        ("POST", system.identity_url + "/v1/registrations", SV, {"email": 5}, "email"),
        ("PUT", system.company_url + "/v1/me/company", bearer, {"f_skatt": "kanske"}, "f_skatt"),
        ("POST", system.identity_url + "/v1/registrations", SV, [1, 2], "body"),
    ]
    async with aiohttp.ClientSession() as http:
        for method, url, headers, body, field in cases:
            async with http.request(method, url, json=body, headers=headers) as r:
                assert r.status == 422, (url, body, r.status, await r.text())
                fields = (await r.json())["error"]["fields"]
            assert field in fields and fields[field][0]["message"], (body, fields)


async def test_json_nested_past_the_recursion_limit_is_a_422_not_a_500(
    system: System, hostile: HostileSupplier
) -> None:
    bearer = {"Authorization": f"Bearer {hostile.api.token}"}
    deep = b"[" * 30_000 + b"]" * 30_000
    async with aiohttp.ClientSession() as http:
        for url, headers in (
            (system.identity_url + "/v1/registrations", {}),
            (system.invoice_url + "/v1/me/invoices", bearer),
        ):
            async with http.post(
                url, data=deep, headers=headers | SV | {"Content-Type": "application/json"}
            ) as r:
                assert r.status == 422, (url, r.status, await r.text())
                fields = (await r.json())["error"]["fields"]
            assert fields["body"][0]["code"] == "json_invalid", fields


@pytest.mark.parametrize(
    "solution",
    [
        pytest.param(b"[" * 1400 + b"]" * 1400, id="nested"),
        pytest.param(
            b'{"algorithm": "SHA-256", "challenge": "a", "salt": "b?expires=1",'
            b' "number": 1e999, "signature": "c"}',
            id="infinite-number",
        ),
    ],
)
async def test_a_captcha_of_hostile_json_is_invalid_not_a_500(
    system: System, solution: bytes
) -> None:
    registration = {"email": "a@example.com", "captcha": base64.b64encode(solution).decode()}
    async with (
        aiohttp.ClientSession() as http,
        http.post(system.identity_url + "/v1/registrations", json=registration, headers=SV) as r,
    ):
        assert r.status == 422, (r.status, await r.text())
        fields = (await r.json())["error"]["fields"]
    assert fields["captcha"][0]["code"] == "captcha.invalid"


async def test_a_page_number_past_any_database_integer_is_no_500(
    hostile: HostileSupplier,
) -> None:
    status, body = await hostile.api.call("GET", "/v1/me/invoices?page=" + "9" * 30)
    assert status == 200 and body["invoices"] == [], (status, body)
    status, body = await hostile.api.call("GET", "/v1/me/invoices?page=tre", headers=SV)
    assert status == 422 and "page" in body["error"]["fields"], (status, body)
