"""The sums of EN 16931 and the buyer's reference rules, without any service running."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.events.company import ReferenceRule
from shared.invoices import CENT, Charge, Line, cents, totals
from shared.reference_rules import reference_problem

INFRANORD = {
    rule["field"]: ReferenceRule.model_validate(rule)
    for rule in json.loads(
        (
            Path(__file__).parents[2] / "services" / "company" / "presets" / "infranord.json"
        ).read_text()
    )
}


def line(quantity: str, price: str, rate: int = 25, category: str = "S") -> Line:
    return Line(
        article_id="",
        description="x",
        quantity=Decimal(quantity),
        unit="H87",
        unit_price=Decimal(price),
        vat_rate=Decimal(rate),
        vat_category=category,  # type: ignore[arg-type]
    )


def test_line_nets_round_half_up_and_vat_is_per_rate_on_the_sum() -> None:
    # 3 × 0.335 = 1.005 -> 1.01 (half up), three times: VAT on 3.03, not three times on 1.01.
    result = totals([line("3", "0.335")] * 3, [])
    assert result.line_total == Decimal("3.03")
    assert result.tax_total == Decimal("0.76")  # 3.03 × 25 % = 0.7575
    mixed = totals(
        [line("1", "100"), line("2", "49.95", 12), line("1", "10", 0, "AE")],
        [Charge(description="Frakt", amount=Decimal("50"), vat_rate=Decimal(25), vat_category="S")],
    )
    assert [(b.category, b.rate, b.taxable, b.tax) for b in mixed.breakdown] == [
        ("AE", Decimal(0), Decimal("10.00"), Decimal("0.00")),
        ("S", Decimal(25), Decimal("150.00"), Decimal("37.50")),
        ("S", Decimal(12), Decimal("99.90"), Decimal("11.99")),
    ]
    assert mixed.payable == Decimal("309.39")


amounts = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
quantities = st.decimals(
    min_value=Decimal("0.0001"), max_value=10**4, places=4, allow_nan=False, allow_infinity=False
)
rates = st.sampled_from([("S", 25), ("S", 12), ("S", 6), ("Z", 0), ("AE", 0), ("E", 0)])


@given(
    st.lists(st.tuples(quantities, amounts, rates), min_size=1, max_size=30),
    st.lists(st.tuples(amounts, rates), max_size=3),
)
def test_the_en16931_sums_always_agree(
    raw_lines: list[tuple[Decimal, Decimal, tuple[str, int]]],
    raw_charges: list[tuple[Decimal, tuple[str, int]]],
) -> None:
    lines = [line(str(q), str(p), rate, category) for q, p, (category, rate) in raw_lines]
    charges = [
        Charge(description="Frakt", amount=cents(a), vat_rate=Decimal(rate), vat_category=category)  # type: ignore[arg-type]
        for a, (category, rate) in raw_charges
    ]
    result = totals(lines, charges)
    assert result.line_total == sum((item.net for item in lines), Decimal(0))  # BR-CO-10
    assert result.tax_exclusive == result.line_total + result.charge_total  # BR-CO-13
    assert result.tax_total == sum((b.tax for b in result.breakdown), Decimal(0))  # BR-CO-14
    assert result.tax_inclusive == result.tax_exclusive + result.tax_total  # BR-CO-15
    assert result.payable == result.tax_inclusive  # BR-CO-16
    assert sum((b.taxable for b in result.breakdown), Decimal(0)) == result.tax_exclusive
    for b in result.breakdown:  # BR-CO-17: rounded half up from the group's sum
        assert (
            b.tax == (b.taxable * b.rate / 100).quantize(CENT, rounding="ROUND_HALF_UP")
            or b.category != "S"
        )
        assert b.tax.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("buyer_order_number", "AO12345", True),
        ("buyer_order_number", "AO1234567", True),
        ("buyer_order_number", "4500123456", True),
        ("buyer_order_number", "AO1234", False),
        ("buyer_order_number", "AO12345678", False),
        ("buyer_order_number", "ao12345", False),
        ("buyer_order_number", "", False),
        ("buyer_reference", "AB12", True),
        ("buyer_reference", "12345", True),
        ("buyer_reference", "ABC12", False),
        ("buyer_reference", "123", False),
        ("payment_reference", "1234567897", True),
        ("payment_reference", "1234567890", False),
        ("payment_reference", "12A4", False),
        ("contact_person", "Olle Ström", True),
        ("contact_person", "Anna-Karin von Essen", True),
        ("contact_person", "Olle", False),
        ("contact_person", "Olle 123", False),
    ],
)
def test_the_infranord_rules(field: str, value: str, accepted: bool) -> None:
    assert reference_problem(INFRANORD[field], value) is not accepted
