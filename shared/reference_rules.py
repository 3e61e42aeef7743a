"""A buyer's reference rules: how an invoice's reference field is checked against them, and
whether a buyer's own rules are sound enough to keep. The invoice service checks invoices with
`reference_problem`; the company service checks a buyer's edited rules and tries values with the
very same function, so a buyer's "try a value" answers exactly as a sent invoice would be."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, get_args

from shared import identifiers
from shared.errors import FieldError
from shared.events.company import ReferenceRule

REFERENCE_FIELDS: tuple[str, ...] = get_args(ReferenceRule.model_fields["field"].annotation)
CHECKS: tuple[str, ...] = ("ocr", "person_name")
PERSON_NAME = re.compile(r"^\s*[^\W\d_][^\W\d_'.-]*(?:[ '.-]+[^\W\d_]+)+\s*$")
PATTERN_LIMIT = 100
MESSAGE_LIMIT = 200
# A quantified group that itself holds a quantifier, `(a+)+` or `(\d*x?)*`, can take exponential
# time on a value that almost matches; Python's `re` has no time limit, so such a pattern is
# refused before it is ever run against an invoice.
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*?}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")


def reference_problem(rule: ReferenceRule, value: str) -> bool:
    """True when `value` breaks the buyer's rule for its field."""
    if not value:
        return rule.required
    if rule.pattern and not re.fullmatch(rule.pattern, value):
        return True
    if rule.check == "ocr" and isinstance(identifiers.ocr(value), identifiers.Invalid):
        return True
    return rule.check == "person_name" and not PERSON_NAME.match(value)


def pattern_problem(pattern: str) -> str | None:
    """Why a buyer's pattern cannot be kept (a message key), or None."""
    if len(pattern) > PATTERN_LIMIT:
        return "rules.pattern_too_long"
    if NESTED_QUANTIFIER.search(pattern):
        return "rules.pattern_nested"
    try:
        re.compile(pattern)
    except re.error:
        return "rules.pattern_invalid"
    return None


def rule_problems(rules: Sequence[dict[str, Any]], at: str = "rules") -> list[FieldError]:
    """Field-by-field problems of rules as a buyer typed them: a known field once each, a pattern
    that compiles and stays cheap, a known check and a message in both languages."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        where = f"{at}.{index}"
        field = rule.get("field") or ""
        if field not in REFERENCE_FIELDS:
            errors.append((f"{where}.field", "rules.field_unknown", {}))
        elif field in seen:
            errors.append((f"{where}.field", "rules.field_twice", {}))
        seen.add(field)
        pattern = rule.get("pattern") or ""
        problem = pattern_problem(pattern) if pattern else None
        if problem:
            errors.append((f"{where}.pattern", problem, {"limit": PATTERN_LIMIT}))
        if (rule.get("check") or None) not in (None, *CHECKS):
            errors.append((f"{where}.check", "rules.check_unknown", {}))
        for language in ("sv", "en"):
            message = rule.get(f"message_{language}") or ""
            if not message.strip():
                errors.append((f"{where}.message_{language}", "required", {}))
            elif len(message) > MESSAGE_LIMIT:
                errors.append((f"{where}.message_{language}", "rules.message_too_long", {}))
    return errors
