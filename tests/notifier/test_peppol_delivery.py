"""Invoices delivered through Peppol: the access point stand-in receives each invoice of a Peppol
buyer once, with the right ids and valid UBL; an invoice is delivered when every channel has
delivered it; a buyer on its API alone is pushed nothing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from devtools.peppol_access_point import AccessPoint
from shared.events.invoice import InvoiceRendered, InvoiceRenderedV1
from tests.conftest import AMQP_URL
from tests.harness import EventTap, tapping
from tests.notifier import events
from tests.notifier.conftest import Notifier
from tests.notifier.events import INVOICE_PDF, TIMESHEET_PDF
from tests.notifier.test_invoice_delivery import published
from tests.waiting import eventually

SAMPLE = (Path(__file__).parents[1] / "peppol/samples/ek_sparteknik_invoice.xml").read_bytes()
SELLER, BUYER = "0007:5566778899", "0007:5560360793"
INVOICE_DOCTYPE = (
    "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)


@pytest.fixture
async def bus(notifier: Notifier) -> AsyncIterator[EventTap]:
    async with tapping(AMQP_URL, notifier.settings.queue_prefix) as tap:
        yield tap


async def received(point: AccessPoint) -> bool:
    return bool(point.received)


async def settled(notifier: Notifier, invoice_id: uuid.UUID) -> None:
    """Wait until the invoice's delivery has its outcome: the access point's answer is recorded
    after the stand-in kept the document, and the outcome's event is in the outbox with it."""

    async def outcome_set() -> bool:
        async with notifier.pool.acquire() as conn:
            return bool(
                await conn.fetchval(
                    "SELECT outcome IS NOT NULL FROM deliveries WHERE invoice_id = $1", invoice_id
                )
            )

    await eventually(outcome_set, within=30)


async def rendered(notifier: Notifier, **changes: Any) -> InvoiceRendered:
    """An invoice rendered for a buyer reached by `changes`' channels, its files in the store."""
    await notifier.files.put([INVOICE_PDF, SAMPLE, TIMESHEET_PDF])
    values: dict[str, Any] = {
        "xml_sha256": hashlib.sha256(SAMPLE).hexdigest(),
        "channels": ["peppol"],
        "peppol_sender": SELLER,
        "peppol_receiver": BUYER,
    }
    return events.invoice_rendered(**(values | changes))


async def outcome(bus: EventTap, notifier: Notifier, invoice_id: uuid.UUID) -> list[str]:
    found = []
    for kind in ("invoice.delivered", "invoice.delivery_failed"):
        found += [
            kind
            for e in await published(bus, notifier, kind)
            if e.payload["invoice_id"] == str(invoice_id)
        ]
    return found


async def test_a_peppol_buyers_invoice_reaches_the_access_point_once(
    notifier: Notifier, access_point: tuple[AccessPoint, str], bus: EventTap
) -> None:
    point, _ = access_point
    event = await rendered(notifier)
    envelope = await notifier.publish(event)
    await eventually(partial(received, point))
    await settled(notifier, event.invoice_id)
    assert await outcome(bus, notifier, event.invoice_id) == ["invoice.delivered"]
    [document] = point.received
    assert document.sender == f"iso6523-actorid-upis::{SELLER}"
    assert document.receiver == f"iso6523-actorid-upis::{BUYER}"
    assert document.document_type == INVOICE_DOCTYPE
    assert document.country == "SE" and document.xml == SAMPLE
    delivered = [e for e in await published(bus, notifier, "invoice.delivered")]
    assert [e.payload["recipient"] for e in delivered] == [BUYER]
    assert await notifier.mail_row(envelope.event_id, "invoice_to_buyer") is None
    async with notifier.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM peppol_deliveries")
    assert row["status"] == "delivered" and '"overallSuccess": true' in row["answer"]


async def test_a_server_error_is_retried_and_the_invoice_received_once(
    notifier: Notifier, access_point: tuple[AccessPoint, str], bus: EventTap
) -> None:
    point, _ = access_point
    point.fail_next(1, "500")
    point.fail_next(1, "drop")
    event = await rendered(notifier)
    await notifier.publish(event)
    await eventually(partial(received, point), within=30)
    await settled(notifier, event.invoice_id)
    assert await outcome(bus, notifier, event.invoice_id) == ["invoice.delivered"]
    assert point.requests == 3 and len(point.received) == 1


async def test_a_refusal_fails_the_invoice_with_the_access_points_answer(
    notifier: Notifier, access_point: tuple[AccessPoint, str], bus: EventTap
) -> None:
    point, _ = access_point
    event = await rendered(notifier, peppol_receiver="0007:5567935497")  # not the document's
    await notifier.publish(event)

    async def failed() -> bool:
        return await outcome(bus, notifier, event.invoice_id) == ["invoice.delivery_failed"]

    await eventually(failed)
    [failure] = await published(bus, notifier, "invoice.delivery_failed")
    assert "Peppol: 400" in failure.payload["reason"] and "EndpointID" in failure.payload["reason"]
    assert point.received == [] and point.refusals == 1
    async with notifier.pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM peppol_deliveries") == "failed"


async def test_mail_and_peppol_deliver_when_both_have(
    notifier: Notifier, access_point: tuple[AccessPoint, str], bus: EventTap
) -> None:
    point, _ = access_point
    event = await rendered(notifier, channels=["mail", "peppol"])
    envelope = await notifier.publish(event)
    await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    await eventually(partial(received, point))
    await settled(notifier, event.invoice_id)
    assert await outcome(bus, notifier, event.invoice_id) == ["invoice.delivered"]
    [delivered] = await published(bus, notifier, "invoice.delivered")
    assert set(delivered.payload["recipient"].split(", ")) == {event.buyer_email, BUYER}


@pytest.mark.parametrize("channels", [["mail"], ["api"]])
async def test_a_buyer_without_peppol_never_touches_the_access_point(
    notifier: Notifier,
    access_point: tuple[AccessPoint, str],
    bus: EventTap,
    channels: list[str],
) -> None:
    point, _ = access_point
    event = await rendered(notifier, channels=channels, peppol_sender=None, peppol_receiver=None)
    envelope = await notifier.publish(event)
    await settled(notifier, event.invoice_id)
    assert await outcome(bus, notifier, event.invoice_id) == ["invoice.delivered"]
    [delivered] = await published(bus, notifier, "invoice.delivered")
    expected = event.buyer_email if channels == ["mail"] else "api"
    assert delivered.payload["recipient"] == expected
    sent = await notifier.mail_row(envelope.event_id, "invoice_to_buyer")
    assert (sent is not None) == (channels == ["mail"])
    assert point.requests == 0


async def test_an_invoice_rendered_as_version_1_is_mailed_as_before(
    notifier: Notifier, access_point: tuple[AccessPoint, str], bus: EventTap
) -> None:
    """A renderer not yet upgraded publishes version 1, without channels: the buyer is mailed."""
    point, _ = access_point
    newest = await rendered(notifier, channels=["mail"], peppol_sender=None, peppol_receiver=None)
    old = InvoiceRenderedV1.model_validate(
        newest.model_dump(exclude={"channels", "peppol_sender", "peppol_receiver"})
    )
    envelope = await notifier.publish(old)
    assert envelope.version == 1
    await notifier.wait_for_mail(envelope, "invoice_to_buyer")
    await settled(notifier, old.invoice_id)
    [delivered] = await published(bus, notifier, "invoice.delivered")
    assert delivered.payload["recipient"] == old.buyer_email
    assert point.requests == 0
