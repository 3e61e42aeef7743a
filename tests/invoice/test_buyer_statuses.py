"""A buyer marks what it received Mottagen, Godkänd, Avvisad (with a reason) or Betald through its
API: each status is kept once, in order, as an Invoice Response (T111) that passes the official
rules; nothing follows a rejection or a payment; the supplier sees the status on its own API; the
event that tells the notifier is published once; another buyer, or a draft, finds nothing.

The API through the running services; what only a row can show (an invoice whose delivery
failed, two buyers' systems answering at once) on a scratch database, through the service.
"""

from __future__ import annotations

import asyncio
import json
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from devtools.peppol import validate
from services.invoice import buyer_statuses, db, invoices
from shared.errors import Conflict, NotFound
from shared.events import Envelope
from tests.conftest import AMQP_URL
from tests.harness import tapping
from tests.invoice.conftest import Supplier, connected_supplier
from tests.system import OPERATOR_SECRET

NS = {
    "ar": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
REASON = "Ordernumret AO1234567 finns inte hos oss; ange det avrop arbetet gäller."


class Buyer:
    """A buyer's systems: its key, calling the buyer API."""

    def __init__(self, supplier: Supplier, key: str) -> None:
        self.supplier, self.key = supplier, key

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.key}", "Accept-Language": "sv"}
        url = self.supplier.system.invoice_url + path
        async with self.supplier.http.request(method, url, headers=headers, **kwargs) as r:
            if r.content_type == "application/json":
                return r.status, await r.json()
            return r.status, await r.read()

    async def mark(self, invoice_id: str, status: str, **fields: str) -> tuple[int, Any]:
        body = {"status": status, **fields}
        return await self.call("POST", f"/v1/buyer/invoices/{invoice_id}/status", json=body)


async def buyer_of(supplier: Supplier) -> Buyer:
    async with supplier.http.post(
        f"{supplier.system.invoice_url}/v1/operator/buyers/{supplier.buyer_id}/keys",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
    ) as r:
        assert r.status == 201, await r.text()
        return Buyer(supplier, (await r.json())["key"])


async def sent_invoice(supplier: Supplier, **changes: Any) -> dict[str, Any]:
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form(**changes))
    assert status == 201, draft
    status, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200, sent
    return dict(sent)


def code_of(body: Any) -> str:
    return str(body["error"]["code"])


def field_codes(body: Any) -> dict[str, list[str]]:
    fields = body["error"]["fields"]
    return {name: [problem["code"] for problem in problems] for name, problems in fields.items()}


def value(xml: bytes, path: str) -> str | None:
    return ET.fromstring(xml).findtext(path, namespaces=NS)  # noqa: S314 -- the service's own


async def response_documents(buyer: Buyer, invoice_id: str) -> list[tuple[dict[str, Any], bytes]]:
    """Each of the invoice's responses as listed, with its XML fetched from the listed URL."""
    status, listed = await buyer.call("GET", f"/v1/buyer/invoices/{invoice_id}/responses")
    assert status == 200, listed
    documents = []
    for item in listed["responses"]:
        status, xml = await buyer.call("GET", item["url"])
        assert status == 200, xml
        documents.append((item, xml))
    return documents


def assert_valid(xml: bytes) -> None:
    findings = validate(xml)
    fatal = [f for f in findings if f.flag == "fatal"]
    assert fatal == [], "\n".join(f"{f.rule}: {f.message}" for f in findings)


