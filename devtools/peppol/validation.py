"""Validate UBL documents against the official EN 16931 and Peppol BIS 3 rules.

Why this exists: our own checks (``shared.identifiers``, the invoice model)
are written by us, so a test that only uses them can agree with a bug.  The
rules an access point applies to an invoice or credit note are the CEN
EN 16931 Schematron plus the OpenPeppol BIS Billing 3.0 Schematron, and to an
Invoice Response (an ApplicationResponse) the OpenPeppol T111 Schematron;
running *those* in the test-suite catches the mistakes a receiving access
point would reject.

Everything runs offline: the ``.sch`` files are vendored under ``rules/``
(provenance and checksums in ``rules/PROVENANCE.md``), compiled to XSLT 3.0
by :mod:`devtools.peppol.schematron` and executed with Saxon-HE from the
``saxonche`` wheel -- no Java, no network.

The document's root element decides which rule sets apply, as the document
type decides it for an access point; they run in the order access points use
(for an invoice: CEN rules first, then Peppol rules).  Every applicable rule
set always runs and every finding is returned; deciding what is fatal is left
to the caller (``Finding.flag``).
"""

from __future__ import annotations

import hashlib
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.parsers import expat

from devtools.peppol.schema import schema_errors
from devtools.peppol.schematron import SVRL_NS, compile_schematron

RULES_DIR = Path(__file__).with_name("rules")
SCHEMA_RULE = "UBL-2.1-XSD"

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
APPLICATION_RESPONSE_NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"


@dataclass(frozen=True)
class RuleSet:
    """One vendored Schematron file, pinned by checksum, and the document types it checks
    (the namespaces of their root elements)."""

    name: str
    filename: str
    sha256: str
    version_pattern: str
    documents: frozenset[str]


# Pinned so that an accidental edit of a vendored rule file fails loudly
# instead of quietly changing what "valid" means.  Update procedure:
# rules/PROVENANCE.md.
RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        name="CEN EN16931 UBL",
        filename="CEN-EN16931-UBL.sch",
        sha256="268d4f7a2688676695e6c69cba6fba69a6802604fee12cb544a6b30ff09555a3",
        version_pattern=r"Schematron version (\S+) - Last update",
        documents=frozenset({INVOICE_NS, CREDIT_NOTE_NS}),
    ),
    RuleSet(
        name="Peppol BIS Billing 3",
        filename="PEPPOL-EN16931-UBL.sch",
        sha256="f8234c0ec97317a5c4b690d414b0daae386031c9ac9a8ea3a5f693f5098a4cd9",
        version_pattern=r"Last update: \d{4} \w+ release (\S+?)\.?\s",
        documents=frozenset({INVOICE_NS, CREDIT_NOTE_NS}),
    ),
    RuleSet(
        name="Peppol Invoice Response (T111)",
        filename="PEPPOLBIS-T111.sch",
        sha256="727eef7f41e0f478f546e87b6bc36cbeb256a73f2ebdd265450f47127948b562",
        version_pattern=r"<title>Rules for Peppol Invoice Response transaction (\S+)</title>",
        documents=frozenset({APPLICATION_RESPONSE_NS}),
    ),
)

# Namespace URI -> prefix used to make SVRL locations readable.
_PREFIXES = {
    INVOICE_NS: "ubl",
    CREDIT_NOTE_NS: "cn",
    APPLICATION_RESPONSE_NS: "ubl",  # as the T111 rules name it
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
}
_EQNAME = re.compile(r"Q\{([^}]*)\}")
_SVRL = f"{{{SVRL_NS}}}"


@dataclass(frozen=True)
class Finding:
    """One failed assertion (or fired report) of an official rule."""

    rule: str  # e.g. "BR-CO-10", "SE-R-005", "PEPPOL-EN16931-R003"
    flag: str  # "fatal" or "warning", as the rule itself declares
    message: str
    location: str  # XPath of the offending node, e.g. /ubl:Invoice[1]/cac:InvoiceLine[2]


class RulesChanged(RuntimeError):
    """A vendored rule file no longer matches its pinned checksum."""


class RuleEvaluationError(ValueError):
    """A rule could not be evaluated on the document (an XPath dynamic error).

    The official rules assume some values are well-typed -- ``xs:date`` on
    dates, ``xs:decimal`` on amounts -- so a value such as ``2026-13-01``
    stops the whole rule set, exactly as it does in the Java validators.
    We raise rather than invent a rule id: no official rule reported it.
    """


