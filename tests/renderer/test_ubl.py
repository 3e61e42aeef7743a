"""The Peppol BIS Billing 3.0 XML, read back with ElementTree: shape, order, sums and identifiers."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from devtools.peppol.schema import schema_errors
from services.renderer.failures import Unrenderable
from services.renderer.ubl import CUSTOMIZATION_ID, PROFILE_ID, invoice_xml, peppol_mime_code
from shared.invoices import Attachment, Charge, Invoice, Line, PaymentAccount, VatCategory, totals
from tests.renderer import factories
from tests.renderer.ubl_sequences import SEQUENCES

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
PDF = factories.pdf_bytes("the invoice itself")


def parse(
    item: Invoice,
    attachments: list[tuple[Attachment, bytes]] | None = None,
    pdf: bytes | None = PDF,
) -> ET.Element:
    xml = invoice_xml(item, attachments or [], pdf)
    assert schema_errors(xml) == []
    return ET.fromstring(xml)  # noqa: S314 (our own XML)


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def text(root: ET.Element, path: str) -> str:
    found = root.find(path, NS)
    assert found is not None, f"{path} missing"
    return found.text or ""


def out_of_order(element: ET.Element) -> list[str]:
    """Every place in the tree where children break their schema's sequence."""
    problems = []
    sequence = SEQUENCES.get(local(element.tag))
    if sequence is not None:
        names = [local(child.tag) for child in element]
        unknown = [name for name in names if name not in sequence]
        positions = [sequence.index(name) for name in names if name in sequence]
        if unknown or positions != sorted(positions):
            problems.append(f"{local(element.tag)}: {names}")
    for child in element:
        problems += out_of_order(child)
    return problems


def test_an_invoice_follows_the_ubl_sequence_everywhere() -> None:
    item = factories.invoice(
        customs_clearance_number="SE-TULL-1", origin_country="DE", attachments=[]
    )
    content = factories.pdf_bytes("tidrapport")
    root = parse(item, [(factories.attachment(content), content)])

    assert root.tag == f"{{{NS['inv']}}}Invoice"
    assert out_of_order(root) == []
    assert text(root, "cbc:CustomizationID") == CUSTOMIZATION_ID
    assert text(root, "cbc:ProfileID") == PROFILE_ID
    assert text(root, "cbc:ID") == "2026-0142"
    assert text(root, "cbc:IssueDate") == "2026-03-02"
    assert text(root, "cbc:DueDate") == "2026-04-01"
    assert text(root, "cbc:InvoiceTypeCode") == "380"
    assert text(root, "cbc:DocumentCurrencyCode") == "SEK"
    assert text(root, "cbc:BuyerReference") == "INF-4711"
    assert text(root, "cac:OrderReference/cbc:ID") == "4500098765"
    assert (
        text(root, "cbc:Note") == "Arbetet utfört enligt avrop 17.\nCustom Clearance No.: SE-TULL-1"
    )
    assert root.find("cac:BillingReference", NS) is None


def test_the_order_check_notices_a_misplaced_element() -> None:
    root = parse(factories.invoice())
    tax_total = root.find("cac:TaxTotal", NS)
    assert tax_total is not None
    root.remove(tax_total)
    root.insert(0, tax_total)

    assert out_of_order(root) != []


def test_the_document_is_utf8_with_a_declaration() -> None:
    xml = invoice_xml(factories.invoice(), [], None)

    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Ek Spårteknik AB".encode() in xml


def test_amounts_are_the_totals_with_two_decimals_in_the_document_currency() -> None:
    item = factories.invoice()
    sums = totals(item.lines, item.charges)
    root = parse(item)

    total = root.find("cac:LegalMonetaryTotal", NS)
    assert total is not None
    monetary = {local(e.tag): e.text for e in total}
    assert monetary == {
        "LineExtensionAmount": "45697.50",
        "TaxExclusiveAmount": "47147.50",
        "TaxInclusiveAmount": "58430.88",
        "ChargeTotalAmount": "1450.00",
        "PayableAmount": "58430.88",
    }
    assert Decimal(monetary["PayableAmount"] or "") == sums.payable == factories.PAYABLE
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "11283.38"
    subtotals = [
        (
            text(s, "cac:TaxCategory/cbc:ID"),
            text(s, "cac:TaxCategory/cbc:Percent"),
            text(s, "cbc:TaxableAmount"),
            text(s, "cbc:TaxAmount"),
        )
        for s in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    ]
    assert subtotals == [("S", "25", "44497.50", "11124.38"), ("S", "6", "2650.00", "159.00")]
    line_amounts = [
        Decimal(text(line, "cbc:LineExtensionAmount"))
        for line in root.findall("cac:InvoiceLine", NS)
    ]
    assert sum(line_amounts) == factories.LINE_TOTAL  # BR-CO-10
    amounts = [e for e in root.iter() if "currencyID" in e.attrib]
    assert {e.attrib["currencyID"] for e in amounts} == {"SEK"}
    money = [e for e in amounts if local(e.tag) != "PriceAmount"]
    assert all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", e.text or "") for e in money)


