"""A buyer's webhooks: registered with its key, refused for internal addresses, told of each
`invoice.sent` and status change, signed so that a Standard Webhooks library (`standardwebhooks`)
verifies them, retried with the same `webhook-id` until a 2xx, and given up after a day.

The API through the running services (which allow private targets, so that a receiver on
127.0.0.1 can be reached); the rules, the schedule and the retries on their own and on a scratch
database, through the service's functions, with a schedule of no delays.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import unused_port
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.invoice import buyer_statuses, webhooks
from services.invoice.messages import MESSAGES
from services.invoice.schemas import WebhookForm
from services.invoice.webhook_sender import (
    DAY_SECONDS,
    SCHEDULE,
    retry_delay,
    send_due_webhooks,
    webhook_session,
)
from services.invoice.webhook_targets import (
    GuardedResolver,
    TargetRefused,
    addresses_of,
    forbidden,
    url_problems,
)
from shared.errors import FieldErrors, NotFound
from tests.invoice.conftest import Supplier, connected_supplier
from tests.invoice.test_buyer_statuses import (
    Buyer,
    a_sent_invoice,
    buyer_of,
    code_of,
    deps_of,
    outbox_events,
    sent_invoice,
)

# A receiver that nobody listens on: registrations that are never delivered to.
NOWHERE = "http://127.0.0.1:9/webhooks"


@dataclass
class Receiver:
    """A buyer's system on 127.0.0.1: answers each request with the next of `answers` (200 once
    they run out) and keeps what it was sent."""

    answers: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        async with self.arrived:
            self.received.append((dict(request.headers), body))
            self.arrived.notify_all()
        return web.Response(status=self.answers.pop(0) if self.answers else 200)

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(20), self.arrived:
            await self.arrived.wait_for(lambda: len(self.received) >= count)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/webhooks", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = unused_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    found.url = f"http://127.0.0.1:{port}/webhooks"
    try:
        yield found
    finally:
        await runner.cleanup()


async def register(buyer: Buyer, url: str, language: str = "sv") -> tuple[int, Any]:
    """Register `url` with the buyer's key, answered in `language`."""
    async with buyer.supplier.http.post(
        buyer.supplier.system.invoice_url + "/v1/buyer/webhooks",
        json={"url": url, "description": "Ekonomisystemet"},
        headers={"Authorization": f"Bearer {buyer.key}", "Accept-Language": language},
    ) as r:
        return r.status, await r.json()


def verified(secret: str, headers: dict[str, str], body: bytes) -> Any:
    return Webhook(secret).verify(body, headers)


def unique(received: list[tuple[dict[str, str], bytes]]) -> dict[str, tuple[dict[str, str], bytes]]:
    """What a receiver keeps, de-duplicated by `webhook-id` as the specification asks."""
    return {headers["webhook-id"]: (headers, body) for headers, body in received}


# The address rules, alone.

FORBIDDEN = [
    "127.0.0.1",  # loopback
    "127.255.0.9",
    "::1",
    "10.1.2.3",  # private
    "172.16.5.4",
    "192.168.1.10",
    "169.254.169.254",  # link-local: the clouds' metadata service
    "fe80::1",
    "fc00::1",  # unique-local
    "fd12:3456::1",
    "224.0.0.1",  # multicast
    "ff02::1",
    "0.0.0.0",  # unspecified  # noqa: S104
    "::",
    "240.0.0.1",  # reserved
    "100.64.0.1",  # shared address space, not routed on the internet
    "192.0.2.10",  # documentation
    "::ffff:127.0.0.1",  # IPv4 written as IPv6
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
]
ALLOWED = ["1.1.1.1", "93.184.216.34", "2606:4700:4700::1111"]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_each_internal_range_is_forbidden(address: str) -> None:
    assert forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.1"])
