"""Invoices as Ek Spårteknik AB sends them to Infranord AB, with defaults a test can override.

Every identifier is valid by the rules of `shared.identifiers`; `test_the_factory_is_realistic`
keeps it that way.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from shared.events.invoice import InvoiceSent
from shared.invoices import Attachment, Charge, Invoice, Line, Party, PaymentAccount, totals

OCR = "1234567897"
BANKGIRO = "5050-1055"
PLUSGIRO = "123456-6"
IBAN = "SE4550000000058398257466"
BIC = "ESSESESS"

SELLER = Party(
    name="Ek Spårteknik AB",
    organisation_number="556677-8899",
    vat_number="SE556677889901",
    street="Verkstadsgatan 4",
    postal_code="721 30",
    city="Västerås",
    country="SE",
    phone="021-12 34 56",
    email="faktura@ekspar.example",
)
BUYER = Party(
    name="Infranord AB",
    organisation_number="556036-0793",
    vat_number="SE556036079301",
    street="Box 1803",
    postal_code="171 21",
    city="Solna",
    country="SE",
    phone="010-121 10 00",
    email="leverantorsfakturor@infranord.example",
)

LINES = (
    Line(
        article_id="ARB-LED",
        description="Arbetsledning spårbyte, Hallsberg–Degerön",
        quantity=Decimal("12.5"),
        unit="HUR",
        unit_price=Decimal("895.00"),
        vat_rate=Decimal(25),
        vat_category="S",
    ),
    Line(
        article_id="ARB-MON",
        description="Spårmontör, nattarbete",
        quantity=Decimal("38"),
        unit="HUR",
        unit_price=Decimal("720.00"),
        vat_rate=Decimal(25),
        vat_category="S",
    ),
    Line(
        article_id="PAN-E2055",
        description="Befästning Pandrol e-clip",
        quantity=Decimal("240"),
        unit="H87",
        unit_price=Decimal("18.75"),
        vat_rate=Decimal(25),
        vat_category="S",
    ),
    Line(
        article_id="RES-PERS",
        description="Persontransport arbetslag Hallsberg–Borlänge",
        quantity=Decimal("212"),
        unit="KMT",
        unit_price=Decimal("12.50"),
        vat_rate=Decimal(6),
        vat_category="S",
    ),
)
FREIGHT = Charge(
    description="Frakt", amount=Decimal("1450.00"), vat_rate=Decimal(25), vat_category="S"
)

# What the lines and the freight above add up to, worked out by hand.
LINE_TOTAL = Decimal("45697.50")
TAX_TOTAL = Decimal("11283.38")  # 25 % of 44 497,50 = 11 124,375 -> ,38; 6 % of 2 650 = 159
PAYABLE = Decimal("58430.88")


def attachment(content: bytes, filename: str = "tidrapport-mars.pdf") -> Attachment:
    return Attachment(
        id=uuid.uuid4(),
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def pdf_bytes(label: str) -> bytes:
    """A small file that is a PDF by its signature, distinct per label."""
    return f"%PDF-1.4\n% {label}\n%%EOF\n".encode()


def invoice(**changes: Any) -> Invoice:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "kind": "invoice",
        "number": "2026-0142",
        "issue_date": date(2026, 3, 2),
        "due_date": date(2026, 4, 1),
        "currency": "SEK",
        "supplier_id": uuid.uuid4(),
        "buyer_id": uuid.uuid4(),
        "seller": SELLER,
        "seller_f_skatt": True,
        "buyer": BUYER,
        "buyer_order_number": "4500098765",
        "payment_reference": OCR,
        "buyer_reference": "INF-4711",
        "contact_person": "Lena Ström",
        "payment_account": PaymentAccount(
            kind="bankgiro", number=BANKGIRO, bic=None, bank_name="SEB"
        ),
        "lines": list(LINES),
        "charges": [FREIGHT],
        "note": "Arbetet utfört enligt avrop 17.",
    }
    return Invoice(**(values | changes))


def credit_note(**changes: Any) -> Invoice:
    values: dict[str, Any] = {
        "kind": "credit_note",
        "number": "2026-0150",
        "credited_invoice_number": "2026-0142",
        "credited_invoice_date": date(2026, 3, 2),
        "lines": [LINES[1].model_copy(update={"quantity": Decimal(4)})],
        "charges": [],
    }
    return invoice(**(values | changes))


def many_lines(count: int) -> list[Line]:
    return [
        LINES[index % 2].model_copy(
            update={"article_id": f"ARB-{index:03}", "description": f"Spårarbete etapp {index}"}
        )
        for index in range(1, count + 1)
    ]


def invoice_sent(item: Invoice, **changes: Any) -> InvoiceSent:
    values: dict[str, Any] = {
        "invoice": item,
        "totals": totals(item.lines, item.charges),
        "sent_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        "sent_by": uuid.uuid4(),
        "sender_email": "karin.berg@ekspar.example",
        "language": "sv",
        "channels": ["mail"],
        "buyer_peppol_id": None,
    }
    return InvoiceSent(**(values | changes))
