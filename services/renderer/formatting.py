"""Numbers and dates as a Swedish or an English reader of an invoice expects them.

Swedish groups thousands with a space and uses a decimal comma (`1 234,50`); English uses a comma
and a point (`1,234.50`). Dates are ISO 8601 in both, as Swedish invoices print them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.i18n import Language
from shared.invoices import cents


def _localise(english: str, language: Language) -> str:
    if language == "en":
        return english
    return english.replace(",", " ").replace(".", ",")


def money(value: Decimal, language: Language) -> str:
    """Always two decimals: `1 234,50` or `1,234.50`."""
    return _localise(f"{cents(value):,.2f}", language)


def unit_price(value: Decimal, language: Language) -> str:
    """Two decimals at least, more only when the supplier keyed more (`12,3456`)."""
    decimals = max(2, -_exponent(value))
    return _localise(f"{value:,.{decimals}f}", language)


def quantity(value: Decimal, language: Language) -> str:
    """As few decimals as the value needs: `10`, `7,5`, `0,125`."""
    decimals = max(0, -_exponent(value))
    return _localise(f"{value:,.{decimals}f}", language)


def rate(value: Decimal, language: Language) -> str:
    """A VAT rate without trailing zeros: `25`, `12,5`."""
    return quantity(value, language)


def iso_date(value: date) -> str:
    return value.isoformat()


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    # Only finite numbers reach here (pydantic refuses NaN and infinity in amounts).
    assert isinstance(exponent, int)
    return exponent
