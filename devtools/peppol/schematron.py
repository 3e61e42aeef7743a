"""A small ISO Schematron -> XSLT 3.0 compiler for the two rule files we vendor.

Why our own compiler: the official Peppol rules are published only as
Schematron source (``.sch``), and the usual compilers (the ISO skeleton,
SchXslt) are distributed through GitHub and Maven Central, which this project
cannot reach.  Saxon-HE (``saxonche`` from PyPI) can *run* XSLT 2/3 but does
not compile Schematron by itself.  The two rule files use only a small,
regular subset of Schematron -- ``ns``, ``let`` (schema, pattern and rule
level), ``pattern``, ``rule``, ``assert``/``report`` and ``xsl:function`` --
so a direct translation is short enough to review, and it keeps the *rules*
byte-for-byte official while only the plumbing is ours.

Semantics follow the ISO Schematron skeleton that the CEN and OpenPeppol
artefacts are normally compiled with:

* every pattern walks the whole document (elements only, starting at the
  document node) in its own XSLT mode;
* within a pattern a node is handled by the *first* rule whose context
  matches it (earlier rules get a higher template priority);
* schema- and pattern-level ``let`` become global variables, evaluated with
  the document node as context; rule-level ``let`` become local variables in
  document order, so a ``let`` may follow the ``assert`` that precedes it;
* phases are ignored: all patterns always run (the ``#ALL`` phase), which is
  what validators such as phive and the KoSIT validator do for these files.

Anything outside that subset (abstract patterns, ``extends``, ``include``)
raises ``UnsupportedSchematron`` instead of being silently skipped, so a
future rules update that needs more fails loudly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"

_SCH = f"{{{SCH_NS}}}"
_XSL = f"{{{XSL_NS}}}"

# Priority of the catch-all "keep walking" template: below every rule.
_WALK_PRIORITY = -10
# Rules get priorities counting down from here, so earlier rules win.
_FIRST_RULE_PRIORITY = 10_000


class UnsupportedSchematron(ValueError):
    """The schema uses a Schematron feature this compiler does not implement."""


def _attr(value: str) -> str:
    """Quote an attribute value; newlines survive as character references."""
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _required(element: ET.Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise UnsupportedSchematron(f"<{_local(element.tag)}> without @{name}")
    return value


def _variable(let: ET.Element) -> str:
    name = _required(let, "name")
    value = let.get("value")
    if value is None:
        raise UnsupportedSchematron(f"<let name={name!r}> without @value")
    return f"<xsl:variable name={_attr(name)} select={_attr(value)}/>"


def _message(check: ET.Element) -> str:
    """Translate the mixed content of an assert/report into XSLT text output."""
    parts: list[str] = []
    if check.text:
        parts.append(f"<xsl:text>{escape(check.text)}</xsl:text>")
    for child in check:
        local = _local(child.tag)
        if child.tag == _SCH + "value-of":
            parts.append(f"<xsl:value-of select={_attr(_required(child, 'select'))}/>")
        elif child.tag == _SCH + "name":
            path = child.get("path", ".")
            parts.append(f"<xsl:value-of select={_attr(f'name({path})')}/>")
        elif local in {"emph", "dir", "span"}:
            parts.append(f"<xsl:text>{escape(''.join(child.itertext()))}</xsl:text>")
        else:
            raise UnsupportedSchematron(f"<{local}> inside an assertion message")
        if child.tail:
            parts.append(f"<xsl:text>{escape(child.tail)}</xsl:text>")
    return "".join(parts)


def _check(check: ET.Element) -> str:
    """One assert (fires when the test is false) or report (fires when true)."""
    test = _required(check, "test")
    is_assert = check.tag == _SCH + "assert"
    condition = f"not({test})" if is_assert else f"({test})"
    element = "svrl:failed-assert" if is_assert else "svrl:successful-report"
    attributes = [f"test={_attr(test)}"]
    for name in ("id", "flag", "role"):
        value = check.get(name)
        if value is not None:
            attributes.append(f"{name}={_attr(value)}")
    return (
        f"<xsl:if test={_attr(condition)}>"
        f'<{element} {" ".join(attributes)} location="{{path()}}">'
        f"<svrl:text>{_message(check)}</svrl:text>"
        f"</{element}></xsl:if>"
    )


def _rule(rule: ET.Element, mode: str, priority: int) -> str:
    if rule.get("abstract") == "true":
        raise UnsupportedSchematron("abstract rules")
    context = _required(rule, "context")
    body: list[str] = []
    for child in rule:
        if child.tag == _SCH + "let":
            body.append(_variable(child))
        elif child.tag in (_SCH + "assert", _SCH + "report"):
            body.append(_check(child))
        elif child.tag == _SCH + "extends":
            raise UnsupportedSchematron("<extends>")
        elif isinstance(child.tag, str) and child.tag.startswith(_SCH):
            raise UnsupportedSchematron(f"<{_local(child.tag)}> inside a rule")
    return (
        f'<xsl:template match={_attr(context)} mode={_attr(mode)} priority="{priority}">'
        f"{''.join(body)}"
        f'<xsl:apply-templates select="*" mode={_attr(mode)}/>'
        "</xsl:template>"
    )


def compile_schematron(source: bytes) -> str:
    """Return the text of an XSLT 3.0 stylesheet that outputs SVRL for ``source``.

    The stylesheet expects the validated document both as the initial match
    selection and as the global context item (schema-level ``let`` values are
    XPath expressions such as ``/*/cbc:DocumentCurrencyCode``).
    """
    schema = ET.fromstring(source)  # noqa: S314 -- vendored, checksum-pinned rule files
    if schema.tag != _SCH + "schema":
        raise UnsupportedSchematron("root element is not an ISO Schematron <schema>")
    if schema.get("queryBinding", "xslt") not in {"xslt2", "xslt3"}:
        raise UnsupportedSchematron(f"queryBinding {schema.get('queryBinding')!r}")

    namespaces: dict[str, str] = {}
    globals_: list[str] = []
    functions: list[str] = []
    patterns: list[ET.Element] = []
    for child in schema:
        if child.tag == _SCH + "ns":
            namespaces[_required(child, "prefix")] = _required(child, "uri")
        elif child.tag == _SCH + "let":
            globals_.append(_variable(child))
        elif child.tag == _XSL + "function":
            functions.append(ET.tostring(child, encoding="unicode"))
        elif child.tag == _SCH + "pattern":
            if child.get("abstract") == "true" or child.get("is-a"):
                raise UnsupportedSchematron("abstract patterns")
            patterns.append(child)
        elif child.tag == _SCH + "include":
            raise UnsupportedSchematron("<include>")
        # title, phase, diagnostics, comments: no effect on the verdict

    templates: list[str] = []
    starts: list[str] = []
    for index, pattern in enumerate(patterns):
        mode = f"pattern-{index}"
        label = pattern.get("id", mode)
        starts.append(
            f"<svrl:active-pattern id={_attr(label)}/>"
            f'<xsl:apply-templates select="." mode={_attr(mode)}/>'
        )
        templates.append(
            f'<xsl:template match="document-node() | *" mode={_attr(mode)} '
            f'priority="{_WALK_PRIORITY}">'
            f'<xsl:apply-templates select="*" mode={_attr(mode)}/></xsl:template>'
        )
        priority = _FIRST_RULE_PRIORITY
        for child in pattern:
            if child.tag == _SCH + "let":
                globals_.append(_variable(child))
            elif child.tag == _SCH + "rule":
                templates.append(_rule(child, mode, priority))
                priority -= 1
            elif child.tag == _SCH + "param":
                raise UnsupportedSchematron("pattern parameters")

    declarations = "".join(
        f" xmlns:{prefix}={_attr(uri)}" for prefix, uri in sorted(namespaces.items())
    )
    excluded = " ".join(sorted(namespaces))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL_NS}" xmlns:svrl="{SVRL_NS}"'
        f"{declarations} exclude-result-prefixes={_attr(excluded)}>"
        '<xsl:output method="xml" indent="no"/>'
        f"{''.join(globals_)}{''.join(functions)}"
        '<xsl:template match="/"><svrl:schematron-output>'
        f"{''.join(starts)}"
        "</svrl:schematron-output></xsl:template>"
        f"{''.join(templates)}"
        "</xsl:stylesheet>"
    )