async def test_each_status_is_kept_in_order_as_an_invoice_response(supplier: Supplier) -> None:
    buyer = await buyer_of(supplier)
    sent = await sent_invoice(supplier)
    number = sent["form"]["number"]

    answers = []
    for status in ("received", "approved", "paid"):
        code, answer = await buyer.mark(sent["id"], status)
        assert code == 200, answer
        assert (answer["status"], answer["reason"], answer["reason_code"]) == (status, None, None)
        answers.append(answer)

    documents = await response_documents(buyer, sent["id"])
    assert [item for item, _ in documents] == answers
    assert [item["status"] for item, _ in documents] == ["received", "approved", "paid"]
    for (item, xml), code in zip(documents, ("AB", "AP", "PD"), strict=True):
        assert_valid(xml)
        assert value(xml, "cbc:ID") == item["id"]
        assert value(xml, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == code
        assert value(xml, "cac:DocumentResponse/cac:DocumentReference/cbc:ID") == number
        assert item["url"] == f"/v1/buyer/invoices/{sent['id']}/responses/{item['id']}"

    # The supplier sees the newest status, on its list and on the invoice.
    _, detail = await supplier.call("GET", f"/v1/me/invoices/{sent['id']}")
    assert detail["status"] in ("sent", "delivered")  # the delivery's own status, untouched
    assert (detail["buyer_status"], detail["buyer_status_reason"]) == ("paid", None)
    assert detail["buyer_status_at"] == answers[-1]["set_at"]
    _, page = await supplier.call("GET", "/v1/me/invoices", params={"q": number})
    [listed] = page["invoices"]
    assert (listed["buyer_status"], listed["buyer_status_at"]) == ("paid", answers[-1]["set_at"])


async def test_a_rejection_needs_a_reason_and_ends_the_invoices_statuses(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    sent = await sent_invoice(supplier)

    code, body = await buyer.mark(sent["id"], "rejected")
    assert code == 422, body
    assert field_codes(body) == {"reason": ["buyer_status.reason_required"]}
    assert body["error"]["fields"]["reason"][0]["message"].startswith("Skriv varför")
    code, body = await buyer.mark(sent["id"], "rejected", reason="  \n ")
    assert code == 422 and field_codes(body) == {"reason": ["buyer_status.reason_required"]}

    code, rejected = await buyer.mark(sent["id"], "rejected", reason=REASON, reason_code="REF")
    assert code == 200, rejected
    assert (rejected["reason"], rejected["reason_code"]) == (REASON, "REF")
    [(item, xml)] = await response_documents(buyer, sent["id"])
    assert item == rejected
    assert_valid(xml)
    response = "cac:DocumentResponse/cac:Response"
    assert value(xml, f"{response}/cbc:ResponseCode") == "RE"
    assert value(xml, f"{response}/cac:Status/cbc:StatusReasonCode") == "REF"
    assert value(xml, f"{response}/cac:Status/cbc:StatusReason") == REASON

    for status in ("received", "approved", "paid"):
        code, body = await buyer.mark(sent["id"], status)
        assert (code, code_of(body)) == (409, "buyer_status.already_rejected"), body
    # The same rejection again changes nothing, whatever its words this time.
    code, again = await buyer.mark(sent["id"], "rejected", reason="Annat skäl")
    assert (code, again) == (200, rejected)
    assert len(await response_documents(buyer, sent["id"])) == 1

    _, detail = await supplier.call("GET", f"/v1/me/invoices/{sent['id']}")
    assert (detail["buyer_status"], detail["buyer_status_reason"]) == ("rejected", REASON)
    assert detail["buyer_status_reason_code"] == "REF"


async def test_a_rejection_without_a_code_is_other_and_nothing_follows_a_payment(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    first, second = await sent_invoice(supplier), await sent_invoice(supplier)

    code, rejected = await buyer.mark(first["id"], "rejected", reason=REASON)
    assert (code, rejected["reason_code"]) == (200, "OTH")
    [(_, xml)] = await response_documents(buyer, first["id"])
    assert value(xml, "cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReasonCode") == "OTH"
    assert_valid(xml)

    assert (await buyer.mark(second["id"], "paid"))[0] == 200
    for status, fields in (("received", {}), ("rejected", {"reason": REASON})):
        code, body = await buyer.mark(second["id"], status, **fields)
        assert (code, code_of(body)) == (409, "buyer_status.already_paid"), body


async def test_wrong_statuses_reasons_and_codes_are_422_at_their_fields(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    sent = await sent_invoice(supplier)
    cases: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
        ({"status": "received", "reason": REASON}, {"reason": ["buyer_status.reason_unwanted"]}),
        (
            {"status": "approved", "reason_code": "PRI"},
            {"reason_code": ["buyer_status.reason_unwanted"]},
        ),
        ({"status": "rejected", "reason": REASON, "reason_code": "NON"}, {"reason_code": []}),
        ({"status": "booked"}, {"status": []}),
        ({}, {"status": []}),
        ({"status": "rejected", "reason": "x" * 1001}, {"reason": []}),
    ]
    path = f"/v1/buyer/invoices/{sent['id']}/status"
    for body, expected in cases:
        code, answer = await buyer.call("POST", path, json=body)
        assert code == 422, (body, answer)
        found = field_codes(answer)
        assert set(found) == set(expected), (body, found)
        for name, codes in expected.items():
            if codes:
                assert found[name] == codes, (body, found)
    status, listed = await buyer.call("GET", f"/v1/buyer/invoices/{sent['id']}/responses")
    assert (status, listed) == (200, {"responses": []})
    _, detail = await supplier.call("GET", f"/v1/me/invoices/{sent['id']}")
    assert detail["buyer_status"] is None and detail["buyer_status_at"] is None


async def test_another_buyers_key_a_draft_and_unknown_ids_find_nothing(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    sent = await sent_invoice(supplier)
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    code, received = await buyer.mark(sent["id"], "received")
    assert code == 200, received
    other_supplier = await connected_supplier(supplier.system, supplier.http)
    other = await buyer_of(other_supplier)
    theirs = await sent_invoice(other_supplier)
    _, their_response = await other.mark(theirs["id"], "received")

    def paths(invoice_id: str, response_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        base = f"/v1/buyer/invoices/{invoice_id}"
        return [
            ("POST", f"{base}/status", {"json": {"status": "approved"}}),
            ("GET", f"{base}/responses", {}),
            ("GET", f"{base}/responses/{response_id}", {}),
        ]

    refused = [
        (other, paths(sent["id"], received["id"])),  # another buyer's key
        (buyer, paths(draft["id"], received["id"])),  # a draft, never sent
        (buyer, paths(str(uuid.uuid4()), received["id"])),  # no such invoice
        (buyer, paths(sent["id"], str(uuid.uuid4()))[2:]),  # no such response
        (buyer, paths(sent["id"], their_response["id"])[2:]),  # another invoice's response
        (buyer, paths(sent["id"], "not-an-id")[2:]),
    ]
    for who, tried in refused:
        for method, path, kwargs in tried:
            code, body = await who.call(method, path, **kwargs)
            assert (code, code_of(body)) == (404, "not_found"), (method, path, body)
    # Nothing changed on the way: the invoice is still received, once.
    assert [item for item, _ in await response_documents(buyer, sent["id"])] == [received]
    async with supplier.http.post(
        f"{supplier.system.invoice_url}/v1/buyer/invoices/{sent['id']}/status",
        json={"status": "approved"},
        headers={"Authorization": f"Bearer {supplier.token}"},  # a user's session is no key
    ) as r:
        assert r.status == 401


async def test_the_sender_is_told_by_one_event_and_the_same_status_again_is_none(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    sent = await sent_invoice(supplier)
    system = supplier.system
    async with tapping(AMQP_URL, system.queue_prefix) as tap:
        code, first = await buyer.mark(sent["id"], "rejected", reason=REASON, reason_code="PRI")
        assert code == 200, first
        code, again = await buyer.mark(sent["id"], "rejected", reason=REASON, reason_code="PRI")
        assert (code, again) == (200, first)
        # The mail the event caused is the last thing it does: once it is in, so is the event.
        mail = await system.mail_to(supplier.email, "avvisades av")
        [event] = [e for e in tap.envelopes if e.type == "invoice.status_changed"]
    payload = event.payload
    assert (event.producer, event.version) == ("invoice", 1)
    assert {k: payload[k] for k in ("invoice_id", "status", "reason", "reason_code")} == {
        "invoice_id": sent["id"],
        "status": "rejected",
        "reason": REASON,
        "reason_code": "PRI",
    }
    assert payload["response_id"] == first["id"]
    assert payload["buyer_id"] == supplier.buyer_id
    assert (payload["number"], payload["kind"]) == (sent["form"]["number"], "invoice")
    assert (payload["sender_email"], payload["language"]) == (supplier.email, "sv")
    assert payload["buyer_name"] == sent["buyer_name"]
    assert mail.subject == f"Faktura {sent['form']['number']} avvisades av {sent['buyer_name']}"
    assert REASON in mail.text and "Fel pris" in mail.text
    assert f"/invoices/{sent['id']}" in mail.text


# On a scratch database, through the service.

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def deps_of(pool: asyncpg.Pool) -> invoices.Deps:
    return invoices.Deps(pool=pool, files=None, now=NOW)  # type: ignore[arg-type]


async def a_sent_invoice(pool: asyncpg.Pool, buyer_id: uuid.UUID, delivery: str) -> uuid.UUID:
    """An invoice as sending leaves it, then moved to the delivery status `delivery`."""
    invoice_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await db.insert_invoice(
            conn,
            uuid.uuid4(),
            id=invoice_id,
            buyer_id=buyer_id,
            kind="invoice",
            number=f"F{invoice_id.int % 10**8}",
            form=json.dumps({}),
            totals="{}",
            payable=Decimal("100.00"),
            currency="SEK",
            credited_invoice_id=None,
            now=NOW,
            created_by=db.Creator(uuid.uuid4(), "Karin Berg"),
        )
        sender = db.Sender(uuid.uuid4(), "karin.berg@ekspar.example", "en", "Karin Berg")
        await db.mark_sent(conn, invoice_id, {"number": "F1"}, NOW, sender)
        await db.set_status(conn, invoice_id, delivery, "refused", NOW)
    return invoice_id


async def outbox_events(pool: asyncpg.Pool) -> list[Envelope]:
    """What the service committed to publish: no relay runs on a scratch database."""
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT body FROM outbox ORDER BY id")
    return [Envelope.model_validate_json(row["body"]) for row in rows]


async def test_an_invoice_whose_delivery_failed_takes_no_status(pool: asyncpg.Pool) -> None:
    buyer_id = uuid.uuid4()
    invoice_id = await a_sent_invoice(pool, buyer_id, "failed")
    with pytest.raises(Conflict) as refused:
        await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "received")
    assert refused.value.code == "buyer_status.not_delivered"
    with pytest.raises(NotFound):
        await buyer_statuses.set_status(deps_of(pool), uuid.uuid4(), invoice_id, "received")
    assert await outbox_events(pool) == []


async def test_two_systems_giving_the_same_status_at_once_make_one_response(
    pool: asyncpg.Pool,
) -> None:
    buyer_id = uuid.uuid4()
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    answers = await asyncio.gather(
        *(
            buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "approved")
            for _ in range(8)
        )
    )
    assert len({answer.id for answer in answers}) == 1
    assert len(await buyer_statuses.responses(deps_of(pool), buyer_id, invoice_id)) == 1
    [event] = await outbox_events(pool)
    assert event.type == "invoice.status_changed"
    assert event.payload["sender_email"] == "karin.berg@ekspar.example"
    assert event.payload["language"] == "en"


async def test_an_invoice_sent_before_senders_were_kept_names_nobody_to_tell(
    pool: asyncpg.Pool,
) -> None:
    buyer_id = uuid.uuid4()
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    async with pool.acquire() as conn:
        await conn.execute(
            """UPDATE invoices SET sent_by = NULL, sender_email = NULL, sender_language = NULL
               WHERE id = $1""",
            invoice_id,
        )
    answer = await buyer_statuses.set_status(
        deps_of(pool), buyer_id, invoice_id, "paid", set_by=uuid.uuid4()
    )
    [event] = await outbox_events(pool)
    assert event.payload["response_id"] == str(answer.id)
    assert (event.payload["sender_email"], event.payload["language"]) == (None, "sv")