def _read_rules(rule_set: RuleSet) -> bytes:
    data = (RULES_DIR / rule_set.filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != rule_set.sha256:
        raise RulesChanged(
            f"{rule_set.filename} has sha256 {digest}, expected {rule_set.sha256}; "
            "see devtools/peppol/rules/PROVENANCE.md for how to update rule files"
        )
    return data


def rule_sets() -> dict[str, str]:
    """Name -> version of the rule sets :func:`validate` runs, read from the files.

    The versions are parsed from the rule files' own headers rather than
    written here, so the answer cannot drift from what actually runs.
    """
    versions: dict[str, str] = {}
    for rule_set in RULE_SETS:
        head = _read_rules(rule_set)[:2048].decode("utf-8")
        match = re.search(rule_set.version_pattern, head)
        if match is None:
            raise RulesChanged(f"no version header found in {rule_set.filename}")
        versions[rule_set.name] = match.group(1)
    return versions


class _Engine:
    """The Saxon processor and the compiled rule sets, built once per process.

    Compiling the rule sets takes about a second; running them takes ~20 ms.
    SaxonC keeps process-global state, so a single processor is shared and
    calls are serialised with a lock.
    """

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # imported lazily: starting Saxon is slow

        self.lock = threading.Lock()
        self.processor: Any = PySaxonProcessor(license=False)
        compiler = self.processor.new_xslt30_processor()
        self.executables: dict[str, Any] = {
            rs.filename: compiler.compile_stylesheet(
                stylesheet_text=compile_schematron(_read_rules(rs))
            )
            for rs in RULE_SETS
        }


@cache
def _engine() -> _Engine:
    return _Engine()


def _location(path: str) -> str:
    def prefixed(match: re.Match[str]) -> str:
        uri = match.group(1)
        prefix = _PREFIXES.get(uri)
        return f"{prefix}:" if prefix else match.group(0)

    return _EQNAME.sub(prefixed, path)


def _findings(svrl: str) -> list[Finding]:
    report = ET.fromstring(svrl)  # noqa: S314 -- SVRL that our own stylesheet just wrote
    found: list[Finding] = []
    for element in report:
        if element.tag not in (_SVRL + "failed-assert", _SVRL + "successful-report"):
            continue
        text = element.find(_SVRL + "text")
        message = " ".join("".join(text.itertext()).split()) if text is not None else ""
        found.append(
            Finding(
                rule=element.get("id", ""),
                flag=element.get("flag", "fatal"),
                message=message,
                location=_location(element.get("location", "")),
            )
        )
    return found


def _refuse_doctype(*_: object) -> None:
    raise ValueError("a DOCTYPE declaration is not allowed in a Peppol document")


def _checked_text(xml: bytes) -> str:
    """The document as text, after expat has checked it is well-formed.

    A DOCTYPE is refused before Saxon's own parser sees the document: UBL
    never needs one, and refusing it rules out entity expansion and the
    fetching of external DTDs -- this must stay offline.
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        parser.Parse(xml, True)
        return xml.decode("utf-8")
    except expat.ExpatError as error:
        raise ValueError(f"not well-formed XML: {error}") from error
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: {error}") from error


class _RootFound(Exception):
    """Stops expat at the first element: the root is all :func:`_root_namespace` needs."""


def _root_namespace(text: str) -> str:
    """The namespace of the document's root element, read without parsing the rest."""
    found: list[str] = []

    def start(name: str, _attributes: object) -> None:
        found.append(name.rpartition("}")[0])
        raise _RootFound

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(text, True)
    except _RootFound:
        return found[0]
    except expat.ExpatError as error:
        raise ValueError(f"not well-formed XML: {error}") from error
    raise ValueError("not an XML document: no root element")


def applicable_rule_sets(namespace: str) -> list[RuleSet]:
    """The rule sets an access point applies to a document whose root is in `namespace`,
    in the order it applies them; ValueError for a document type no rule set covers."""
    applicable = [rule_set for rule_set in RULE_SETS if namespace in rule_set.documents]
    if not applicable:
        raise ValueError(f"no Peppol rules are kept here for documents of {namespace!r}")
    return applicable


def validate(xml: bytes) -> list[Finding]:
    """Check the UBL 2.1 schema, then run the business rules of the document's type, as an
    access point does: for an invoice or credit note the CEN EN 16931 UBL rules and the Peppol
    BIS Billing 3 rules, for an Invoice Response (ApplicationResponse) the Peppol T111 rules.

    A document that breaks the schema is refused on that alone: its schema errors are the
    findings (rule ``UBL-2.1-XSD``, fatal), and no business rule runs. Otherwise returns every
    rule finding, fatal and warning alike, in rule-set order.  Raises
    ``ValueError`` when ``xml`` is not well-formed or not UTF-8 (Peppol
    mandates UTF-8), and :class:`RuleEvaluationError` (a ``ValueError``) when
    a rule hits a dynamic error such as an impossible date: no Schematron
    verdict is meaningful for such a document.
    """
    text = _checked_text(xml)
    schema_findings = [
        Finding(rule=SCHEMA_RULE, flag="fatal", message=message, location=f"line {line}")
        for line, message in schema_errors(xml)
    ]
    if schema_findings:
        return schema_findings
    return business_rule_findings(text)


def business_rule_findings(text: str) -> list[Finding]:
    """The rule sets of the document's type, in order, on a well-formed document's text."""
    from saxonche import PySaxonApiError

    applicable = applicable_rule_sets(_root_namespace(text))
    engine = _engine()
    findings: list[Finding] = []
    with engine.lock:
        document = engine.processor.parse_xml(xml_text=text)
        for rule_set in applicable:
            executable = engine.executables[rule_set.filename]
            executable.set_global_context_item(xdm_item=document)
            try:
                svrl = executable.transform_to_string(xdm_node=document)
            except PySaxonApiError as error:
                detail = " ".join(str(error).split())
                raise RuleEvaluationError(f"{rule_set.name}: {detail}") from error
            findings.extend(_findings(svrl))
    return findings