async def test_an_address_literal_is_refused_unless_the_operator_allows_it(address: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        await addresses_of(address, 443, allow_private=False)
    assert refused.value.code == "webhook.host_private"
    assert await addresses_of(address, 443, allow_private=True)


async def test_a_name_resolving_to_loopback_is_refused_unless_allowed() -> None:
    with pytest.raises(TargetRefused) as refused:
        await addresses_of("localhost", 443, allow_private=False)
    assert refused.value.code == "webhook.host_private"
    assert ipaddress.ip_address("127.0.0.1") in await addresses_of(
        "localhost", 443, allow_private=True
    )
    # The connection's own resolver refuses it too: what is checked is what is connected to.
    with pytest.raises(TargetRefused):
        await GuardedResolver(allow_private=False).resolve("localhost", 443)
    found = await GuardedResolver(allow_private=True).resolve("localhost", 443)
    assert found and {a["host"] for a in found} <= {"127.0.0.1", "::1"}
    with pytest.raises(TargetRefused) as unknown:
        await addresses_of("no-such-host.invalid", 443, allow_private=False)
    assert unknown.value.code == "webhook.host_unknown"


@pytest.mark.parametrize(
    ("url", "allow", "code"),
    [
        ("http://system.example.com/hook", False, "webhook.url_not_https"),
        ("ftp://system.example.com/hook", True, "webhook.url_not_https"),
        ("https://user:secret@system.example.com/hook", False, "webhook.url_credentials"),
        ("https://token@system.example.com/hook", False, "webhook.url_credentials"),
        ("https:///hook", False, "webhook.url_invalid"),
        ("system.example.com/hook", False, "webhook.url_not_https"),
        ("https://system.example.com/" + "a" * 2000, False, "webhook.url_too_long"),
    ],
)
def test_urls_that_are_refused_before_any_lookup(url: str, allow: bool, code: str) -> None:
    assert [c for _, c, _ in url_problems(url, allow_private=allow)] == [code]
    assert set(MESSAGES[code]) == {"sv", "en"}


def test_https_and_with_permission_http_are_accepted() -> None:
    assert url_problems("https://system.example.com/hook?x=1", allow_private=False) == []
    assert url_problems("http://127.0.0.1:8000/hook", allow_private=True) == []


# The schedule and the signature, alone.


def test_the_schedule_retries_for_a_day_and_then_gives_up() -> None:
    delays = []
    failures = 1
    while (delay := retry_delay(failures)) is not None:
        delays.append(delay)
        failures += 1
    assert delays[:6] == [5, 300, 1800, 7200, 18000, 36000]
    assert delays == list(SCHEDULE)
    # Eight attempts: the first, and one after each delay; the last a day after the first.
    assert failures == 8
    assert sum(delays) == DAY_SECONDS
    assert retry_delay(0) is None and retry_delay(8) is None


def test_the_signature_is_the_standard_webhooks_one() -> None:
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_")
    body = json.dumps({"type": "invoice.sent", "data": {"number": "F1"}})
    message_id = webhooks.message_id(uuid.uuid4())
    now = datetime.now(UTC)
    timestamp = int(now.timestamp())
    signature = webhooks.sign(secret, message_id, timestamp, body)
    assert signature == Webhook(secret).sign(message_id, now, body)
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    assert verified(secret, headers, body.encode())["data"] == {"number": "F1"}
    with pytest.raises(WebhookVerificationError):
        verified(secret, headers, body.replace("F1", "F2").encode())
    with pytest.raises(WebhookVerificationError):
        verified(webhooks.new_secret(), headers, body.encode())


# Through the running services.


async def test_a_receiver_is_told_of_the_send_and_each_status_signed_once_each(
    supplier: Supplier, receiver: Receiver
) -> None:
    buyer = await buyer_of(supplier)
    code, registered = await register(buyer, receiver.url)
    assert code == 201, registered
    secret = registered["secret"]
    assert secret.startswith("whsec_")
    assert registered["url"] == receiver.url
    assert registered["description"] == "Ekonomisystemet"

    sent = await sent_invoice(supplier)
    await receiver.wait_for(1)
    answers = []
    for count, status in enumerate(("received", "approved", "paid"), start=2):
        code, answer = await buyer.mark(sent["id"], status)
        assert code == 200, answer
        answers.append(answer)
        await receiver.wait_for(count)

    kept = unique(receiver.received)
    assert len(kept) == 4
    events = []
    for message_id, (headers, body) in kept.items():
        assert message_id.startswith("msg_")
        assert headers["Content-Type"] == "application/json"
        events.append(verified(secret, headers, body))
        with pytest.raises(WebhookVerificationError):
            verified(secret, headers, body[:-1] + b" }")  # tampered, though JSON still
    assert [e["type"] for e in events] == ["invoice.sent"] + ["invoice.status_changed"] * 3
    first = events[0]["data"]
    assert first["invoice_id"] == sent["id"]
    assert first["number"] == sent["form"]["number"]
    assert (first["kind"], first["currency"], first["due_date"]) == ("invoice", "SEK", "2026-12-24")
    assert Decimal(first["payable"]) == Decimal(sent["totals"]["payable"])
    assert first["supplier_name"]
    assert first["links"]["pdf"] == f"/v1/buyer/invoices/{sent['id']}/pdf"
    assert [e["data"]["status"] for e in events[1:]] == ["received", "approved", "paid"]
    paid = events[-1]["data"]
    assert paid["response_id"] == answers[-1]["id"]
    assert paid["links"]["response"] == answers[-1]["url"]
    # The links lead to the buyer's own documents.
    code, _ = await buyer.call("GET", paid["links"]["response"])
    assert code == 200

    code, listed = await buyer.call("GET", "/v1/buyer/webhooks")
    assert code == 200
    assert listed == {"webhooks": [{k: v for k, v in registered.items() if k != "secret"}]}
    assert secret not in json.dumps(listed)
    path = f"/v1/buyer/webhooks/{registered['id']}/deliveries"
    async with asyncio.timeout(10):
        while True:
            code, log = await buyer.call("GET", path)
            assert code == 200, log
            if all(d["state"] == "delivered" for d in log["deliveries"]):
                break
            await asyncio.sleep(0.05)
    assert [d["message_id"] for d in log["deliveries"]] == list(reversed(kept))
    for delivery in log["deliveries"]:
        assert (delivery["attempts"], delivery["last_status"]) == (1, 200)
        assert delivery["last_error"] is None and delivery["next_attempt_at"] is None
    code, one = await buyer.call("GET", path, params={"limit": "1"})
    assert (code, len(one["deliveries"])) == (200, 1)


async def test_registrations_are_refused_at_their_field_in_both_languages(
    supplier: Supplier,
) -> None:
    buyer = await buyer_of(supplier)
    cases = [
        ("ftp://system.example.com/x", "webhook.url_not_https", "börjar med https", "https://"),
        ("https://a:b@system.example.com/x", "webhook.url_credentials", "lösenord", "password"),
        ("https://no-such-host.invalid/x", "webhook.host_unknown", "DNS", "DNS"),
        ("https://" + "a" * 2000 + ".se", "webhook.url_too_long", "2000", "2000"),
    ]
    for url, expected, swedish, english in cases:
        for language, words in (("sv", swedish), ("en", english)):
            status, body = await register(buyer, url, language)
            assert status == 422, (url, body)
            [problem] = body["error"]["fields"]["url"]
            assert problem["code"] == expected, (url, body)
            assert words in problem["message"], (language, problem)
    status, body = await buyer.call("POST", "/v1/buyer/webhooks", json={"description": "x"})
    assert status == 422 and "url" in body["error"]["fields"]
    for limit in ("0", "201", "x"):
        code, limited = await buyer.call(
            "GET", f"/v1/buyer/webhooks/{uuid.uuid4()}/deliveries", params={"limit": limit}
        )
        assert code == 422 and "limit" in limited["error"]["fields"], limited

    for _ in range(webhooks.MAX_ENDPOINTS):
        assert (await register(buyer, NOWHERE))[0] == 201
    for language, words in (("sv", "Högst 10"), ("en", "At most 10")):
        status, body = await register(buyer, NOWHERE, language)
        assert status == 422, body
        [problem] = body["error"]["fields"]["url"]
        assert problem["code"] == "webhook.too_many" and words in problem["message"]
    code, listed = await buyer.call("GET", "/v1/buyer/webhooks")
    assert len(listed["webhooks"]) == webhooks.MAX_ENDPOINTS
    # Deleting one makes room again.
    code, _ = await buyer.call("DELETE", f"/v1/buyer/webhooks/{listed['webhooks'][0]['id']}")
    assert code == 204
    assert (await register(buyer, NOWHERE))[0] == 201


async def test_another_buyers_key_sees_nothing_of_a_buyers_webhooks(supplier: Supplier) -> None:
    buyer = await buyer_of(supplier)
    code, mine = await register(buyer, NOWHERE)
    assert code == 201, mine
    other = await buyer_of(await connected_supplier(supplier.system, supplier.http))
    code, theirs = await other.call("GET", "/v1/buyer/webhooks")
    assert (code, theirs) == (200, {"webhooks": []})
    for method, path in (
        ("GET", f"/v1/buyer/webhooks/{mine['id']}/deliveries"),
        ("DELETE", f"/v1/buyer/webhooks/{mine['id']}"),
        ("GET", f"/v1/buyer/webhooks/{uuid.uuid4()}/deliveries"),
        ("DELETE", "/v1/buyer/webhooks/not-an-id"),
    ):
        code, body = await other.call(method, path)
        assert (code, code_of(body)) == (404, "not_found"), (method, path, body)
    code, listed = await buyer.call("GET", "/v1/buyer/webhooks")
    assert [w["id"] for w in listed["webhooks"]] == [mine["id"]]
    # A user's session is no key.
    for method, path in (("GET", "/v1/buyer/webhooks"), ("POST", "/v1/buyer/webhooks")):
        code, _ = await supplier.call(method, path, json={"url": NOWHERE})
        assert code == 401


# On a scratch database, through the service's functions.


async def test_internal_and_http_targets_are_refused_without_permission(
    pool: asyncpg.Pool,
) -> None:
    buyer_id = uuid.uuid4()
    for url, code in (
        ("http://system.example.com/hook", "webhook.url_not_https"),
        ("https://localhost/hook", "webhook.host_private"),
        ("https://127.0.0.1/hook", "webhook.host_private"),
        ("https://[::1]/hook", "webhook.host_private"),
        ("https://169.254.169.254/latest/meta-data", "webhook.host_private"),
        ("https://10.0.0.5/hook", "webhook.host_private"),
    ):
        with pytest.raises(FieldErrors) as refused:
            await webhooks.register(
                deps_of(pool), buyer_id, WebhookForm(url=url), allow_private=False
            )
        assert refused.value.errors == [("url", code, {})], url
    assert await webhooks.endpoints(deps_of(pool), buyer_id) == []


async def test_a_status_change_and_its_deliveries_commit_with_its_event(
    pool: asyncpg.Pool,
) -> None:
    buyer_id = uuid.uuid4()
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    first, second = [
        await webhooks.register(
            deps_of(pool), buyer_id, WebhookForm(url=NOWHERE), allow_private=True
        )
        for _ in range(2)
    ]
    await webhooks.register(
        deps_of(pool), uuid.uuid4(), WebhookForm(url=NOWHERE), allow_private=True
    )
    response = await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "approved")
    [event] = await outbox_events(pool)
    for endpoint in (first, second):
        [delivery] = await webhooks.deliveries(deps_of(pool), buyer_id, endpoint.id, 50)
        assert delivery.message_id == f"msg_{event.event_id.hex}"
        assert (delivery.event_type, delivery.state) == ("invoice.status_changed", "pending")
    async with pool.acquire() as conn:
        bodies = await conn.fetch("SELECT body FROM webhook_deliveries")
    assert len(bodies) == 2
    data = json.loads(bodies[0]["body"])["data"]
    assert (data["status"], data["response_id"]) == ("approved", str(response.id))


