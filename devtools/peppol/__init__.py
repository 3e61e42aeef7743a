"""Offline validation of Peppol UBL documents with the official rules: invoices and credit
notes (BIS Billing 3.0) and Invoice Responses (BIS Invoice Response 3, T111).

See :mod:`devtools.peppol.validation` for why and how; the rule files and
their provenance live in ``devtools/peppol/rules/``.
"""

from devtools.peppol.validation import Finding, rule_sets, validate

__all__ = ["Finding", "rule_sets", "validate"]
