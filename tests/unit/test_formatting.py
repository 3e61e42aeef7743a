"""Amounts, numbers and dates as the reader's language writes them, on every page alike."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from shared.formatting import day, money, number

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
