"""Every kind of invoice the form accepts, as the renderer makes it, passes the official rules."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from devtools.peppol import validate
from services.renderer.ubl import invoice_xml
from shared.invoices import Charge, Invoice, Line, PaymentAccount
from tests.renderer.factories import (
    BIC,
    IBAN,
    LINES,
    PLUSGIRO,
    attachment,
    credit_note,
    invoice,
    pdf_bytes,
)

SCANNED = pdf_bytes("tidrapport")


def reverse_charge() -> Invoice:
    line = LINES[0].model_copy(update={"vat_rate": Decimal(0), "vat_category": "AE"})
    freight = Charge(
        description="Frakt", amount=Decimal("450"), vat_rate=Decimal(0), vat_category="AE"
    )
    return invoice(lines=[line], charges=[freight])


def several_rates() -> Invoice:
    books = Line(
        article_id="BOK",
        description="Säkerhetshandbok",
        quantity=Decimal(3),
        unit="H87",
        unit_price=Decimal("349.00"),
        vat_rate=Decimal(6),
        vat_category="S",
    )
    food = Line(
        article_id="MAT",
        description="Förtäring under nattarbete",
        quantity=Decimal(14),
        unit="H87",
        unit_price=Decimal("89.50"),
        vat_rate=Decimal(12),
        vat_category="S",
    )
    return invoice(lines=[*LINES, books, food])


SCENARIOS = {
    "bankgiro, two rates, freight": invoice(),
    "several VAT rates": several_rates(),
    "reverse charge (omvänd betalningsskyldighet)": reverse_charge(),
    "plusgiro": invoice(
        payment_account=PaymentAccount(
            kind="plusgiro", number=PLUSGIRO, bic=None, bank_name="Nordea"
        )
    ),
    "IBAN and BIC": invoice(
        payment_account=PaymentAccount(kind="iban", number=IBAN, bic=BIC, bank_name="SEB")
    ),
    "credit note": credit_note(),
    "no F-skatt": invoice(seller_f_skatt=False),
    "order number only": invoice(buyer_reference=None),
    "euro": invoice(currency="EUR"),
}


@pytest.mark.parametrize("document", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_no_fatal_finding(document: Invoice) -> None:
    attached = attachment(SCANNED)
    document = document.model_copy(update={"attachments": [attached]})
    xml = invoice_xml(document, [(attached, SCANNED)], pdf_bytes("faktura"))
    fatal = [f for f in validate(xml) if f.flag == "fatal"]
    assert fatal == [], "\n".join(f"{f.rule}: {f.message}" for f in fatal)


def test_the_swedish_rules_see_what_they_check() -> None:
    """SE-R and sums: a wrong document of ours is caught by the rules that matter, by name."""
    good = invoice_xml(invoice(), [], None).decode()
    cases = {
        "SE-R-005": good.replace("Godkänd för F-skatt", "F-skattsedel finns"),
        "BR-CO-15": good.replace(
            '<cbc:TaxInclusiveAmount currencyID="SEK">',
            '<cbc:TaxInclusiveAmount currencyID="SEK">1',
        ),
        "PEPPOL-EN16931-R003": re.sub(
            r"<cbc:BuyerReference>.*?</cbc:BuyerReference>|<cac:OrderReference>.*?</cac:OrderReference>",
            "",
            good,
            flags=re.S,
        ),
    }
    for rule, xml in cases.items():
        assert xml != good, f"{rule}: the mutation did not apply"
        assert rule in {f.rule for f in validate(xml.encode())}, rule
