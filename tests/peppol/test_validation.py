"""The official EN 16931 and Peppol BIS 3 rules, run offline on hand-written samples.

Each mutated copy changes one fact of a correct invoice and must trip the official rule
that guards it; if a mutation stopped tripping its rule, either the rules or our runner
changed meaning, and that is worth a failing test.
"""

from __future__ import annotations

import hashlib
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from devtools.peppol import Finding, rule_sets, validate
from devtools.peppol.schema import SCHEMAS_DIR
from devtools.peppol.schematron import SVRL_NS, compile_schematron
from devtools.peppol.validation import (
    SCHEMA_RULE,
    RuleEvaluationError,
    _engine,
    business_rule_findings,
)
from shared import identifiers

SAMPLES = Path(__file__).with_name("samples")
PROVENANCE = (SCHEMAS_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
INVOICE = (SAMPLES / "ek_sparteknik_invoice.xml").read_text(encoding="utf-8")
REVERSE_CHARGE = (SAMPLES / "ek_sparteknik_reverse_charge.xml").read_text(encoding="utf-8")


def mutate(document: str, *replacements: tuple[str, str]) -> bytes:
    """Apply replacements that must each hit exactly one place, so a sample edit that
    makes a mutation silently miss fails here instead of passing for the wrong reason."""
    for old, new in replacements:
        assert document.count(old) == 1, f"{old!r} occurs {document.count(old)} times"
        document = document.replace(old, new)
    return document.encode("utf-8")


def fatal(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.flag == "fatal"]


def test_sample_identifiers_pass_our_own_checks() -> None:
    assert identifiers.organisation_number("5566778899") == "556677-8899"
    assert identifiers.organisation_number("5560360793") == "556036-0793"
    assert identifiers.vat_number("SE556677889901", "SE", "5566778899") == "SE556677889901"
    assert identifiers.vat_number("SE556036079301", "SE", "5560360793") == "SE556036079301"
    assert identifiers.bankgiro("50501055") == "5050-1055"
    assert identifiers.ocr("1234567897") == "1234567897"
    # The Luhn mutation below must really break Luhn.
    assert not identifiers.luhn_valid("5566778898")


def test_rule_sets_name_the_versions_that_run() -> None:
    assert rule_sets() == {
        "CEN EN16931 UBL": "1.3.16",
        "Peppol BIS Billing 3": "3.0.21",
        "Peppol Invoice Response (T111)": "3.1",
    }


@pytest.mark.parametrize("document", [INVOICE, REVERSE_CHARGE], ids=["standard", "reverse"])
def test_correct_samples_pass_every_rule(document: str) -> None:
    findings = validate(document.encode("utf-8"))
    assert fatal(findings) == []
    assert findings == []  # not even a warning


MUTATIONS = {
    "wrong TaxExclusiveAmount": (
        [
            (
                'TaxExclusiveAmount currencyID="SEK">21910.00',
                'TaxExclusiveAmount currencyID="SEK">21900.00',
            )
        ],
        "BR-CO-13",
        "fatal",
    ),
    "wrong sum of lines": (
        [
            (
                '<cbc:LineExtensionAmount currencyID="SEK">20660.00',
                '<cbc:LineExtensionAmount currencyID="SEK">20670.00',
            )
        ],
        "BR-CO-10",
        "fatal",
    ),
    "seller VAT number of 13 characters": (
        [("<cbc:CompanyID>SE556677889901<", "<cbc:CompanyID>SE55667788990<")],
        "SE-R-001",
        "fatal",
    ),
    "bankgiro with a letter": (
        [("<cbc:ID>50501055</cbc:ID>", "<cbc:ID>5050105X</cbc:ID>")],
        "SE-R-008",
        "warning",
    ),
    "bankgiro of 9 digits": (
        [("<cbc:ID>50501055</cbc:ID>", "<cbc:ID>505010555</cbc:ID>")],
        "SE-R-009",
        "warning",
    ),
    "organisation number failing Luhn": (
        [
            (
                '<cbc:CompanyID schemeID="0007">5566778899</cbc:CompanyID>',
                '<cbc:CompanyID schemeID="0007">5566778898</cbc:CompanyID>',
            )
        ],
        "SE-R-013",
        "fatal",
    ),
    "no buyer reference and no order reference": (
        [
            ("<cbc:BuyerReference>INF-4711</cbc:BuyerReference>", ""),
            ("<cac:OrderReference>\n    <cbc:ID>PO-88123</cbc:ID>\n  </cac:OrderReference>", ""),
        ],
        "PEPPOL-EN16931-R003",
        "fatal",
    ),
    "F-skatt not stated as Godkänd för F-skatt": (
        [
            (
                "<cbc:CompanyID>Godkänd för F-skatt</cbc:CompanyID>",
                "<cbc:CompanyID>F-skatt</cbc:CompanyID>",
            )
        ],
        "SE-R-005",
        "fatal",
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_trips_its_rule(name: str) -> None:
    replacements, rule, flag = MUTATIONS[name]
    findings = validate(mutate(INVOICE, *replacements))
    assert (rule, flag) in {(finding.rule, finding.flag) for finding in findings}, findings


def test_reverse_charge_with_vat_amount_trips_a_br_ae_rule() -> None:
    # VAT of 25 % entered on an AE (reverse charge) breakdown, totals kept consistent.
    document = mutate(
        REVERSE_CHARGE,
        (
            '<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>\n    <cac:TaxSubtotal>',
            '<cbc:TaxAmount currencyID="SEK">9500.00</cbc:TaxAmount>\n    <cac:TaxSubtotal>',
        ),
        (
            '<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
            '<cbc:TaxAmount currencyID="SEK">9500.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
        ),
        (
            'TaxInclusiveAmount currencyID="SEK">38000.00',
            'TaxInclusiveAmount currencyID="SEK">47500.00',
        ),
        ('PayableAmount currencyID="SEK">38000.00', 'PayableAmount currencyID="SEK">47500.00'),
    )
    rules = {finding.rule for finding in fatal(validate(document))}
    assert "BR-AE-09" in rules
    assert any(rule.startswith("BR-AE-") for rule in rules)


def test_reverse_charge_line_with_vat_rate_trips_br_ae_05() -> None:
    document = mutate(
        REVERSE_CHARGE,
        (
            "<cbc:ID>AE</cbc:ID>\n        <cbc:Percent>0</cbc:Percent>\n        <cac:TaxScheme>",
            "<cbc:ID>AE</cbc:ID>\n        <cbc:Percent>25</cbc:Percent>\n        <cac:TaxScheme>",
        ),
    )
    assert [finding.rule for finding in validate(document)] == ["BR-AE-05"]


def test_a_finding_carries_message_and_location() -> None:
    replacements, _, _ = MUTATIONS["wrong sum of lines"]
    findings = validate(mutate(INVOICE, *replacements))
    line_sum = next(finding for finding in findings if finding.rule == "BR-CO-10")
    assert line_sum.flag == "fatal"
    assert line_sum.message.startswith("[BR-CO-10]-Sum of Invoice line net amount (BT-106)")
    assert line_sum.location == "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]"


def test_broken_xml_is_refused() -> None:
    with pytest.raises(ValueError, match="well-formed"):
        validate(b"<Invoice>")


def test_a_doctype_is_refused() -> None:
    # Entities and external DTDs have no place in UBL, and Saxon must never fetch one.
    document = b'<!DOCTYPE Invoice SYSTEM "http://example.invalid/x.dtd"><Invoice/>'
    with pytest.raises(ValueError, match="DOCTYPE"):
        validate(document)


def test_an_impossible_due_date_is_refused_by_the_schema_and_by_peppol() -> None:
    document = mutate(INVOICE, ("<cbc:DueDate>2026-12-20<", "<cbc:DueDate>2026-13-20<"))
    [schema_error] = validate(document)
    assert schema_error.rule == SCHEMA_RULE and schema_error.flag == "fatal"
    assert "DueDate" in schema_error.message and "2026-13-20" in schema_error.message
    # The rules behind the schema say the same, for a validator that skips the schema.
    rules = business_rule_findings(document.decode())
    assert [finding.rule for finding in rules] == ["PEPPOL-EN16931-F001"]


def test_elements_out_of_the_schemas_order_are_refused() -> None:
    document = mutate(
        INVOICE,
        ("<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>", ""),
        (
            "<cbc:CustomizationID>",
            "<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode><cbc:CustomizationID>",
        ),
    )
    assert {finding.rule for finding in validate(document)} == {SCHEMA_RULE}


def test_every_schema_file_is_the_one_recorded() -> None:
    recorded = dict(
        re.findall(r"^\| `([^`]+\.xsd)` \| `([0-9a-f]{64})` \|$", PROVENANCE, flags=re.M)
    )
    kept = {path.relative_to(SCHEMAS_DIR).as_posix(): path for path in SCHEMAS_DIR.rglob("*.xsd")}
    assert recorded.keys() == kept.keys()
    for name, path in kept.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[name], name


def test_an_impossible_period_date_stops_the_rules() -> None:
    # The CEN rules cast period dates with xs:date() unguarded, so a month 13 is an XPath
    # dynamic error there (as in the Java validators), not a finding.
    period = (
        "<cac:InvoicePeriod><cbc:StartDate>2026-13-01</cbc:StartDate>"
        "<cbc:EndDate>2026-11-30</cbc:EndDate></cac:InvoicePeriod>\n  "
    )
    document = mutate(INVOICE, ("<cac:OrderReference>", period + "<cac:OrderReference>"))
    assert {finding.rule for finding in validate(document)} == {SCHEMA_RULE}
    with pytest.raises(RuleEvaluationError, match="2026-13-01"):
        business_rule_findings(document.decode())


def test_validation_is_fast_after_warm_up() -> None:
    document = INVOICE.encode("utf-8")
    validate(document)  # compiles the rule sets once per process
    started = time.perf_counter()
    for _ in range(10):
        validate(document)
    assert (time.perf_counter() - started) / 10 < 1.0


# --- the Schematron compiler on its own -------------------------------------------------------

MINI_SCHEMA = b"""<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="t" uri="urn:test"/>
  <ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>
  <let name="limit" value="/t:doc/@limit"/>
  <pattern>
    <rule context="t:item[@special]">
      <assert id="SPECIAL" test="false()" flag="warning">special item <value-of select="@id"/></assert>
    </rule>
    <rule context="t:item">
      <let name="value" value="xs:integer(@value)"/>
      <assert id="LIMIT" test="$value le xs:integer($limit)" flag="fatal">over the limit</assert>
      <report id="REPORT" test="$value = 0" flag="warning">zero</report>
    </rule>
  </pattern>
  <pattern>
    <rule context="t:item">
      <assert id="SECOND-PATTERN" test="false()" flag="fatal">every item</assert>
    </rule>
  </pattern>
</schema>"""

MINI_DOCUMENT = b"""<doc xmlns="urn:test" limit="5">
  <item id="a" value="7"/><item id="b" value="0"/><group><item id="c" value="1" special="y"/></group>
</doc>"""


def test_compiler_follows_schematron_rule_semantics() -> None:
    engine = _engine()
    stylesheet = compile_schematron(MINI_SCHEMA)
    executable = engine.processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_text=stylesheet
    )
    document = engine.processor.parse_xml(xml_text=MINI_DOCUMENT.decode())
    executable.set_global_context_item(xdm_item=document)
    report = ET.fromstring(executable.transform_to_string(xdm_node=document))  # noqa: S314
    fired = [
        (element.get("id"), " ".join("".join(element.itertext()).split()))
        for element in report
        if element.tag in (f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report")
    ]
    assert fired == [
        ("LIMIT", "over the limit"),  # item a: 7 > 5 (global let, rule let)
        ("REPORT", "zero"),  # item b: report fires when its test is true
        ("SPECIAL", "special item c"),  # item c: only the first matching rule of a pattern
        ("SECOND-PATTERN", "every item"),  # every pattern walks the document again
        ("SECOND-PATTERN", "every item"),
        ("SECOND-PATTERN", "every item"),
    ]