async def test_a_failing_receiver_gets_the_same_message_until_it_answers_2xx(
    pool: asyncpg.Pool, receiver: Receiver
) -> None:
    buyer_id = uuid.uuid4()
    receiver.answers = [500, 500]
    endpoint = await webhooks.register(
        deps_of(pool), buyer_id, WebhookForm(url=receiver.url), allow_private=True
    )
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "received")
    async with webhook_session(allow_private=True) as http:
        for _ in range(3):
            sent = await send_due_webhooks(pool, http, allow_private=True, schedule=(0, 0, 0))
            assert sent == 1
        assert await send_due_webhooks(pool, http, allow_private=True, schedule=(0, 0, 0)) == 0
    assert len(receiver.received) == 3
    assert len(unique(receiver.received)) == 1
    for headers, body in receiver.received:
        assert verified(endpoint.secret, headers, body)["type"] == "invoice.status_changed"
    [delivery] = await webhooks.deliveries(deps_of(pool), buyer_id, endpoint.id, 50)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 3, 200)
    assert delivery.next_attempt_at is None


async def test_a_delivery_is_given_up_after_the_last_attempt(
    pool: asyncpg.Pool, receiver: Receiver
) -> None:
    buyer_id = uuid.uuid4()
    receiver.answers = [503] * 5
    endpoint = await webhooks.register(
        deps_of(pool), buyer_id, WebhookForm(url=receiver.url), allow_private=True
    )
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "received")
    async with webhook_session(allow_private=True) as http:
        while await send_due_webhooks(pool, http, allow_private=True, schedule=(0, 0)):
            pass
    [delivery] = await webhooks.deliveries(deps_of(pool), buyer_id, endpoint.id, 50)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 3, 503)
    assert delivery.next_attempt_at is None and len(receiver.received) == 3