def test_lines_carry_quantity_unit_item_tax_and_price() -> None:
    root = parse(factories.invoice(origin_country="DE"))

    lines = root.findall("cac:InvoiceLine", NS)
    assert [text(line, "cbc:ID") for line in lines] == ["1", "2", "3", "4"]
    first = lines[0]
    quantity = first.find("cbc:InvoicedQuantity", NS)
    assert quantity is not None
    assert (quantity.text, quantity.attrib) == ("12.5", {"unitCode": "HUR"})
    assert text(first, "cbc:LineExtensionAmount") == "11187.50"
    assert text(first, "cac:Item/cbc:Name") == "Arbetsledning spårbyte, Hallsberg–Degerön"
    assert text(first, "cac:Item/cac:SellersItemIdentification/cbc:ID") == "ARB-LED"
    assert text(first, "cac:Item/cac:OriginCountry/cbc:IdentificationCode") == "DE"
    assert text(first, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == "S"
    assert text(first, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") == "25"
    assert text(first, "cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID") == "VAT"
    assert text(first, "cac:Price/cbc:PriceAmount") == "895"
    assert text(lines[3], "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") == "6"
    assert text(lines[3], "cbc:InvoicedQuantity") == "212"


def test_the_freight_is_a_document_level_charge_with_its_vat() -> None:
    root = parse(factories.invoice())

    charge = root.find("cac:AllowanceCharge", NS)
    assert charge is not None
    assert text(charge, "cbc:ChargeIndicator") == "true"
    assert text(charge, "cbc:AllowanceChargeReasonCode") == "FC"
    assert text(charge, "cbc:AllowanceChargeReason") == "Frakt"
    assert text(charge, "cbc:Amount") == "1450.00"
    assert text(charge, "cac:TaxCategory/cbc:ID") == "S"
    assert text(charge, "cac:TaxCategory/cbc:Percent") == "25"
    assert text(charge, "cac:TaxCategory/cac:TaxScheme/cbc:ID") == "VAT"


def test_parties_have_swedish_identifiers_and_the_buyers_contact() -> None:
    root = parse(factories.invoice())

    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert seller is not None and buyer is not None
    endpoint = seller.find("cbc:EndpointID", NS)
    assert endpoint is not None
    assert (endpoint.text, endpoint.attrib) == ("5566778899", {"schemeID": "0007"})
    assert text(seller, "cac:PartyName/cbc:Name") == "Ek Spårteknik AB"
    assert text(seller, "cac:PostalAddress/cbc:StreetName") == "Verkstadsgatan 4"
    assert text(seller, "cac:PostalAddress/cbc:CityName") == "Västerås"
    assert text(seller, "cac:PostalAddress/cbc:PostalZone") == "721 30"
    assert text(seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "SE"
    schemes = {
        text(s, "cac:TaxScheme/cbc:ID"): text(s, "cbc:CompanyID")
        for s in seller.findall("cac:PartyTaxScheme", NS)
    }
    assert schemes == {"VAT": "SE556677889901", "TAX": "Godkänd för F-skatt"}
    legal = seller.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert legal is not None
    assert (legal.text, legal.attrib) == ("5566778899", {"schemeID": "0007"})
    assert text(seller, "cac:PartyLegalEntity/cbc:RegistrationName") == "Ek Spårteknik AB"
    # The reference person is the buyer's: never the seller's contact.
    assert seller.find("cac:Contact/cbc:Name", NS) is None
    assert text(seller, "cac:Contact/cbc:ElectronicMail") == "faktura@ekspar.example"

    buyer_endpoint = buyer.find("cbc:EndpointID", NS)
    assert buyer_endpoint is not None
    assert (buyer_endpoint.text, buyer_endpoint.attrib) == ("5560360793", {"schemeID": "0007"})
    assert text(buyer, "cac:PartyTaxScheme/cbc:CompanyID") == "SE556036079301"
    assert len(buyer.findall("cac:PartyTaxScheme", NS)) == 1
    assert text(buyer, "cac:Contact/cbc:Name") == "Lena Ström"
    assert text(buyer, "cac:Contact/cbc:Telephone") == "010-121 10 00"


def test_no_f_skatt_scheme_without_f_skatt() -> None:
    root = parse(factories.invoice(seller_f_skatt=False))

    seller_schemes = root.findall(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:ID", NS
    )
    assert [s.text for s in seller_schemes] == ["VAT"]


@pytest.mark.parametrize(
    ("account", "account_id", "branch"),
    [
        (
            PaymentAccount(kind="bankgiro", number=factories.BANKGIRO, bic=None, bank_name="SEB"),
            "50501055",
            "SE:BANKGIRO",
        ),
        (
            PaymentAccount(
                kind="plusgiro", number=factories.PLUSGIRO, bic=None, bank_name="Nordea"
            ),
            "1234566",
            "SE:PLUSGIRO",
        ),
        (
            PaymentAccount(kind="iban", number=factories.IBAN, bic=factories.BIC, bank_name="SEB"),
            "SE4550000000058398257466",
            "ESSESESS",
        ),
    ],
)
def test_payment_means_per_kind_of_account(
    account: PaymentAccount, account_id: str, branch: str
) -> None:
    root = parse(factories.invoice(payment_account=account))

    means = root.findall("cac:PaymentMeans", NS)
    assert len(means) == 1
    assert text(means[0], "cbc:PaymentMeansCode") == "30"
    assert text(means[0], "cbc:PaymentID") == factories.OCR
    assert text(means[0], "cac:PayeeFinancialAccount/cbc:ID") == account_id
    assert (
        text(means[0], "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == branch
    )
    assert means[0].find("cbc:PaymentDueDate", NS) is None


def test_a_credit_note_has_its_own_root_lines_and_reference() -> None:
    item = factories.credit_note()
    root = parse(item)

    assert root.tag == f"{{{NS['cn']}}}CreditNote"
    assert out_of_order(root) == []
    assert text(root, "cbc:CreditNoteTypeCode") == "381"
    assert root.find("cbc:DueDate", NS) is None
    assert root.find("cbc:InvoiceTypeCode", NS) is None
    assert text(root, "cac:PaymentMeans/cbc:PaymentDueDate") == "2026-04-01"
    assert text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "2026-0142"
    assert (
        text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")
        == "2026-03-02"
    )
    assert root.find("cac:InvoiceLine", NS) is None
    (line,) = root.findall("cac:CreditNoteLine", NS)
    assert text(line, "cbc:CreditedQuantity") == "4"
    assert text(line, "cbc:LineExtensionAmount") == "2880.00"
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "3600.00"
    assert root.find("cac:LegalMonetaryTotal/cbc:ChargeTotalAmount", NS) is None


def test_a_credit_note_without_account_still_states_its_due_date() -> None:
    root = parse(factories.credit_note(payment_account=None))

    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == "1"
    assert text(root, "cac:PaymentMeans/cbc:PaymentDueDate") == "2026-04-01"
    assert root.find("cac:PaymentMeans/cac:PayeeFinancialAccount", NS) is None
    assert out_of_order(root) == []


def test_the_pdf_and_the_attachments_are_embedded_in_order() -> None:
    first, second = factories.pdf_bytes("tidrapport"), b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    attachments = [
        (factories.attachment(first, "tidrapport-mars.pdf"), first),
        (factories.attachment(second, "foto-växel.png"), second),
    ]
    root = parse(factories.invoice(), attachments)

    references = root.findall("cac:AdditionalDocumentReference", NS)
    embedded = [r.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS) for r in references]
    assert [(e.attrib["mimeCode"], e.attrib["filename"]) for e in embedded if e is not None] == [
        ("application/pdf", "faktura-2026-0142.pdf"),
        ("application/pdf", "tidrapport-mars.pdf"),
        ("image/png", "foto-växel.png"),
    ]
    assert [base64.b64decode(e.text or "") for e in embedded if e is not None] == [
        PDF,
        first,
        second,
    ]
    assert [text(r, "cbc:ID") for r in references] == [
        "2026-0142",
        "tidrapport-mars.pdf",
        "foto-växel.png",
    ]


def test_without_a_pdf_only_the_attachments_are_embedded() -> None:
    root = parse(factories.invoice(), pdf=None)

    assert root.find("cac:AdditionalDocumentReference", NS) is None


@pytest.mark.parametrize(
    ("filename", "content", "mime"),
    [
        ("a.pdf", b"%PDF-1.7 x", "application/pdf"),
        ("a.bin", b"\xff\xd8\xff\xe0 jpeg", "image/jpeg"),
        ("a.csv", b"datum;timmar\n", "text/csv"),
        (
            "a.xlsx",
            b"PK\x03\x04 zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_attachment_types_peppol_accepts(filename: str, content: bytes, mime: str) -> None:
    assert peppol_mime_code(filename, content) == mime


@pytest.mark.parametrize(
    ("filename", "content"),
    [("virus.exe", b"MZ\x90\x00"), ("fake.xlsx", b"not a zip"), ("notes.txt", b"hej")],
)
def test_other_attachment_types_are_unrenderable(filename: str, content: bytes) -> None:
    with pytest.raises(Unrenderable, match=filename):
        peppol_mime_code(filename, content)


def test_vat_categories_without_vat_state_their_reason() -> None:
    def line(category: VatCategory, description: str) -> Line:
        return Line(
            article_id="X",
            description=description,
            quantity=Decimal(1),
            unit="C62",
            unit_price=Decimal(100),
            vat_rate=Decimal(0),
            vat_category=category,
        )

    def categories(item: Invoice) -> dict[str, ET.Element]:
        root = parse(item)
        assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
        assert out_of_order(root) == []
        return {
            text(c, "cbc:ID"): c
            for c in root.findall("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
        }

    mixed = categories(
        factories.invoice(
            lines=[line("AE", "Byggtjänst"), line("Z", "Tidskrift")],
            charges=[
                Charge(
                    description="Frakt", amount=Decimal(10), vat_rate=Decimal(0), vat_category="AE"
                )
            ],
        )
    )
    assert set(mixed) == {"AE", "Z"}
    assert text(mixed["AE"], "cbc:TaxExemptionReason") == "Omvänd betalningsskyldighet"
    assert mixed["Z"].find("cbc:TaxExemptionReason", NS) is None
    # Outside the scope of VAT is a whole invoice of its own (BR-O-11).
    outside = categories(factories.invoice(lines=[line("O", "Avgift")], charges=[]))
    assert text(outside["O"], "cbc:TaxExemptionReason") == "Utanför tillämpningsområdet för moms"
    assert outside["O"].find("cbc:Percent", NS) is None


def test_an_invoice_outside_the_scope_of_vat_names_no_vat_number() -> None:
    line = factories.LINES[0].model_copy(update={"vat_rate": Decimal(0), "vat_category": "O"})
    root = parse(factories.invoice(lines=[line], charges=[]))
    schemes = [text(s, "cac:TaxScheme/cbc:ID") for s in root.iter(f"{{{NS['cac']}}}PartyTaxScheme")]
    assert schemes == ["TAX"]  # F-skatt stays; BR-O-02 forbids the VAT numbers


def test_a_document_breaking_the_vat_rules_is_not_rendered() -> None:
    outside = factories.LINES[0].model_copy(update={"vat_rate": Decimal(0), "vat_category": "O"})
    with pytest.raises(Unrenderable, match=r"vat\.outside_scope_alone"):
        invoice_xml(factories.invoice(lines=[outside, factories.LINES[1]]), [], None)


def test_hostile_text_is_escaped_and_reads_back_literally() -> None:
    hostile = '<Invoice xmlns="evil"/>]]>&amp;<!-- "quoted" -->'
    item = factories.invoice(
        note=hostile,
        lines=[factories.LINES[0].model_copy(update={"description": hostile})],
    )

    root = parse(item)

    assert text(root, "cbc:Note") == hostile
    assert text(root, "cac:InvoiceLine/cac:Item/cbc:Name") == hostile


def test_optional_fields_left_empty_leave_no_empty_elements() -> None:
    root = parse(
        factories.invoice(
            buyer_order_number=None,
            contact_person=None,
            payment_reference=None,
            note=None,
            buyer=factories.BUYER.model_copy(update={"phone": None, "email": None}),
        )
    )

    assert root.find("cac:OrderReference", NS) is None
    assert root.find("cbc:Note", NS) is None
    assert root.find("cac:PaymentMeans/cbc:PaymentID", NS) is None
    assert root.find("cac:AccountingCustomerParty/cac:Party/cac:Contact", NS) is None
    assert [e.tag for e in root.iter() if not (e.text or "").strip() and len(e) == 0] == []
