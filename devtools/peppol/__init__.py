"""Offline validation of Peppol BIS Billing 3.0 UBL documents with the official rules.

See :mod:`devtools.peppol.validation` for why and how; the rule files and
their provenance live in ``devtools/peppol/rules/``.
"""

from devtools.peppol.validation import Finding, rule_sets, validate

__all__ = ["Finding", "rule_sets", "validate"]
