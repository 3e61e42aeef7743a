"""The buyer's PDF: every field in the buyer's language, long invoices paged, hostile text inert."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest
import tinyhtml5
from weasyprint.urls import FatalURLFetchingError

from services.renderer.fetcher import ASSETS, AssetsOnly
from services.renderer.pdf import invoice_html, invoice_pdf
from shared.invoices import Charge, Line, PaymentAccount
from tests.renderer import factories
from tests.renderer.pdf_reading import flat_text, pages


class RecordingFetcher(AssetsOnly):
    """The renderer's fetcher, noting every URL WeasyPrint asks it for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.asked.append(url)
        return super().fetch(url, headers)


def test_every_field_is_printed_with_swedish_labels_and_money() -> None:
    item = factories.invoice(
        customs_clearance_number="SE-TULL-77812",
        origin_country="DE",
        attachments=[
            factories.attachment(b"1", "tidrapport-mars.pdf"),
            factories.attachment(b"2", "följesedel-17.pdf"),
        ],
    )

    text = flat_text(invoice_pdf(item, "sv"))

    expected = [
        "Faktura",
        "Fakturanummer 2026-0142",
        "Fakturadatum 2026-03-02",
        "Förfallodatum 2026-04-01",
        "Valuta SEK",
        "Köparens ordernummer 4500098765",
        "Betalningsreferens (OCR) 1234567897",
        "Köparens referens INF-4711",
        "Referensperson Lena Ström",
        "Säljare",
        "Köpare",
        "Ek Spårteknik AB",
        "Verkstadsgatan 4",
        "721 30 Västerås",
        "Organisationsnummer 556677-8899",
        "Momsregistreringsnummer SE556677889901",
        "Telefon 021-12 34 56",
        "E-post faktura@ekspar.example",
        "Godkänd för F-skatt",
        "Infranord AB",
        "Box 1803",
        "171 21 Solna",
        "Sverige",
        "556036-0793",
        "SE556036079301",
        "Telefon 010-121 10 00",
        "E-post leverantorsfakturor@infranord.example",
        "Artikel ID",
        "Artikelbenämning",
        "Antal",
        "Nettopris per enhet",
        "Moms (%)",
        "Belopp",
        "ARB-LED",
        "Spårmontör, nattarbete",
        "12,5 tim 895,00 25 11 187,50",
        "38 tim 720,00 25 27 360,00",
        "240 st 18,75 25 4 500,00",
        "212 km 12,50 6 2 650,00",
        "Tilläggsavgifter",
        "Frakt FC",
        "25 1 450,00",
        "Moms (S) 25 44 497,50 11 124,38",
        "Moms (S) 6 2 650,00 159,00",
        "Summa rader 45 697,50",
        "Summa tilläggsavgifter 1 450,00",
        "Summa exkl. moms 47 147,50",
        "Moms 11 283,38",
        "Att betala 58 430,88 SEK",
        "Bankgiro 5050-1055",
        "Bank SEB",
        "Custom Clearance No. SE-TULL-77812",
        "Ursprungsland Tyskland",
        "Meddelande Arbetet utfört enligt avrop 17.",
        "Bilagor tidrapport-mars.pdf följesedel-17.pdf",
        "Sida 1 av",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert not missing, f"{missing} not in {text}"


def test_english_labels_and_money() -> None:
    text = flat_text(invoice_pdf(factories.invoice(), "en"))

    for phrase in [
        "Invoice",
        "Invoice number 2026-0142",
        "Invoice date 2 Mar 2026",
        "Due date 1 Apr 2026",
        "Payment reference (OCR) 1234567897",
        "Approved for F-tax",
        "12.5 h 895.00 25 11,187.50",
        "Total excl. VAT 47,147.50",
        "Amount due 58,430.88 SEK",
        "Sweden",
        "Page 1 of",
    ]:
        assert phrase in text


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "sv",
            [
                "Fakturadatum 2026-12-05",
                "3 250,00 25 3 250,00",
                "Summa rader 3 250,00",
                "4 062,50 SEK",
            ],
        ),
        (
            "en",
            [
                "Invoice date 5 Dec 2026",
                "3,250.00 25 3,250.00",
                "Sum of lines 3,250.00",
                "4,062.50 SEK",
            ],
        ),
    ],
)
def test_amounts_and_dates_read_as_on_the_web_pages(language: str, phrases: list[str]) -> None:
    line = factories.LINES[0].model_copy(
        update={"quantity": Decimal(1), "unit_price": Decimal("3250")}
    )
    item = factories.invoice(issue_date=date(2026, 12, 5), lines=[line], charges=[])

    text = flat_text(invoice_pdf(item, language))

    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{missing} not in {text}"
    assert "3250" not in text


def test_quantities_and_prices_keep_every_decimal_keyed() -> None:
    line = factories.LINES[0].model_copy(
        update={"quantity": Decimal("2.1255"), "unit_price": Decimal("1000.125")}
    )

    text = flat_text(invoice_pdf(factories.invoice(lines=[line], charges=[]), "sv"))

    assert "2,1255 tim 1 000,125 25 2 125,77" in text


def test_a_credit_note_names_the_invoice_it_credits() -> None:
    text = flat_text(invoice_pdf(factories.credit_note(), "sv"))

    assert "Kreditfaktura" in text
    assert "Krediterad faktura 2026-0142" in text
    assert "Krediterad fakturas datum 2026-03-02" in text
    assert "Att erhålla 3 600,00 SEK" in text


