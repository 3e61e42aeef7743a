"""Every status a buyer gives an invoice, as an Invoice Response (T111), passes the UBL 2.1 schema
and the official OpenPeppol T111 rules; a broken response is caught by the rule that guards it."""

from __future__ import annotations

import re
import typing
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from devtools.peppol import Finding, validate
from devtools.peppol.validation import RULES_DIR, SCHEMA_RULE, applicable_rule_sets
from shared.invoice_response import (
    REJECTION_REASONS,
    RESPONSE_CODES,
    InvoiceStatus,
    RejectionCode,
    invoice_response_xml,
)
from shared.invoices import Invoice
from tests.renderer.factories import BUYER, credit_note, invoice

NS = {
    "ar": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
RESPONSE_ID = uuid.UUID("6f1c2b9e-4d3a-4e8b-9c71-2a5d8e0f1b34")
ISSUED_AT = datetime(2026, 3, 20, 13, 34, 32, tzinfo=UTC)  # 14:34:32 in Sweden
AT = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
REASON = "Ordernumret 4500098765 finns inte hos oss; ange det avrop arbetet gäller."

DOCUMENTS = {"invoice": invoice(), "credit note": credit_note()}

STATUSES: dict[str, InvoiceStatus] = {
    "received": InvoiceStatus(kind="received", at=AT),
    "approved": InvoiceStatus(kind="approved", at=AT),
    "paid": InvoiceStatus(kind="paid", at=AT),
    "rejected, no code given": InvoiceStatus(kind="rejected", at=AT, reason=REASON),
    **{
        f"rejected {code}": InvoiceStatus(kind="rejected", at=AT, reason=REASON, reason_code=code)
        for code in REJECTION_REASONS
    },
}


def response(document: Invoice, status: InvoiceStatus) -> bytes:
    return invoice_response_xml(document, status, response_id=RESPONSE_ID, issued_at=ISSUED_AT)


def fatal(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.flag == "fatal"]


def value(xml: bytes, path: str) -> str | None:
    return ET.fromstring(xml).findtext(path, namespaces=NS)  # noqa: S314 -- our own document


@pytest.mark.parametrize("status_name", list(STATUSES))
@pytest.mark.parametrize("document_name", list(DOCUMENTS))
def test_every_status_passes_the_schema_and_the_t111_rules(
    document_name: str, status_name: str
) -> None:
    findings = validate(response(DOCUMENTS[document_name], STATUSES[status_name]))
    assert fatal(findings) == [], "\n".join(f"{f.rule}: {f.message}" for f in findings)
    assert findings == []  # not even a warning


def official_list(name: str) -> set[str]:
    """A code list as the vendored T111 rules spell it out (`<let name=... tokenize(...)>`)."""
    rules = (RULES_DIR / "PEPPOLBIS-T111.sch").read_text(encoding="utf-8")
    found = re.search(rf'<let name="{name}"\s+value="tokenize\(\'([^\']*)\'', rules)
    assert found is not None, name
    return set(found.group(1).split())


def test_the_codes_are_in_the_official_lists() -> None:
    assert set(RESPONSE_CODES.values()) <= official_list("clUNCL4343-T111")
    # NON ("no issue") contradicts a rejection; PPD ("partially paid") belongs to PD.
    assert set(REJECTION_REASONS) == official_list("clOPStatusReason") - {"NON", "PPD"}
    assert set(REJECTION_REASONS) == set(typing.get_args(RejectionCode))


def test_each_portal_status_has_its_code() -> None:
    assert RESPONSE_CODES == {"received": "AB", "approved": "AP", "rejected": "RE", "paid": "PD"}


@pytest.mark.parametrize(
    ("status_name", "code"), [("received", "AB"), ("approved", "AP"), ("paid", "PD")]
)
def test_a_status_without_a_reason_is_its_code_alone(status_name: str, code: str) -> None:
    xml = response(invoice(), STATUSES[status_name])
    assert value(xml, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == code
    assert value(xml, "cac:DocumentResponse/cac:Response/cbc:EffectiveDate") == "2026-03-18"
    assert value(xml, "cac:DocumentResponse/cac:Response/cac:Status") is None


def test_a_rejection_carries_its_code_and_the_buyers_words() -> None:
    status = InvoiceStatus(kind="rejected", at=AT, reason=f"  {REASON}\n", reason_code="PRI")
    xml = response(invoice(), status)
    root = ET.fromstring(xml)  # noqa: S314 -- our own document
    code = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode", NS)
    assert code is not None and code.text == "RE" and code.get("listID") == "UNCL4343OpSubset"
    reason_code = root.find("cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReasonCode", NS)
    assert reason_code is not None
    assert (reason_code.text, reason_code.get("listID")) == ("PRI", "OPStatusReason")
    assert value(xml, "cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReason") == REASON


def test_a_rejection_without_a_chosen_code_is_other() -> None:
    xml = response(invoice(), STATUSES["rejected, no code given"])
    path = "cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReasonCode"
    assert value(xml, path) == "OTH"


@pytest.mark.parametrize(
    ("document_name", "type_code"), [("invoice", "380"), ("credit note", "381")]
)
def test_the_response_names_the_invoice_and_its_parties(document_name: str, type_code: str) -> None:
    document = DOCUMENTS[document_name]
    xml = response(document, STATUSES["approved"])
    assert value(xml, "cbc:CustomizationID") == "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
    assert value(xml, "cbc:ProfileID") == "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"
    assert value(xml, "cbc:ID") == str(RESPONSE_ID)
    reference = "cac:DocumentResponse/cac:DocumentReference/"
    assert value(xml, reference + "cbc:ID") == document.number
    assert value(xml, reference + "cbc:IssueDate") == document.issue_date.isoformat()
    assert value(xml, reference + "cbc:DocumentTypeCode") == type_code
    # The buyer answers its supplier.
    assert value(xml, "cac:SenderParty/cbc:EndpointID") == "5560360793"
    assert value(xml, "cac:SenderParty/cac:PartyLegalEntity/cbc:RegistrationName") == BUYER.name
    assert value(xml, "cac:ReceiverParty/cbc:EndpointID") == "5566778899"
    assert value(xml, "cac:ReceiverParty/cac:PartyLegalEntity/cbc:RegistrationName") == (
        document.seller.name
    )


def test_dates_are_swedish_days() -> None:
    late = InvoiceStatus(kind="paid", at=datetime(2026, 3, 30, 22, 30, tzinfo=UTC))
    xml = invoice_response_xml(
        invoice(),
        late,
        response_id=RESPONSE_ID,
        issued_at=datetime(2026, 12, 31, 23, 5, tzinfo=UTC),
    )
    assert value(xml, "cac:DocumentResponse/cac:Response/cbc:EffectiveDate") == "2026-03-31"
    assert value(xml, "cbc:IssueDate") == "2027-01-01"
    assert value(xml, "cbc:IssueTime") == "00:05:00"


# --- what is refused -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_a_rejection_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(ValueError, match="rejected invoice needs a reason"):
        InvoiceStatus(kind="rejected", at=AT, reason=reason, reason_code="REF")


@pytest.mark.parametrize("extra", [{"reason": REASON}, {"reason_code": "PRI"}])
def test_only_a_rejection_has_a_reason(extra: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="only a rejection has a reason"):
        InvoiceStatus.model_validate({"kind": "approved", "at": AT, **extra})


@pytest.mark.parametrize("code", ["NON", "PPD", "NIN", "ref"])
def test_a_rejection_code_outside_the_list_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="reason_code"):
        InvoiceStatus.model_validate(
            {"kind": "rejected", "at": AT, "reason": REASON, "reason_code": code}
        )


def test_control_characters_in_the_reason_are_refused() -> None:
    with pytest.raises(ValueError, match="control characters"):
        InvoiceStatus(kind="rejected", at=AT, reason="Fel\x01pris")


def test_moments_without_a_time_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        InvoiceStatus.model_validate({"kind": "paid", "at": datetime(2026, 3, 18, 9, 0)})
    with pytest.raises(ValueError, match="time zone"):
        invoice_response_xml(
            invoice(),
            STATUSES["paid"],
            response_id=RESPONSE_ID,
            issued_at=datetime(2026, 3, 18, 9, 0),
        )


def test_a_party_peppol_cannot_reach_is_refused() -> None:
    american = BUYER.model_copy(update={"country": "US", "organisation_number": "12-3456789"})
    with pytest.raises(ValueError, match="buyer 'Infranord AB' has no Peppol electronic address"):
        response(invoice(buyer=american), STATUSES["received"])


# --- the check is real: broken responses trip the official rules ----------------------------

GOOD = response(invoice(), STATUSES["rejected PRI"]).decode()

BROKEN = {
    "a status code outside UNCL 4343's T111 subset": (
        (">RE</cbc:ResponseCode>", ">OK</cbc:ResponseCode>"),
        "PEPPOL-T111-B03001",
    ),
    "a rejection without a clarification code": (
        ('<cbc:StatusReasonCode listID="OPStatusReason">PRI</cbc:StatusReasonCode>', ""),
        "PEPPOL-T111-R001",
    ),
    "an action code given as a reason": (
        ('listID="OPStatusReason">PRI<', 'listID="OPStatusReason">NIN<'),
        "PEPPOL-T111-R007",
    ),
    "a document type outside UNCL 1001": (
        (">380</cbc:DocumentTypeCode>", ">9999</cbc:DocumentTypeCode>"),
        "PEPPOL-T111-B04201",
    ),
    "a supplier's organisation number failing Luhn": (
        (">5566778899</cbc:EndpointID>", ">5566778898</cbc:EndpointID>"),
        "PEPPOL-COMMON-R049",
    ),
    "an invoice response of another specification": (
        ("trns:invoice_response:3", "trns:mlr:3"),
        "PEPPOL-T111-R003",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_response_trips_its_rule(name: str) -> None:
    (old, new), rule = BROKEN[name]
    assert GOOD.count(old) == 1, f"{old!r} occurs {GOOD.count(old)} times"
    findings = validate(GOOD.replace(old, new).encode())
    assert [(finding.rule, finding.flag) for finding in findings] == [(rule, "fatal")], findings


def test_elements_out_of_the_schemas_order_are_refused_before_any_rule() -> None:
    effective = re.search(r"\s*<cbc:EffectiveDate>[^<]*</cbc:EffectiveDate>", GOOD)
    assert effective is not None
    shuffled = GOOD.replace(effective.group(0), "").replace(
        "<cbc:ResponseCode", effective.group(0).strip() + "<cbc:ResponseCode"
    )
    assert {finding.rule for finding in validate(shuffled.encode())} == {SCHEMA_RULE}


def test_an_invoice_response_gets_only_the_t111_rules() -> None:
    namespace = NS["ar"]
    assert [rule_set.filename for rule_set in applicable_rule_sets(namespace)] == [
        "PEPPOLBIS-T111.sch"
    ]
    with pytest.raises(ValueError, match="no Peppol rules"):
        applicable_rule_sets("urn:oasis:names:specification:ubl:schema:xsd:Order-2")
