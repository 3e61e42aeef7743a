"""A buyer that receives invoices through Peppol, through the running services: the supplier sends,
the stand-in access point (outside the system, like the SMTP server) receives the invoice once,
as valid UBL with the seller's and the buyer's participant ids, and the supplier sees it
delivered. A Peppol buyer gets no mail; a buyer on mail and Peppol gets both."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Any

import aiohttp

from devtools.mailcatcher.store import StoredMessage
from devtools.peppol import validate
from devtools.peppol_access_point import Received
from shared.events.company import Channel
from tests.invoice.conftest import Supplier, connected_supplier, valid_orgnr
from tests.invoice.test_buyer_statuses import sent_invoice
from tests.system import System
from tests.waiting import eventually

SCHEME = "iso6523-actorid-upis::"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


async def peppol_buyers_supplier(
    system: System,
    http: aiohttp.ClientSession,
    channels: list[Channel],
    buyer_email: str = "",
) -> tuple[Supplier, str, str]:
    """A supplier connected to a buyer on `channels`, whose participant id is `0007:` and its
    organisation number: the supplier, the buyer's participant id and its e-mail address."""
    orgnr = valid_orgnr(uuid.uuid4().int)
    buyer_email = buyer_email or f"faktura.{uuid.uuid4().hex[:10]}@infranord.example"
    supplier = await connected_supplier(
        system,
        http,
        buyer_email=buyer_email,
        buyer_identity={"organisation_number": orgnr},
        # Merged into the operator's request that creates the buyer, with the rules preset.
        buyer_rules={
            "rules_preset": "infranord",
            "channels": channels,
            "peppol_id": f"0007:{orgnr}",
        },
    )
    return supplier, f"0007:{orgnr}", buyer_email


async def delivered(supplier: Supplier, invoice_id: str) -> dict[str, Any] | None:
    status, detail = await supplier.call("GET", f"/v1/me/invoices/{invoice_id}")
    assert status == 200, detail
    assert detail["status"] != "failed", detail
    return dict(detail) if detail["status"] == "delivered" else None


def documents_numbered(system: System, number: str) -> list[Received]:
    return [r for r in system.access_point.received if r.invoice_number == number]


def mails_to(system: System, address: str) -> list[StoredMessage]:
    return [m for m in system.mail.store.messages() if address in m.recipients]


def assert_received_once(system: System, number: str, buyer_id: str) -> Received:
    """The one document the access point took for invoice `number`, valid, with its ids."""
    [document] = documents_numbered(system, number)
    assert document.receiver == SCHEME + buyer_id
    root = ET.fromstring(document.xml)  # noqa: S314 -- the renderer's own, the stand-in parsed it
    seller = root.findtext("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", namespaces=NS)
    assert document.sender == f"{SCHEME}0007:{seller}"
    findings = validate(document.xml)
    assert [f for f in findings if f.flag == "fatal"] == [], findings
    return document


async def test_a_peppol_buyer_receives_the_invoice_once_through_the_access_point(
    system: System,
) -> None:
    async with aiohttp.ClientSession() as http:
        supplier, buyer_id, buyer_email = await peppol_buyers_supplier(system, http, ["peppol"])
        sent = await sent_invoice(supplier)
        number = sent["form"]["number"]
        await eventually(lambda: delivered(supplier, sent["id"]), within=60)

    assert_received_once(system, number, buyer_id)
    # The supplier's confirmation still goes out, queued with what would be the buyer's mail.
    await system.mail_to(supplier.email, number)
    assert mails_to(system, buyer_email) == []


async def test_a_buyer_on_mail_and_peppol_gets_both(system: System) -> None:
    async with aiohttp.ClientSession() as http:
        supplier, buyer_id, buyer_email = await peppol_buyers_supplier(
            system, http, ["mail", "peppol"]
        )
        sent = await sent_invoice(supplier)
        number = sent["form"]["number"]
        await eventually(lambda: delivered(supplier, sent["id"]), within=60)

    document = assert_received_once(system, number, buyer_id)
    [mail] = mails_to(system, buyer_email)
    assert number in mail.subject
    xml_attachments = [
        part.get_content()
        for part in mail.message.iter_attachments()
        if part.get_content_type() == "application/xml"
    ]
    assert xml_attachments == [document.xml]
