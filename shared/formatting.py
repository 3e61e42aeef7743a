"""Numbers, amounts and dates as the reader's language writes them (Babel's CLDR data): Swedish
`9 673,16 SEK` and `2026-12-05`, English `9,673.16 SEK` and `5 Dec 2026`.

One formatter for every place a person reads them: the web pages, the invoice PDF and the mails,
so an amount reads the same in each. (The Peppol XML is for machines and keeps `9673.16`.)

Values come from JSON as strings (`"9673.16"`, `"2026-12-05"`, `"2026-12-05T08:30:00+00:00"`) or
as Python values; what cannot be read is shown as it came, never an error on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.runtime import Context

from shared.invoices import cents

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
DATE_FORMATS = {"sv": "short", "en": "medium"}


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["sv"])


def _decimal(value: object) -> Decimal | None:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def number(value: object, language: str, *, decimals: int | None = None) -> str:
    """A decimal with the language's separators; with `decimals`, exactly that many places."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    pattern = "#,##0." + "0" * decimals if decimals else ("#,##0" if decimals == 0 else None)
    return format_decimal(amount, format=pattern, locale=_locale(language))


def amount(value: object, language: str) -> str:
    """Two decimals, rounded half up as the invoice's own sums are (Babel would round half to
    even, and print 0,12 for the 0,13 the e-invoice says)."""
    exact = _decimal(value)
    if exact is None:
        return str(value)
    return _exactly(cents(exact), language, "#,##0.00")


def money(value: object, currency: str, language: str) -> str:
    """An amount with two decimals and its currency code, as on the invoice itself."""
    return f"{amount(value, language)}\u00a0{currency}"


def quantity(value: object, language: str) -> str:
    """Every decimal the value has and no trailing zero: `10`, `7,5`, `0,125`, `1,0005`.

    Quantities and VAT rates: the XML carries them unrounded, so the PDF must too.
    """
    exact = _decimal(value)
    return str(value) if exact is None else _exactly(exact, language, "#,##0")


def unit_price(value: object, language: str) -> str:
    """Two decimals at least, more only when the supplier keyed more: `950,00`, `12,3456`."""
    exact = _decimal(value)
    return str(value) if exact is None else _exactly(exact, language, "#,##0.00")


def _exactly(value: Decimal, language: str, pattern: str) -> str:
    # Without quantization the pattern gives the least number of decimals; none is cut off.
    return format_decimal(
        value, format=pattern, locale=_locale(language), decimal_quantization=False
    )


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


Filter = Callable[..., str]


def template_filters() -> dict[str, Filter]:
    """The formatters as Jinja2 filters for a template rendered with a `language` variable: each
    writes in that language, or in one it is given (`due_date|day("en")`, `payable|money(
    currency, "en")`), for an English line in a Swedish document."""
    return {
        "amount": _in_language(amount),
        "quantity": _in_language(quantity),
        "unit_price": _in_language(unit_price),
        "day": _in_language(day),
        "money": _money_filter,
    }


def _in_language(format_value: Callable[[object, str], str]) -> Filter:
    @pass_context
    def apply(context: Context, value: object, language: str | None = None) -> str:
        return format_value(value, language or context["language"])

    return apply


@pass_context
def _money_filter(
    context: Context, value: object, currency: str, language: str | None = None
) -> str:
    return money(value, currency, language or context["language"])
