"""The versions published before the buyer's channels existed say the same fact as the newest:
a buyer, an invoice sent, an invoice rendered, each for the buyer's mail alone, as every invoice
was then. Consumers take both versions during a rolling deploy (docs/peppol.md)."""

from __future__ import annotations

import uuid

from shared.events.company import BuyerChanged, BuyerChangedV1, ReferenceRule
from shared.events.invoice import InvoiceRendered, InvoiceRenderedV1, InvoiceSentV1, InvoiceSentV2
from tests.notifier.events import invoice_rendered
from tests.renderer import factories

OLD_RENDERED = {"channels", "peppol_sender", "peppol_receiver"}
OLD_SENT = {"channels", "buyer_peppol_id"}


def test_a_buyer_announced_as_version_1_is_mailed() -> None:
    old = BuyerChangedV1(
        buyer_id=uuid.uuid4(),
        revision=3,
        name="Infranord AB",
        country="SE",
        organisation_number="5567935497",
        vat_number=None,
        email="faktura@infranord.example",
        street="Box 1803",
        postal_code="171 21",
        city="Solna",
        reference_rules=[
            ReferenceRule(
                field="buyer_reference",
                required=True,
                message_sv="Ange er referens.",
                message_en="Enter your reference.",
            )
        ],
        terms_version="2026-1",
    )
    assert old.upcast() == BuyerChanged(**old.model_dump(), channels=["mail"], peppol_id=None)


def test_an_invoice_sent_as_version_1_or_2_is_for_the_buyers_mail() -> None:
    newest = factories.invoice_sent(factories.invoice(), channels=["mail"], buyer_peppol_id=None)
    v2 = InvoiceSentV2.model_validate(newest.model_dump(exclude=OLD_SENT))
    assert v2.upcast() == newest
    v1 = InvoiceSentV1.model_validate(
        newest.model_dump(exclude=OLD_SENT) | {"invoice": newest.invoice.model_dump()}
    )
    assert v1.upcast() == newest


def test_an_invoice_rendered_as_version_1_is_for_the_buyers_mail() -> None:
    newest = invoice_rendered()
    old = InvoiceRenderedV1.model_validate(newest.model_dump(exclude=OLD_RENDERED))
    assert old.upcast() == newest
    assert isinstance(old.upcast(), InvoiceRendered)
