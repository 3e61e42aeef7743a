"""What the company service tells the invoice service is checked against what the invoice service
knows: an event that moves a user or connects a pair the known facts do not allow is refused,
dead-lettered, counted, and changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.broker import Broker
from shared.events import Envelope, Event, wrap
from shared.events.company import ConnectionEstablished, SupplierProfileChanged, TermsAccepted
from shared.topology import dead_letter_queue
from tests.conftest import AMQP_URL
from tests.invoice.conftest import Supplier, another_buyer, connected_supplier, valid_orgnr
from tests.system import OPERATOR_SECRET, System

QUEUE = "invoice.company"


@dataclass
class Company:
    """Publishes events as if it were the company service, and sees what became of them."""

    system: System
    broker: Broker
    http: aiohttp.ClientSession
    dead: list[uuid.UUID] = field(default_factory=list)

    async def publish(self, item: Event) -> Envelope:
        envelope = wrap(item, producer="company")
        body = envelope.model_dump_json().encode()
        await self.broker.publish(item.routing_key(), body, envelope.event_id)
        return envelope

    async def dead_lettered(self, envelope: Envelope) -> bool:
        channel = await self.broker.connection.channel()
        async with channel:
            queue = await channel.get_queue(dead_letter_queue(self.system.queue_prefix + QUEUE))
            while message := await queue.get(no_ack=True, fail=False):
                self.dead.append(Envelope.model_validate_json(message.body).event_id)
        return envelope.event_id in self.dead

    async def settled(self, envelope: Envelope, applied: Callable[[], Awaitable[bool]]) -> None:
        """Until the event was dead-lettered or its effect shows, whichever comes first."""
        async with asyncio.timeout(20):
            while True:
                if await self.dead_lettered(envelope) or await applied():
                    return
                await asyncio.sleep(0.05)

    async def refused(self) -> float:
        """The invoice service's count of refused company events."""
        async with self.http.get(self.system.invoice_url + "/metrics") as r:
            text = await r.text()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "portal_events_dead_lettered_total" and sample.labels == {
                    "consumer": QUEUE,
                    "reason": "refused",
                }:
                    return sample.value
        return 0.0

    async def new_buyer(self) -> str:
        """A buyer the invoice service knows, that no supplier was invited to."""
        buyer_id = await another_buyer(self.system, self.http)
        # Issuing a key answers 404 until the invoice service has heard of the buyer.
        async with asyncio.timeout(20):
            while True:
                async with self.http.post(
                    f"{self.system.invoice_url}/v1/operator/buyers/{buyer_id}/keys",
                    headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
                ) as r:
                    if r.status == 201:
                        return buyer_id
                await asyncio.sleep(0.05)


@pytest.fixture
async def company(system: System) -> AsyncIterator[Company]:
    broker = await Broker.connect(AMQP_URL, system.queue_prefix)
    try:
        async with aiohttp.ClientSession() as http:
            yield Company(system, broker, http)
    finally:
        await broker.close()


async def user_id(supplier: Supplier) -> uuid.UUID:
    headers = {"Authorization": f"Bearer {supplier.token}"}
    async with supplier.http.get(
        supplier.system.identity_url + "/v1/sessions/current", headers=headers
    ) as r:
        return uuid.UUID((await r.json())["id"])


async def form(supplier: Supplier) -> dict[str, Any]:
    """What the invoice service knows of the supplier's company and its buyers."""
    status, context = await supplier.call("GET", "/v1/me/invoice-form")
    assert status == 200, context
    answer: dict[str, Any] = context
    return answer


async def company_id(supplier: Supplier) -> uuid.UUID:
    return uuid.UUID((await form(supplier))["supplier"]["company_id"])


async def connected_buyers(supplier: Supplier) -> set[str]:
    return {b["buyer_id"] for b in (await form(supplier))["buyers"]}


def connection(supplier_id: uuid.UUID, buyer_id: str, user: uuid.UUID) -> ConnectionEstablished:
    return ConnectionEstablished(
        supplier_id=supplier_id,
        buyer_id=uuid.UUID(buyer_id),
        user_id=user,
        connected_at=datetime.now(UTC),
    )


async def test_a_profile_never_moves_a_user_into_another_company(
    supplier: Supplier, company: Company
) -> None:
    before = await form(supplier)
    refused_before = await company.refused()
    forged = SupplierProfileChanged(
        company_id=uuid.uuid4(),
        revision=1,
        name="Kapad AB",
        country="SE",
        organisation_number=valid_orgnr(uuid.uuid4().int),
        vat_number=None,
        f_skatt=True,
        addresses=[],
        bank_accounts=[],
        user_ids=[await user_id(supplier)],
    )

    envelope = await company.publish(forged)
    await company.settled(envelope, lambda: _differs(supplier, before))

    assert await form(supplier) == before
    assert await company.dead_lettered(envelope)
    assert await company.refused() == refused_before + 1


async def test_a_connection_to_a_buyer_whose_terms_were_never_accepted_is_refused(
    supplier: Supplier, company: Company
) -> None:
    other_buyer = await company.new_buyer()
    me = await user_id(supplier)
    supplier_id = await company_id(supplier)
    refused_before = await company.refused()

    forgeries = [
        connection(supplier_id, other_buyer, me),
        connection(supplier_id, str(uuid.uuid4()), me),  # a buyer nobody announced
        connection(uuid.uuid4(), other_buyer, me),  # a supplier nobody announced
    ]
    for forged in forgeries:
        envelope = await company.publish(forged)
        await company.settled(envelope, lambda: _connected(supplier, other_buyer))

    assert await connected_buyers(supplier) == {supplier.buyer_id}
    assert await company.refused() == refused_before + len(forgeries)


async def test_terms_accepted_by_a_user_of_another_company_connect_nothing(
    supplier: Supplier, company: Company, system: System
) -> None:
    other_buyer = await company.new_buyer()
    stranger = await user_id(await connected_supplier(system, company.http))
    supplier_id = await company_id(supplier)
    refused_before = await company.refused()

    accepted = TermsAccepted(
        supplier_id=supplier_id,
        buyer_id=uuid.UUID(other_buyer),
        user_id=stranger,
        terms_version="2026-1",
        terms_sha256="0" * 64,
        accepted_at=datetime.now(UTC),
    )
    for forged in (accepted, connection(supplier_id, other_buyer, stranger)):
        envelope = await company.publish(forged)
        await company.settled(envelope, lambda: _connected(supplier, other_buyer))

    assert await connected_buyers(supplier) == {supplier.buyer_id}
    assert await company.refused() == refused_before + 2


async def _differs(supplier: Supplier, before: dict[str, Any]) -> bool:
    return await form(supplier) != before


async def _connected(supplier: Supplier, buyer_id: str) -> bool:
    return buyer_id in await connected_buyers(supplier)
