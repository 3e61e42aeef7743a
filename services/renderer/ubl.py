"""The invoice as Peppol BIS Billing 3.0: a UBL 2.1 Invoice or CreditNote.

UBL's schema fixes the order of every element (an `xsd:sequence`), so each builder below writes
its children in exactly that order; a validator rejects a document whose elements are all there
but shuffled. The sums come from `shared.invoices.totals`, which implements the EN 16931
calculation rules (BR-CO-10 … BR-CO-17), so the amounts in the XML agree with each other and
with the PDF. Swedish national rules (SE-R-001 … SE-R-013) decide the shape of identifiers and
of Bankgiro and Plusgiro payments.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import PurePath

from services.renderer.failures import Unrenderable
from shared import vat
from shared.invoices import EXEMPTION_TEXTS, Attachment, Invoice, Party, cents, totals
from shared.peppol import electronic_address, legal_identifier, participant_address

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

F_SKATT = "Godkänd för F-skatt"

GIRO_BRANCHES = {"bankgiro": "SE:BANKGIRO", "plusgiro": "SE:PLUSGIRO"}

# The attachment types Peppol BIS 3 accepts (BT-125), recognised by their first bytes where they
# have a signature and by their name where they have none.
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"))
_JPEG = b"\xff\xd8\xff"
_BY_EXTENSION = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_ZIP = b"PK\x03\x04"

Element = ET.Element


def invoice_xml(
    invoice: Invoice,
    attachments: list[tuple[Attachment, bytes]],
    pdf: bytes | None,
    *,
    buyer_peppol_id: str | None = None,
) -> bytes:
    """The Peppol document, with the invoice's own PDF (when given) and the supplier's
    attachments embedded in that order. An invoice that breaks the VAT rules is Unrenderable:
    the invoice service refuses it before sending, and no other producer is trusted more.

    A buyer with a Peppol participant id (`0007:5566778899`, `0088:<GLN>`) is addressed by it
    (BT-49), so that the document names the receiver its transport does; any other by the
    address its organisation or VAT number gives."""
    refused = vat.invoice_problems(invoice)
    if refused:
        raise Unrenderable(
            "VAT rules: " + ", ".join(f"{field} {code}" for field, code, _ in refused)
        )
    credit = invoice.kind == "credit_note"
    categories = {choice.category for choice in vat.choices(invoice.lines, invoice.charges)}
    with_vat_numbers = vat.carries_vat_identifiers(categories)
    sums = totals(invoice.lines, invoice.charges)
    currency = invoice.currency
    root = ET.Element(
        "CreditNote" if credit else "Invoice",
        {"xmlns": CREDIT_NOTE_NS if credit else INVOICE_NS, "xmlns:cac": CAC, "xmlns:cbc": CBC},
    )
    _text(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _text(root, "cbc:ProfileID", PROFILE_ID)
    _text(root, "cbc:ID", invoice.number)
    _text(root, "cbc:IssueDate", invoice.issue_date.isoformat())
    if not credit:
        _text(root, "cbc:DueDate", invoice.due_date.isoformat())
    _text(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        "381" if credit else "380",
    )
    _optional(root, "cbc:Note", document_note(invoice))
    _text(root, "cbc:DocumentCurrencyCode", currency)
    _optional(root, "cbc:BuyerReference", invoice.buyer_reference)
    if invoice.buyer_order_number:
        _text(ET.SubElement(root, "cac:OrderReference"), "cbc:ID", invoice.buyer_order_number)
    if invoice.credited_invoice_number:
        reference = ET.SubElement(
            ET.SubElement(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"
        )
        _text(reference, "cbc:ID", invoice.credited_invoice_number)
        if invoice.credited_invoice_date:
            _text(reference, "cbc:IssueDate", invoice.credited_invoice_date.isoformat())
    if pdf is not None:
        title = "Kreditfaktura" if credit else "Faktura"
        _document(root, invoice.number, f"{title} {invoice.number}", pdf_filename(invoice), pdf)
    for attachment, content in attachments:
        _document(root, attachment.filename, None, attachment.filename, content)
    _party(
        ET.SubElement(root, "cac:AccountingSupplierParty"),
        invoice.seller,
        f_skatt=invoice.seller_f_skatt,
        vat_number=with_vat_numbers,
        contact_name=None,
    )
    _party(
        ET.SubElement(root, "cac:AccountingCustomerParty"),
        invoice.buyer,
        f_skatt=False,
        vat_number=with_vat_numbers,
        contact_name=invoice.contact_person,
        endpoint=buyer_peppol_id,
    )
    if invoice.delivery_date is not None:
        # BT-72 and BT-80: an intra-community supply needs both (BR-IC-11, BR-IC-12); the goods
        # go to the buyer's country.
        delivery = ET.SubElement(root, "cac:Delivery")
        _text(delivery, "cbc:ActualDeliveryDate", invoice.delivery_date.isoformat())
        location = ET.SubElement(ET.SubElement(delivery, "cac:DeliveryLocation"), "cac:Address")
        _country(location, "cac:Country", invoice.buyer.country)
    _payment_means(root, invoice)
    for charge in invoice.charges:
        allowance = ET.SubElement(root, "cac:AllowanceCharge")
        _text(allowance, "cbc:ChargeIndicator", "true")
        _optional(allowance, "cbc:AllowanceChargeReasonCode", charge.reason_code)
        _optional(allowance, "cbc:AllowanceChargeReason", charge.description)
        _amount(allowance, "cbc:Amount", charge.amount, currency)
        _tax_category(allowance, "cac:TaxCategory", charge.vat_category, charge.vat_rate)
    tax_total = ET.SubElement(root, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", sums.tax_total, currency)
    for row in sums.breakdown:
        subtotal = ET.SubElement(tax_total, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", row.taxable, currency)
        _amount(subtotal, "cbc:TaxAmount", row.tax, currency)
        # BR-Z-10 forbids a reason for zero-rated goods; E, AE, K, G and O require one.
        reason = EXEMPTION_TEXTS.get(row.category, {}).get("sv")
        _tax_category(subtotal, "cac:TaxCategory", row.category, row.rate, reason)
    monetary = ET.SubElement(root, "cac:LegalMonetaryTotal")
    _amount(monetary, "cbc:LineExtensionAmount", sums.line_total, currency)
    _amount(monetary, "cbc:TaxExclusiveAmount", sums.tax_exclusive, currency)
    _amount(monetary, "cbc:TaxInclusiveAmount", sums.tax_inclusive, currency)
    if invoice.charges:
        _amount(monetary, "cbc:ChargeTotalAmount", sums.charge_total, currency)
    _amount(monetary, "cbc:PayableAmount", sums.payable, currency)
    for number, line in enumerate(invoice.lines, start=1):
        item_line = ET.SubElement(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        _text(item_line, "cbc:ID", str(number))
        _text(
            item_line,
            "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
            _plain(line.quantity),
            unitCode=line.unit,
        )
        _amount(item_line, "cbc:LineExtensionAmount", line.net, currency)
        item = ET.SubElement(item_line, "cac:Item")
        _text(item, "cbc:Name", line.description)
        if line.article_id.strip():
            _text(ET.SubElement(item, "cac:SellersItemIdentification"), "cbc:ID", line.article_id)
        if invoice.origin_country:
            _country(item, "cac:OriginCountry", invoice.origin_country)
        _tax_category(item, "cac:ClassifiedTaxCategory", line.vat_category, line.vat_rate)
        price = ET.SubElement(item_line, "cac:Price")
        _text(price, "cbc:PriceAmount", _plain(line.unit_price), currencyID=currency)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def pdf_filename(invoice: Invoice) -> str:
    """`faktura-2026-17.pdf`: what the buyer's systems and mail clients call the PDF."""
    stem = "kreditfaktura" if invoice.kind == "credit_note" else "faktura"
    number = re.sub(r"[^A-Za-z0-9._-]+", "-", invoice.number).strip("-.") or "utan-nummer"
    return f"{stem}-{number}.pdf"


