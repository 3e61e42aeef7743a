"""The buyer's answer to an invoice, as Peppol carries it: an Invoice Response.

A buyer marks a received invoice Mottagen, Godkänd, Avvisad (with a reason) or Betald. The same
status travels to the supplier's access point as a Peppol BIS Invoice Response 3 document
(transaction T111), a UBL 2.1 ApplicationResponse, so a supplier whose own system reads Invoice
Responses learns it without opening the portal.

Each portal status is one code of the UNCL 4343 subset T111 allows (AB AP RE IP UQ CA PD):

* Mottagen -> AB, "message acknowledgement": the buyer has a readable invoice that it can hand
  on for processing. IP ("in process") would say more than the portal knows: that handling has
  started in the buyer's own system.
* Godkänd -> AP, "accepted": the final approval, after which payment is the next step.
* Avvisad -> RE, "rejected": the buyer will not process this invoice further. PEPPOL-T111-R001
  requires a clarification code, so a rejection carries one of the OpenPeppol status reasons
  (OPStatusReason) and the buyer's own words.
* Betald -> PD, "paid", on the day the payment was made.

Everything here is pure: the caller gives the response its id and the moment it is issued, and
the invoice as it was sent, so the parties in the response are the parties of that document.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Literal, Self
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, model_validator

from shared.invoices import Invoice, Model, Party
from shared.peppol import electronic_address
from shared.text import Lines

CUSTOMIZATION_ID = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
PROFILE_ID = "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"

APPLICATION_RESPONSE_NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# Dates in an Invoice Response are calendar days; the portal's days are Swedish ones.
SWEDISH_TIME = ZoneInfo("Europe/Stockholm")

StatusKind = Literal["received", "approved", "rejected", "paid"]

# UNCL 4343, the subset PEPPOL-T111-B03001 accepts; why each: the module's docstring.
RESPONSE_CODES: dict[StatusKind, str] = {
    "received": "AB",
    "approved": "AP",
    "rejected": "RE",
    "paid": "PD",
}

RejectionCode = Literal[
    "REF", "LEG", "REC", "QUA", "DEL", "PRI", "QTY", "ITM", "PAY", "UNR", "FIN", "OTH"
]

# The OpenPeppol status reasons (OPStatusReason) a rejection can give, with what the portal
# calls them. Two codes of the list are left out on purpose: NON ("no issue") contradicts a
# rejection, and PPD ("partially paid") is allowed only with PD (PEPPOL-T111-R005).
REJECTION_REASONS: dict[RejectionCode, dict[str, str]] = {
    "REF": {"sv": "Referenser saknas eller är fel", "en": "References incorrect"},
    "LEG": {"sv": "Lagstadgade uppgifter saknas eller är fel", "en": "Legal information incorrect"},
    "REC": {"sv": "Okänd mottagare", "en": "Receiver unknown"},
    "QUA": {"sv": "Bristande kvalitet", "en": "Item quality insufficient"},
    "DEL": {"sv": "Leveransen godtas inte", "en": "Delivery issues"},
    "PRI": {"sv": "Fel pris", "en": "Prices incorrect"},
    "QTY": {"sv": "Fel antal", "en": "Quantity incorrect"},
    "ITM": {"sv": "Fel artiklar", "en": "Items incorrect"},
    "PAY": {"sv": "Fel betalningsvillkor", "en": "Payment terms incorrect"},
    "UNR": {"sv": "Affären är okänd", "en": "Not recognized"},
    "FIN": {"sv": "Fel finansiella villkor", "en": "Finance incorrect"},
    "OTH": {"sv": "Annat", "en": "Other"},
}

# UNCL 1001: what the response is about.
DOCUMENT_TYPE_CODES = {"invoice": "380", "credit_note": "381"}


class InvoiceStatus(Model):
    """One status a buyer gives one invoice, and when it took effect.

    Only a rejection has a reason: the buyer's own words (required, since a supplier cannot
    correct an invoice it is not told what is wrong with) and a reason code (OTH, "other",
    unless the buyer chose one).
    """

    kind: StatusKind
    at: AwareDatetime
    reason: Lines | None = None
    reason_code: RejectionCode | None = None

    @model_validator(mode="after")
    def _reason_only_for_a_rejection(self) -> Self:
        if self.kind == "rejected":
            if self.reason is None or not self.reason.strip():
                raise ValueError("a rejected invoice needs a reason the supplier can act on")
        elif self.reason is not None or self.reason_code is not None:
            raise ValueError(f"only a rejection has a reason, not the status {self.kind!r}")
        return self


def invoice_response_xml(
    invoice: Invoice, status: InvoiceStatus, *, response_id: uuid.UUID, issued_at: datetime
) -> bytes:
    """The Invoice Response (T111) telling the invoice's seller its buyer's `status`.

    `invoice` is the document as it was sent, so the response names the same parties and the
    same invoice number. Raises ValueError when a party has no Peppol electronic address (such
    an invoice could not have been sent through Peppol either) or `issued_at` has no time zone.
    """
    issued = _swedish(issued_at)
    root = ET.Element(
        "ApplicationResponse",
        {"xmlns": APPLICATION_RESPONSE_NS, "xmlns:cac": CAC, "xmlns:cbc": CBC},
    )
    _text(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _text(root, "cbc:ProfileID", PROFILE_ID)
    _text(root, "cbc:ID", str(response_id))
    _text(root, "cbc:IssueDate", issued.date().isoformat())
    _text(root, "cbc:IssueTime", issued.strftime("%H:%M:%S"))
    _party(root, "cac:SenderParty", invoice.buyer, "buyer")
    _party(root, "cac:ReceiverParty", invoice.seller, "seller")
    document_response = ET.SubElement(root, "cac:DocumentResponse")
    _response(document_response, status)
    _document_reference(document_response, invoice)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def _swedish(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the moment an Invoice Response is issued needs a time zone")
    return moment.astimezone(SWEDISH_TIME)


def _swedish_day(moment: datetime) -> date:
    return _swedish(moment).date()


def _party(root: ET.Element, tag: str, party: Party, role: str) -> None:
    """Sender or receiver: where Peppol reaches it, and its registered name (T111 needs both)."""
    address = electronic_address(party)
    if address is None:
        raise ValueError(f"the {role} {party.name!r} has no Peppol electronic address")
    element = ET.SubElement(root, tag)
    _text(element, "cbc:EndpointID", address[1], schemeID=address[0])
    _text(ET.SubElement(element, "cac:PartyLegalEntity"), "cbc:RegistrationName", party.name)


def _response(parent: ET.Element, status: InvoiceStatus) -> None:
    response = ET.SubElement(parent, "cac:Response")
    _text(response, "cbc:ResponseCode", RESPONSE_CODES[status.kind], listID="UNCL4343OpSubset")
    _text(response, "cbc:EffectiveDate", _swedish_day(status.at).isoformat())
    if status.kind == "rejected" and status.reason is not None:
        clarification = ET.SubElement(response, "cac:Status")
        _text(
            clarification,
            "cbc:StatusReasonCode",
            status.reason_code or "OTH",
            listID="OPStatusReason",
        )
        _text(clarification, "cbc:StatusReason", status.reason.strip())


def _document_reference(parent: ET.Element, invoice: Invoice) -> None:
    reference = ET.SubElement(parent, "cac:DocumentReference")
    _text(reference, "cbc:ID", invoice.number)
    _text(reference, "cbc:IssueDate", invoice.issue_date.isoformat())
    _text(reference, "cbc:DocumentTypeCode", DOCUMENT_TYPE_CODES[invoice.kind])


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = value
    return element
