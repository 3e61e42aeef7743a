"""What a buyer's users do on the buyer's pages: the invoices it received, found by number,
supplier or status and opened with their files and statuses; the buyer's API keys.

Who acts for which buyer comes from the company service (`company.buyer_users_changed`); a user
who acts for no buyer finds nothing here, and a buyer's user finds only that buyer's invoices,
whatever id it asks for.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.invoice import buyer_statuses, db
from services.invoice.invoices import PAGE_SIZE, Deps
from services.invoice.received import issue_key
from services.invoice.schemas import BuyerKeyInfo, ReceivedDetail, ReceivedRow, ReceivedSearch
from shared.errors import FieldErrors, NotFound
from shared.invoices import Invoice, totals
from shared.sessions import Principal

# The statuses a buyer filters its received invoices by; `new` is one it has given none yet.
BUYER_FILTERS = ("new", "received", "approved", "rejected", "paid")
MAX_KEYS = 20


async def buyer_of(deps: Deps, principal: Principal) -> uuid.UUID:
    async with deps.pool.acquire() as conn:
        buyer_id = await db.buyer_of_user(conn, principal.user_id)
    if buyer_id is None:
        raise NotFound("buyer.not_member")
    return buyer_id


async def search(
    deps: Deps, buyer_id: uuid.UUID, text: str, status: str | None, page: int
) -> ReceivedSearch:
    """A page of what the buyer received, newest first: the text matching the start of the
    number or any part of the supplier's name, the status its newest one (or none yet)."""
    if status is not None and status not in BUYER_FILTERS:
        raise FieldErrors([("status", "literal_error", {})])
    async with deps.pool.acquire() as conn:
        rows = await db.received_matching(
            conn, buyer_id, text, status, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        total = rows[0]["total"] if rows else 0
        if not rows and page > 1:
            counted = await db.received_matching(conn, buyer_id, text, status, 1, 0)
            total = counted[0]["total"] if counted else 0
    return ReceivedSearch(
        invoices=[ReceivedRow.model_validate(dict(r)) for r in rows],
        total=total,
        page=page,
        page_size=PAGE_SIZE,
    )


async def detail(deps: Deps, buyer_id: uuid.UUID, invoice_id: uuid.UUID) -> ReceivedDetail:
    async with deps.pool.acquire() as conn:
        row = await db.received_invoice(conn, buyer_id, invoice_id)
    if row is None:
        raise NotFound("not_found")
    document = Invoice.model_validate(row["document"])
    return ReceivedDetail(
        id=row["id"],
        status=row["status"],
        sent_at=row["sent_at"],
        buyer_status=row["buyer_status"],
        buyer_status_reason=row["buyer_status_reason"],
        buyer_status_at=row["buyer_status_at"],
        document=document,
        totals=totals(document.lines, document.charges),
        responses=await buyer_statuses.responses(deps, buyer_id, invoice_id),
    )


async def attachment(
    deps: Deps, buyer_id: uuid.UUID, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> tuple[str, bytes]:
    async with deps.pool.acquire() as conn:
        if await db.received_invoice(conn, buyer_id, invoice_id) is None:
            raise NotFound("not_found")
        found = await db.attachment_content(conn, invoice_id, attachment_id)
    if found is None:
        raise NotFound("not_found")
    return found["filename"], bytes(found["content"])


async def keys(deps: Deps, buyer_id: uuid.UUID) -> list[BuyerKeyInfo]:
    async with deps.pool.acquire() as conn:
        rows = await db.keys_of_buyer(conn, buyer_id)
    return [BuyerKeyInfo.model_validate(dict(r)) for r in rows]


async def create_key(
    deps: Deps, buyer_id: uuid.UUID, name: str, principal: Principal
) -> dict[str, Any]:
    """A named key, shown once; at most `MAX_KEYS` unrevoked ones."""
    if not name.strip():
        raise FieldErrors([("name", "required", {})])
    async with deps.pool.acquire() as conn:
        in_use = [k for k in await db.keys_of_buyer(conn, buyer_id) if k["revoked_at"] is None]
        if len(in_use) >= MAX_KEYS:
            raise FieldErrors([("name", "buyer_key.too_many", {"max": MAX_KEYS})])
    return await issue_key(deps, buyer_id, name=name.strip(), created_by=principal.user_id)


async def revoke_key(deps: Deps, buyer_id: uuid.UUID, key_id: uuid.UUID) -> None:
    async with deps.pool.acquire() as conn:
        if not await db.revoke_key_of_buyer(conn, buyer_id, key_id, deps.now):
            raise NotFound("not_found")