def document_note(invoice: Invoice) -> str | None:
    """The one document-level note Peppol allows (PEPPOL-EN16931-R002), which also carries the
    customs clearance number, for which EN 16931 has no element of its own."""
    parts = [invoice.note or ""]
    if invoice.customs_clearance_number:
        parts.append(f"Custom Clearance No.: {invoice.customs_clearance_number}")
    return "\n".join(part for part in parts if part.strip()) or None


def peppol_mime_code(filename: str, content: bytes) -> str:
    """The MIME code of an attachment Peppol accepts; Unrenderable for anything else."""
    for signature, mime in _SIGNATURES:
        if content.startswith(signature):
            return mime
    if content.startswith(_JPEG):
        return "image/jpeg"
    by_name = _BY_EXTENSION.get(PurePath(filename).suffix.lower())
    if by_name == "text/csv" or (by_name is not None and content.startswith(_ZIP)):
        return by_name
    raise Unrenderable(f"attachment {filename}: Peppol BIS 3 does not accept this type of file")


def _document(
    root: Element, identifier: str, description: str | None, filename: str, content: bytes
) -> None:
    reference = ET.SubElement(root, "cac:AdditionalDocumentReference")
    _text(reference, "cbc:ID", identifier)
    _optional(reference, "cbc:DocumentDescription", description)
    _text(
        ET.SubElement(reference, "cac:Attachment"),
        "cbc:EmbeddedDocumentBinaryObject",
        base64.b64encode(content).decode("ascii"),
        mimeCode=peppol_mime_code(filename, content),
        filename=filename,
    )


