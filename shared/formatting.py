"""Numbers, amounts and dates as the reader's language writes them (Babel's CLDR data): Swedish
`9 673,16 SEK` and `2026-12-05`, English `9,673.16 SEK` and `5 Dec 2026`.

Values come from JSON as strings (`"9673.16"`, `"2026-12-05"`, `"2026-12-05T08:30:00+00:00"`) or
as Python values; what cannot be read is shown as it came, never an error on a page.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
DATE_FORMATS = {"sv": "short", "en": "medium"}


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["sv"])


def number(value: object, language: str, *, decimals: int | None = None) -> str:
    """A decimal with the language's separators; with `decimals`, exactly that many places."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    pattern = "#,##0." + "0" * decimals if decimals else ("#,##0" if decimals == 0 else None)
    return format_decimal(amount, format=pattern, locale=_locale(language))


def money(value: object, currency: str, language: str) -> str:
    """An amount with two decimals and its currency code, as on the invoice itself."""
    return f"{number(value, language, decimals=2)}\u00a0{currency}"


def day(value: object, language: str) -> str:
    """A date, or the date of a timestamp, as the language writes dates."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            return text
    if not isinstance(value, date):
        return str(value)
    formatted: str = format_date(
        value, DATE_FORMATS.get(language, "short"), locale=_locale(language)
    )
    return formatted
