"""Amounts, numbers and dates as the reader's language writes them, on every page alike."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from jinja2 import Environment

from shared.formatting import amount, day, money, number, quantity, template_filters, unit_price

NBSP = "\u00a0"


def test_amounts_in_swedish_and_english() -> None:
    assert money("9673.16", "SEK", "sv") == f"9{NBSP}673,16{NBSP}SEK"
    assert money(Decimal("1250"), "EUR", "en") == f"1,250.00{NBSP}EUR"
    assert money("-0.5", "SEK", "sv") == f"-0,50{NBSP}SEK"


def test_numbers_keep_their_places_unless_told() -> None:
    assert number("2.5", "sv") == "2,5"
    assert number("1234.125", "en") == "1,234.125"
    assert number("850", "sv", decimals=2) == "850,00"
    assert number("12", "en", decimals=0) == "12"


def test_dates_and_the_date_of_a_timestamp() -> None:
    assert day("2026-12-05", "sv") == "2026-12-05"
    assert day("2026-12-05T08:30:00+00:00", "en") == "5 Dec 2026"
    assert day(date(2026, 1, 31), "en") == "31 Jan 2026"
    assert day(datetime(2026, 6, 1, tzinfo=UTC), "sv") == "2026-06-01"


def test_what_cannot_be_read_is_shown_as_it_came() -> None:
    assert number("tolv", "sv") == "tolv"
    assert money("NaN", "SEK", "sv") == f"NaN{NBSP}SEK"
    assert day("i morgon", "sv") == "i morgon"


def test_amounts_round_half_up_as_the_invoice_sums_do() -> None:
    assert amount(Decimal("58430.875"), "sv") == f"58{NBSP}430,88"
    assert amount(Decimal("1234567.125"), "en") == "1,234,567.13"
    assert money(Decimal("0.125"), "SEK", "sv") == f"0,13{NBSP}SEK"
    assert amount(Decimal("-1450"), "en") == "-1,450.00"


def test_quantities_and_rates_keep_every_decimal_and_no_trailing_zero() -> None:
    assert quantity(Decimal("7.50"), "sv") == "7,5"
    assert quantity(Decimal("1000"), "sv") == f"1{NBSP}000"
    assert quantity(Decimal("0.1255"), "en") == "0.1255"
    assert quantity(Decimal("25.00"), "sv") == "25"
    assert quantity(Decimal("12.5"), "en") == "12.5"


def test_unit_prices_have_two_decimals_or_as_many_as_keyed() -> None:
    assert unit_price(Decimal("950"), "sv") == "950,00"
    assert unit_price(Decimal("12.3456"), "sv") == "12,3456"
    assert unit_price(Decimal("1234.5"), "en") == "1,234.50"


def test_template_filters_write_the_templates_language_or_the_one_given() -> None:
    environment = Environment(autoescape=True)
    environment.filters.update(template_filters())
    template = environment.from_string(
        "{{ total|money('SEK') }} {{ total|money('SEK', 'en') }} {{ due|day }} {{ due|day('en') }}"
        " {{ total|amount }} {{ count|quantity }} {{ price|unit_price('en') }}"
    )

    text = template.render(
        language="sv",
        total=Decimal("3250"),
        due=date(2026, 12, 5),
        count=Decimal("2.50"),
        price=Decimal("3.125"),
    )

    assert text == (
        f"3{NBSP}250,00{NBSP}SEK 3,250.00{NBSP}SEK 2026-12-05 5 Dec 2026 3{NBSP}250,00 2,5 3.125"
    )
