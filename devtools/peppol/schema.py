"""The OASIS UBL 2.1 schemas (XSD), which an access point checks before any business rule.

The schema files are kept unmodified in ``ubl21/`` (provenance in ``ubl21/PROVENANCE.md``). As
distributed by their packagers, some of them import a namespace without a ``schemaLocation``
(the CCTS core component types, XML Signature, XAdES) and leave it to a catalogue to find it.
libxml2 has no catalogue for that, but it reuses a namespace that is already imported: so one
small driver schema imports those namespaces first, from the files kept here, and then the
document schemas. Nothing is ever fetched from the network.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).with_name("ubl21")

# Namespace -> file, in the order the driver must import them: the ones imported elsewhere
# without a location come first.
_IMPORTS = (
    (
        "urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2",
        "external/CCTS_CCT_SchemaModule.xsd",
    ),
    ("http://www.w3.org/2000/09/xmldsig#", "external/xmldsig-core-schema.xsd"),
    ("http://uri.etsi.org/01903/v1.3.2#", "external/XAdES01903v132-201601.xsd"),
    ("http://uri.etsi.org/01903/v1.4.1#", "external/XAdES01903v141-201601.xsd"),
    ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "maindoc/UBL-Invoice-2.1.xsd"),
    (
        "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        "maindoc/UBL-CreditNote-2.1.xsd",
    ),
    (
        "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
        "maindoc/UBL-ApplicationResponse-2.1.xsd",
    ),
)

_lock = threading.Lock()


@cache
def _schema() -> Any:
    from lxml import etree  # imported lazily: only the tests and the validator need it

    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS_DIR / path).as_uri()}"/>'
        for namespace, path in _IMPORTS
    )
    driver = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:leverantorsportalen:ubl-driver">{imports}</xsd:schema>'
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(SCHEMAS_DIR)))


def schema_errors(xml: bytes) -> list[tuple[int, str]]:
    """(line, message) for every way `xml` breaks the UBL 2.1 schema of its root element;
    empty when it is valid. A root element of no UBL document type is an error too."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    document = etree.fromstring(xml, parser)
    namespace = etree.QName(document).namespace
    if namespace not in {ns for ns, path in _IMPORTS if path.startswith("maindoc/")}:
        return [(document.sourceline or 1, f"{namespace} is not a UBL 2.1 document type")]
    schema = _schema()
    with _lock:  # an XMLSchema object keeps its error log: one validation at a time
        schema.validate(document)
        return [(error.line, error.message) for error in schema.error_log]
