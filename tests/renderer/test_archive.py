"""The buyer's PDF is its archive copy: PDF/A-3b with the Peppol XML embedded as its associated
file, so that one file is the whole invoice. What is checked here is what the test reads with
qpdf (pikepdf) and poppler; no PDF/A validator (veraPDF) runs.
"""

from __future__ import annotations

import base64
import io
import multiprocessing
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

import pikepdf
import pytest

from services.renderer.pdf import invoice_pdf
from services.renderer.rendering import render_documents
from services.renderer.workers import RenderPool
from tests.renderer import factories
from tests.renderer.pdf_reading import pages

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[RenderPool]:
    spawn = multiprocessing.get_context("spawn")
    workers = RenderPool(lambda: ProcessPoolExecutor(max_workers=1, mp_context=spawn), 1)
    yield workers
    workers.shutdown()


def pdfa_identification(document: pikepdf.Pdf) -> tuple[str | None, str | None]:
    metadata = document.open_metadata()
    return metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")


def assert_pdfa_3b(document: pikepdf.Pdf) -> None:
    """The XMP identification and an sRGB output intent with its ICC profile."""
    assert document.pdf_version == "1.7"
    assert pdfa_identification(document) == ("3", "B")
    (intent,) = document.Root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFA1
    profile = intent.DestOutputProfile
    assert profile.N == 3
    assert profile.read_bytes()[36:40] == b"acsp"  # an ICC profile's signature
    assert "sRGB" in str(intent.OutputConditionIdentifier)


def embedded_pdf(xml: bytes) -> bytes:
    root = ET.fromstring(xml)  # noqa: S314 (our own XML)
    first = root.find(
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS
    )
    assert first is not None and first.attrib["mimeCode"] == "application/pdf"
    return base64.b64decode(first.text or "")


async def test_the_buyers_pdf_is_pdfa_3b_with_the_xml_as_its_associated_file(
    pool: RenderPool,
) -> None:
    report = factories.pdf_bytes("tidrapport")
    item = factories.invoice(attachments=[factories.attachment(report, "tidrapport-mars.pdf")])

    documents = await render_documents(
        factories.invoice_sent(item), pool, [(item.attachments[0], report)]
    )

    with pikepdf.open(io.BytesIO(documents.pdf)) as document:
        assert_pdfa_3b(document)
        (spec,) = document.Root.AF
        assert spec.Type == pikepdf.Name.Filespec
        assert spec.AFRelationship == pikepdf.Name.Alternative
        assert str(spec.F) == str(spec.UF) == "faktura-2026-0142.xml"
        assert str(spec.Desc) == "Faktura 2026-0142, e-faktura enligt Peppol BIS Billing 3.0"
        stream = spec.EF.F
        assert stream.Subtype == pikepdf.Name("/application/xml")
        assert stream.Params.Size == len(documents.xml)
        assert str(stream.Params.ModDate).startswith("D:")
        # Byte for byte the XML put in the file store and mailed beside the PDF.
        assert stream.read_bytes() == documents.xml
        # Listed where readers look for attachments too, as the same file specification.
        assert list(document.attachments) == ["faktura-2026-0142.xml"]
        assert document.attachments["faktura-2026-0142.xml"].obj.objgen == spec.objgen
        # Fonts are embedded: every font on every page has its font file.
        for page in document.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


async def test_the_xml_embeds_the_same_pdf_less_the_xml(pool: RenderPool) -> None:
    item = factories.invoice()

    documents = await render_documents(factories.invoice_sent(item), pool, [])

    inner = embedded_pdf(documents.xml)
    with pikepdf.open(io.BytesIO(inner)) as document:
        assert_pdfa_3b(document)
        assert "/AF" not in document.Root
        assert list(document.attachments) == []
    assert pages(inner) == pages(documents.pdf)


async def test_an_english_invoice_describes_its_xml_in_english(pool: RenderPool) -> None:
    credit = factories.credit_note()

    documents = await render_documents(factories.invoice_sent(credit, language="en"), pool, [])

    with pikepdf.open(io.BytesIO(documents.pdf)) as document:
        (spec,) = document.Root.AF
        assert str(spec.UF) == "kreditfaktura-2026-0150.xml"
        assert str(spec.Desc) == "Credit note 2026-0150, e-invoice as Peppol BIS Billing 3.0"


def test_a_preview_is_pdfa_3b_and_embeds_no_e_invoice() -> None:
    preview = invoice_pdf(factories.invoice(), "sv")

    with pikepdf.open(io.BytesIO(preview)) as document:
        assert_pdfa_3b(document)
        assert "/AF" not in document.Root
        assert list(document.attachments) == []
