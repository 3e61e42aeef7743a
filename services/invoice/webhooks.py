"""A buyer's webhooks: the URLs its systems register, the events each is told of, and how a
delivery is signed, as the Standard Webhooks specification says.

Each `invoice.sent` (a send, or a failed invoice sent again) and each status the buyer gives an
invoice is written as one delivery per endpoint of that buyer, in the transaction that records
the fact beside its outbox event (`enqueue`): a fact that commits is delivered, at least once,
and one that rolls back is never told. The delivery's `webhook-id` is `msg_` and the outbox
event's id, the same on every attempt, so a receiver drops what it has seen. `webhook_sender`
sends them.

The body is what a buyer's systems need, not the internal event: the invoice's id, number,
amount and due date, links to this API for the rest, and for a status its response.

The checks are all here, not in the API's handlers, so that a buyer's own page can call these
functions and be answered the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.invoice.schemas import (
    RegisteredWebhook,
    Webhook,
    WebhookDelivery,
    WebhookForm,
)
from services.invoice.webhook_targets import TargetRefused, check_target, url_problems
from shared.db import Connection, row_to
from shared.errors import FieldErrors, NotFound
from shared.invoices import Invoice, Totals

if TYPE_CHECKING:
    # Only a type here: invoices and buyer_statuses call `enqueue`.
    from services.invoice.invoices import Deps

# Endpoints a buyer may have at once.
MAX_ENDPOINTS = 10
MAX_DELIVERY_LOG = 200
SECRET_PREFIX = "whsec_"  # noqa: S105 -- the format's prefix, no secret


def new_secret() -> str:
    """A signing secret as Standard Webhooks libraries take it: `whsec_` and base64 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256, keyed with the secret's
    bytes, of `{webhook-id}.{webhook-timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def message_id(event_id: uuid.UUID) -> str:
    return f"msg_{event_id.hex}"


def _webhook(row: Any) -> Webhook:
    return row_to(Webhook, row)


async def register(
    deps: Deps,
    buyer_id: uuid.UUID,
    form: WebhookForm,
    *,
    allow_private: bool,
    created_by: uuid.UUID | None = None,
) -> RegisteredWebhook:
    """Register an endpoint for the buyer; its secret is in this answer and no other.

    The URL must be `https` (or `http` where the operator allows private targets), carry no
    credentials, and name a host whose every address may be reached (`webhook_targets`).
    """
    if problems := url_problems(form.url, allow_private=allow_private):
        raise FieldErrors(problems)
    try:
        await check_target(form.url, allow_private=allow_private)
    except TargetRefused as refused:
        raise FieldErrors([("url", refused.code, {})]) from None
    secret = new_secret()
    async with deps.pool.acquire() as conn, conn.transaction():
        # One registration at a time per buyer, so two at once cannot both take the last place.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('webhooks:' || $1::uuid::text))", buyer_id
        )
        count = await conn.fetchval(
            "SELECT count(*) FROM webhook_endpoints WHERE buyer_id = $1", buyer_id
        )
        if count >= MAX_ENDPOINTS:
            raise FieldErrors([("url", "webhook.too_many", {"limit": MAX_ENDPOINTS})])
        row = await conn.fetchrow(
            """INSERT INTO webhook_endpoints
                   (id, buyer_id, url, description, secret, created_at, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               RETURNING id, url, description, created_at""",
            uuid.uuid4(),
            buyer_id,
            form.url,
            form.description,
            secret,
            deps.now,
            created_by,
        )
    return RegisteredWebhook(**_webhook(row).model_dump(), secret=secret)


async def endpoints(deps: Deps, buyer_id: uuid.UUID) -> list[Webhook]:
    """The buyer's endpoints, the oldest first, without their secrets."""
    async with deps.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT id, url, description, created_at FROM webhook_endpoints
               WHERE buyer_id = $1 ORDER BY created_at, id""",
            buyer_id,
        )
    return [_webhook(row) for row in rows]


async def delete(deps: Deps, buyer_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    """Delete the buyer's endpoint and its deliveries: what is pending is not sent."""
    async with deps.pool.acquire() as conn:
        deleted = await conn.fetchval(
            "DELETE FROM webhook_endpoints WHERE id = $1 AND buyer_id = $2 RETURNING id",
            endpoint_id,
            buyer_id,
        )
    if deleted is None:
        raise NotFound("not_found")


async def deliveries(
    deps: Deps, buyer_id: uuid.UUID, endpoint_id: uuid.UUID, limit: int
) -> list[WebhookDelivery]:
    """The endpoint's delivery log, the newest first; another buyer's endpoint is not found."""
    async with deps.pool.acquire() as conn:
        if not await conn.fetchval(
            "SELECT true FROM webhook_endpoints WHERE id = $1 AND buyer_id = $2",
            endpoint_id,
            buyer_id,
        ):
            raise NotFound("not_found")
        rows = await conn.fetch(
            """SELECT message_id, event_type, created_at, state, attempts, last_attempt_at,
                      last_status, last_error, next_attempt_at
               FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2""",
            endpoint_id,
            limit,
        )
    return [row_to(WebhookDelivery, row) for row in rows]


def log_limit(text: str | None) -> int:
    """The `limit` of a delivery log's request: 1 to `MAX_DELIVERY_LOG`, 50 unless given."""
    if text is None:
        return 50
    digits = text.strip().lstrip("0") or "0"
    if not digits.isascii() or not digits.isdigit() or len(digits) > 3:
        raise FieldErrors([("limit", "received.limit_range", {"max": MAX_DELIVERY_LOG})])
    if not 1 <= int(digits) <= MAX_DELIVERY_LOG:
        raise FieldErrors([("limit", "received.limit_range", {"max": MAX_DELIVERY_LOG})])
    return int(digits)


def body(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """The JSON a delivery carries, as Standard Webhooks shapes it, exactly as it is signed."""
    return json.dumps(
        {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


async def enqueue(
    conn: Connection,
    buyer_id: uuid.UUID,
    event_id: uuid.UUID,
    event_type: str,
    occurred_at: datetime,
    data: dict[str, Any],
) -> None:
    """One delivery of the event to each of the buyer's endpoints, due now; call in the
    transaction that records the event."""
    await conn.execute(
        """INSERT INTO webhook_deliveries
               (endpoint_id, message_id, event_type, body, created_at, next_attempt_at)
           SELECT id, $2, $3, $4, $5, $5 FROM webhook_endpoints WHERE buyer_id = $1
           ON CONFLICT (endpoint_id, message_id) DO NOTHING""",
        buyer_id,
        message_id(event_id),
        event_type,
        body(event_type, occurred_at, data),
        occurred_at,
    )


def _links(invoice_id: uuid.UUID) -> dict[str, str]:
    base = f"/v1/buyer/invoices/{invoice_id}"
    return {
        "invoice": base,
        "pdf": f"{base}/pdf",
        "xml": f"{base}/xml",
        "responses": f"{base}/responses",
    }


def sent_data(document: Invoice, totals: Totals, sent_at: datetime) -> dict[str, Any]:
    """What a buyer is told of an invoice sent to it; the links are relative to this API."""
    return {
        "invoice_id": str(document.id),
        "number": document.number,
        "kind": document.kind,
        "supplier_name": document.seller.name,
        "supplier_organisation_number": document.seller.organisation_number,
        "issue_date": document.issue_date.isoformat(),
        "due_date": document.due_date.isoformat(),
        "payable": str(totals.payable),
        "currency": document.currency,
        "sent_at": sent_at.isoformat(),
        "links": _links(document.id),
    }


def status_data(
    invoice_id: uuid.UUID,
    number: str,
    kind: str,
    status: str,
    reason: str | None,
    reason_code: str | None,
    response_id: uuid.UUID,
    response_url: str,
    changed_at: datetime,
) -> dict[str, Any]:
    """What a buyer is told of a status given to one of its invoices, and where its Invoice
    Response is."""
    return {
        "invoice_id": str(invoice_id),
        "number": number,
        "kind": kind,
        "status": status,
        "reason": reason,
        "reason_code": reason_code,
        "response_id": str(response_id),
        "changed_at": changed_at.isoformat(),
        "links": _links(invoice_id) | {"response": response_url},
    }