def test_categories_without_vat_carry_their_exemption_text() -> None:
    reverse_charge = Line(
        article_id="BYGG-1",
        description="Byggtjänst, spårbädd",
        quantity=Decimal(10),
        unit="HUR",
        unit_price=Decimal(800),
        vat_rate=Decimal(0),
        vat_category="AE",
    )
    item = factories.invoice(lines=[factories.LINES[0], reverse_charge])

    text = flat_text(invoice_pdf(item, "sv"))

    assert "Momsupplysning Omvänd betalningsskyldighet" in text
    assert "10 tim 800,00 0 (AE) 8 000,00" in text


@pytest.mark.parametrize(
    ("account", "phrases"),
    [
        (
            PaymentAccount(
                kind="plusgiro", number=factories.PLUSGIRO, bic=None, bank_name="Nordea"
            ),
            ["Plusgiro 123456-6", "Bank Nordea"],
        ),
        (
            PaymentAccount(kind="iban", number=factories.IBAN, bic=factories.BIC, bank_name="SEB"),
            ["IBAN SE4550000000058398257466", "BIC ESSESESS", "Bank SEB"],
        ),
    ],
)
def test_each_kind_of_account_is_printed(account: PaymentAccount, phrases: list[str]) -> None:
    text = flat_text(invoice_pdf(factories.invoice(payment_account=account), "sv"))

    for phrase in phrases:
        assert phrase in text
    assert "Betalningsreferens (OCR) 1234567897" in text


LINE_HEADINGS = (
    "Artikel ID",
    "Artikelbenämning",
    "Antal",
    "Nettopris per enhet",
    "Belopp",
)


def test_a_long_invoice_repeats_the_table_header_and_numbers_its_pages() -> None:
    item = factories.invoice(lines=factories.many_lines(80))

    pdf = invoice_pdf(item, "sv")

    printed = pages(pdf)
    assert len(printed) >= 3
    for number, page in enumerate(printed, start=1):
        assert f"Sida {number} av {len(printed)}" in page
        if "Spårarbete etapp" in page:
            assert all(heading in page for heading in LINE_HEADINGS), page
    assert all(f"Spårarbete etapp {n} " in " ".join(printed) for n in (1, 40, 80))


def test_ten_lines_with_every_part_of_the_invoice_fit_on_one_page() -> None:
    item = factories.invoice(lines=factories.many_lines(10))
    assert len(pages(invoice_pdf(item, "sv"))) == 1


def squeezed(text: str) -> str:
    return "".join(text.split())


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://127.0.0.1:1/x",
    '<style>@import url("http://127.0.0.1:1/style.css");</style>',
    "</td></tr></table><script>alert(1)</script>",
]


def test_hostile_text_stays_text_and_nothing_is_fetched() -> None:
    lines = [
        factories.LINES[0].model_copy(update={"description": text, "article_id": text[:20]})
        for text in HOSTILE
    ]
    item = factories.invoice(
        lines=lines,
        note=HOSTILE[1],
        buyer_reference=HOSTILE[2],
        charges=[
            Charge(
                description=HOSTILE[0], amount=Decimal(1), vat_rate=Decimal(25), vat_category="S"
            )
        ],
        seller=factories.SELLER.model_copy(update={"name": '<b onload="x">Ek</b>'}),
    )
    fetcher = RecordingFetcher()

    pdf = invoice_pdf(item, "sv", fetcher)

    # Long words wrap inside their cells, so compare without any whitespace.
    text = squeezed(flat_text(pdf))
    for hostile in [*HOSTILE, '<b onload="x">Ek</b>']:
        assert squeezed(hostile) in text
    assert not [url for url in fetcher.asked if not url.startswith(("data:", ASSETS.as_uri()))]
    assert b"/EmbeddedFile" not in pdf
    assert "&lt;img" in invoice_html(item, "sv")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (ASSETS / ".." / "pdf.py").as_uri(),
        ASSETS.as_uri() + "/../pdf.py",
        "file://evil.example/" + str(ASSETS / "invoice.css"),
        "http://127.0.0.1:1/x",
        "https://example.com/logo.png",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_anything_but_data_and_assets(url: str) -> None:
    with pytest.raises(FatalURLFetchingError):
        AssetsOnly().fetch(url)


def test_the_fetcher_serves_data_urls_and_assets() -> None:
    fetcher = AssetsOnly()

    assert fetcher.fetch("data:text/plain;base64,aGVq").read() == b"hej"
    stylesheet = fetcher.fetch((ASSETS / "invoice.css").as_uri())
    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()


def tree(element: Any) -> tuple[Any, ...]:
    """An element's tag, attributes, text and children, leaving out whitespace between tags."""
    return (
        element.tag,
        sorted(element.attrib.items()),
        (element.text or "").strip(),
        (element.tail or "").strip(),
        [tree(child) for child in element],
    )


@pytest.mark.parametrize(
    "item",
    [
        factories.invoice(
            customs_clearance_number="SE-TULL-77812",
            origin_country="DE",
            note="<b>fet</b> & 'citat' \"dubbelt\"\nny rad",
            attachments=[factories.attachment(b"1", "tidrapport-mars.pdf")],
        ),
        factories.credit_note(),
    ],
    ids=["invoice", "credit note"],
)
def test_the_xml_parser_builds_the_tree_the_html5_parser_builds(item: Any) -> None:
    markup = invoice_html(item, "sv")
    fast = ElementTree.fromstring(markup)  # noqa: S314 - our own template's output
    assert tree(fast) == tree(tinyhtml5.parse(markup, namespace_html_elements=False))


def test_text_that_xml_cannot_hold_is_printed_through_the_html5_parser() -> None:
    item = factories.invoice(note="Rad ett\x0bRad två\x01")
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(invoice_html(item, "sv"))  # noqa: S314 - our own template's output
    assert "Rad ett" in flat_text(invoice_pdf(item, "sv"))