async def test_a_target_that_becomes_private_is_refused_at_delivery(
    pool: asyncpg.Pool, receiver: Receiver
) -> None:
    buyer_id = uuid.uuid4()
    endpoint = await webhooks.register(
        deps_of(pool), buyer_id, WebhookForm(url=receiver.url), allow_private=True
    )
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "received")
    # The operator no longer allows private targets: the same row is refused, never posted.
    async with webhook_session(allow_private=False) as http:
        assert await send_due_webhooks(pool, http, allow_private=False, schedule=(60,)) == 1
    [delivery] = await webhooks.deliveries(deps_of(pool), buyer_id, endpoint.id, 50)
    assert delivery.state == "pending" and delivery.attempts == 1
    assert delivery.last_status is None and "refused" in (delivery.last_error or "")
    assert receiver.received == []


async def test_deleting_an_endpoint_stops_its_pending_deliveries(
    pool: asyncpg.Pool, receiver: Receiver
) -> None:
    buyer_id = uuid.uuid4()
    endpoint = await webhooks.register(
        deps_of(pool), buyer_id, WebhookForm(url=receiver.url), allow_private=True
    )
    invoice_id = await a_sent_invoice(pool, buyer_id, "delivered")
    await buyer_statuses.set_status(deps_of(pool), buyer_id, invoice_id, "received")
    with pytest.raises(NotFound):
        await webhooks.delete(deps_of(pool), uuid.uuid4(), endpoint.id)
    await webhooks.delete(deps_of(pool), buyer_id, endpoint.id)
    async with webhook_session(allow_private=True) as http:
        assert await send_due_webhooks(pool, http, allow_private=True) == 0
    assert receiver.received == []
    with pytest.raises(NotFound):
        await webhooks.deliveries(deps_of(pool), buyer_id, endpoint.id, 50)
