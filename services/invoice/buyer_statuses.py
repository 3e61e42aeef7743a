"""A buyer's answer to an invoice it received: Mottagen, Godkänd, Avvisad (with a reason), Betald.

Each status a buyer gives an invoice is kept once, in the order given (`invoice_responses`,
migration 0008), and is an Invoice Response (Peppol T111) its systems can fetch, made from that
row and the document as it was sent. The newest is also kept on the invoice, for the supplier's
list and page, apart from `status`, which says how delivery went.

An invoice sent or delivered takes any of the four statuses, in any order, until it is rejected
or paid: after those it takes no other (409), since the supplier has been told to act on them.
The same status again changes nothing and is answered with the response given before, so that a
buyer's system repeating a request whose answer it lost makes no second response and no second
mail. An invoice whose delivery failed takes none. Another buyer's invoice, a draft and an
unknown id are all "not found", alike.

The checks are all here, not in the API's handler, so that a buyer's own page can call
`set_status` and be answered the same.
"""

from __future__ import annotations

import uuid
from typing import get_args

import asyncpg

from services.invoice import db, webhooks
from services.invoice.invoices import PRODUCER, Deps
from services.invoice.schemas import InvoiceResponse
from shared.errors import Conflict, FieldError, FieldErrors, NotFound
from shared.events.invoice import InvoiceStatusChanged
from shared.invoice_response import (
    InvoiceStatus,
    RejectionCode,
    StatusKind,
    invoice_response_xml,
)
from shared.invoices import Invoice
from shared.outbox import add_event

STATUSES: tuple[StatusKind, ...] = get_args(StatusKind)
# After these, an invoice takes no other status.
FINAL: tuple[StatusKind, ...] = ("rejected", "paid")
# The delivery statuses under which a buyer may answer: it has the invoice, or may have.
ANSWERABLE = ("sent", "delivered")
# What a rejection is, unless the buyer says which reason (OPStatusReason "other").
DEFAULT_REASON_CODE: RejectionCode = "OTH"


def response_url(invoice_id: uuid.UUID, response_id: uuid.UUID) -> str:
    return f"/v1/buyer/invoices/{invoice_id}/responses/{response_id}"


def _response(row: asyncpg.Record) -> InvoiceResponse:
    return InvoiceResponse(
        id=row["id"],
        status=row["status"],
        reason=row["reason"],
        reason_code=row["reason_code"],
        set_at=row["set_at"],
        url=response_url(row["invoice_id"], row["id"]),
    )


def _problems(
    status: StatusKind, reason: str | None, reason_code: RejectionCode | None
) -> list[FieldError]:
    """A rejection needs words the supplier can act on; nothing else has a reason."""
    if status == "rejected":
        return [] if reason and reason.strip() else [("reason", "buyer_status.reason_required", {})]
    return [
        (name, "buyer_status.reason_unwanted", {})
        for name, given in (("reason", reason), ("reason_code", reason_code))
        if given is not None
    ]


async def set_status(
    deps: Deps,
    buyer_id: uuid.UUID,
    invoice_id: uuid.UUID,
    status: StatusKind,
    reason: str | None = None,
    reason_code: RejectionCode | None = None,
    *,
    set_by: uuid.UUID | None = None,
    set_by_user: uuid.UUID | None = None,
) -> InvoiceResponse:
    """Give the buyer's invoice `status`, as the key `set_by` or the buyer's user `set_by_user`
    asks; its Invoice Response.

    The response, the invoice's newest status and the event `invoice.status_changed` commit
    together, under the invoice's row lock, so two requests at once are one after the other.
    """
    if problems := _problems(status, reason, reason_code):
        raise FieldErrors(problems)
    if status == "rejected":
        reason = (reason or "").strip()
        reason_code = reason_code or DEFAULT_REASON_CODE
    async with deps.pool.acquire() as conn, conn.transaction():
        invoice = await db.received_invoice(conn, buyer_id, invoice_id, lock=True)
        if invoice is None:
            raise NotFound("not_found")
        if invoice["buyer_status"] == status:
            newest = await db.newest_response(conn, invoice_id)
            assert newest is not None
            return _response(newest)
        if invoice["buyer_status"] in FINAL:
            raise Conflict(f"buyer_status.already_{invoice['buyer_status']}")
        if invoice["status"] not in ANSWERABLE:
            raise Conflict("buyer_status.not_delivered")
        row = await db.insert_response(
            conn,
            id=uuid.uuid4(),
            invoice_id=invoice_id,
            status=status,
            reason=reason,
            reason_code=reason_code,
            set_at=deps.now,
            set_by=set_by,
            set_by_user=set_by_user,
        )
        envelope = await add_event(
            conn,
            InvoiceStatusChanged(
                invoice_id=invoice_id,
                supplier_id=invoice["supplier_id"],
                buyer_id=buyer_id,
                kind=invoice["kind"],
                number=invoice["number"],
                buyer_name=invoice["document_buyer_name"] or invoice["buyer_name"],
                status=status,
                reason=reason,
                reason_code=reason_code,
                changed_at=deps.now,
                response_id=row["id"],
                sender_email=invoice["sender_email"],
                language=invoice["sender_language"] or "sv",
            ),
            producer=PRODUCER,
        )
        await webhooks.enqueue(
            conn,
            buyer_id,
            envelope.event_id,
            "invoice.status_changed",
            envelope.occurred_at,
            webhooks.status_data(
                invoice_id,
                invoice["number"],
                invoice["kind"],
                status,
                reason,
                reason_code,
                row["id"],
                response_url(invoice_id, row["id"]),
                deps.now,
            ),
        )
    return _response(row)


async def responses(
    deps: Deps, buyer_id: uuid.UUID, invoice_id: uuid.UUID
) -> list[InvoiceResponse]:
    """Every status the buyer gave its invoice, the newest last."""
    async with deps.pool.acquire() as conn:
        if await db.received_invoice(conn, buyer_id, invoice_id) is None:
            raise NotFound("not_found")
        rows = await db.responses_of(conn, invoice_id)
    return [_response(row) for row in rows]


async def response_document(
    deps: Deps, buyer_id: uuid.UUID, invoice_id: uuid.UUID, response_id: uuid.UUID
) -> bytes:
    """The Invoice Response (T111) of one status the buyer gave its invoice: from the buyer to
    the seller of the document as it was sent, issued when the status was given."""
    async with deps.pool.acquire() as conn:
        row = await db.received_response(conn, buyer_id, invoice_id, response_id)
    if row is None:
        raise NotFound("not_found")
    status = InvoiceStatus(
        kind=row["status"], at=row["set_at"], reason=row["reason"], reason_code=row["reason_code"]
    )
    try:
        return invoice_response_xml(
            Invoice.model_validate(row["document"]),
            status,
            response_id=row["id"],
            issued_at=row["set_at"],
        )
    except ValueError:
        # A party without a Peppol address: the invoice itself could not have gone by Peppol.
        raise Conflict("buyer_status.no_peppol_address") from None