def _party(
    parent: Element,
    party: Party,
    *,
    f_skatt: bool,
    vat_number: bool,
    contact_name: str | None,
    endpoint: str | None = None,
) -> None:
    element = ET.SubElement(parent, "cac:Party")
    address = participant_address(endpoint) if endpoint else electronic_address(party)
    if address is not None:
        _text(element, "cbc:EndpointID", address[1], schemeID=address[0])
    _text(ET.SubElement(element, "cac:PartyName"), "cbc:Name", party.name)
    postal = ET.SubElement(element, "cac:PostalAddress")
    _optional(postal, "cbc:StreetName", party.street)
    _optional(postal, "cbc:CityName", party.city)
    _optional(postal, "cbc:PostalZone", party.postal_code)
    _country(postal, "cac:Country", party.country)
    if vat_number and party.vat_number:
        _tax_scheme(element, party.vat_number, "VAT")
    if f_skatt:
        # SE-R-005: the seller's tax registration (BT-32) states exactly this.
        _tax_scheme(element, F_SKATT, "TAX")
    legal = ET.SubElement(element, "cac:PartyLegalEntity")
    _text(legal, "cbc:RegistrationName", party.name)
    identifier = legal_identifier(party)
    if identifier is not None:
        _text(legal, "cbc:CompanyID", identifier[1], schemeID=identifier[0])
    else:
        _optional(legal, "cbc:CompanyID", party.organisation_number)
    contact = [
        ("cbc:Name", contact_name),
        ("cbc:Telephone", party.phone),
        ("cbc:ElectronicMail", party.email),
    ]
    if any(value and value.strip() for _, value in contact):
        element_contact = ET.SubElement(element, "cac:Contact")
        for tag, value in contact:
            _optional(element_contact, tag, value)


def _tax_scheme(party: Element, company_id: str, scheme: str) -> None:
    element = ET.SubElement(party, "cac:PartyTaxScheme")
    _text(element, "cbc:CompanyID", company_id)
    _text(ET.SubElement(element, "cac:TaxScheme"), "cbc:ID", scheme)


def _payment_means(root: Element, invoice: Invoice) -> None:
    """Credit transfer to the supplier's account; a credit note's due date lives here too,
    since a UBL CreditNote has no DueDate of its own."""
    credit = invoice.kind == "credit_note"
    account = invoice.payment_account
    if account is None and not credit:
        return
    means = ET.SubElement(root, "cac:PaymentMeans")
    # 30 is credit transfer (SE-R-011, SE-R-012); 1 is "not defined", for a credit note that
    # names no account of the supplier's.
    _text(means, "cbc:PaymentMeansCode", "30" if account else "1")
    if credit:
        _text(means, "cbc:PaymentDueDate", invoice.due_date.isoformat())
    _optional(means, "cbc:PaymentID", invoice.payment_reference)
    if account is None:
        return
    financial = ET.SubElement(means, "cac:PayeeFinancialAccount")
    if account.kind in GIRO_BRANCHES:
        # SE-R-007 … SE-R-010: the Bankgiro or Plusgiro number as digits only.
        _text(financial, "cbc:ID", re.sub(r"[^0-9]", "", account.number))
        branch = GIRO_BRANCHES[account.kind]
    else:
        _text(financial, "cbc:ID", re.sub(r"\s", "", account.number))
        branch = account.bic or ""
    if branch:
        _text(ET.SubElement(financial, "cac:FinancialInstitutionBranch"), "cbc:ID", branch)


def _tax_category(
    parent: Element, tag: str, category: str, rate: Decimal, reason: str | None = None
) -> None:
    element = ET.SubElement(parent, tag)
    _text(element, "cbc:ID", category)
    # BR-O-05/09/10: outside the scope of VAT there is no rate at all.
    if category != "O":
        _text(element, "cbc:Percent", _plain(rate))
    _optional(element, "cbc:TaxExemptionReason", reason)
    _text(ET.SubElement(element, "cac:TaxScheme"), "cbc:ID", "VAT")


def _country(parent: Element, tag: str, code: str) -> None:
    _text(ET.SubElement(parent, tag), "cbc:IdentificationCode", code)


def _amount(parent: Element, tag: str, value: Decimal, currency: str) -> None:
    # PEPPOL-EN16931-R051 and the BR-DEC rules: amounts carry exactly two decimals.
    _text(parent, tag, f"{cents(value):.2f}", currencyID=currency)


def _plain(value: Decimal) -> str:
    """A quantity, price or rate without exponent or trailing zeros: `7.5`, `950`, `12.3456`."""
    return f"{value.normalize():f}"


def _text(parent: Element, tag: str, value: str, **attributes: str) -> Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = value
    return element


def _optional(parent: Element, tag: str, value: str | None) -> None:
    # PEPPOL-EN16931-R008: no empty elements.
    if value is not None and value.strip():
        _text(parent, tag, value)
