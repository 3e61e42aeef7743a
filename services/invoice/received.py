"""What a buyer received: the invoices sent to it, for its systems to read with a key."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from typing import Any

from services.invoice.invoices import PAGE_SIZE, Deps
from shared.errors import Conflict, FieldErrors, NotFound, Unauthorized
from shared.invoices import Invoice

# A key's first characters, kept to name it by: "lpk_" and 48 of its 256 random bits.
PREFIX_LENGTH = 12
# What names a key to revoke: its id, or its first characters ("lpk_" and at least four more).
KEY_REFERENCE = re.compile(r"[A-Za-z0-9_-]{8,}")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_key(deps: Deps, buyer_id: uuid.UUID) -> dict[str, str]:
    """A new key for the buyer, shown once, with the id and prefix that name it later; the buyer
    must be one the company service announced."""
    key = "lpk_" + secrets.token_urlsafe(32)
    async with deps.pool.acquire() as conn:
        if not await conn.fetchval("SELECT true FROM buyers WHERE buyer_id = $1", buyer_id):
            raise NotFound("not_found")
        key_id = await conn.fetchval(
            """INSERT INTO buyer_keys (key_hash, prefix, buyer_id, created_at)
               VALUES ($1, $2, $3, $4) RETURNING id""",
            _hash(key),
            key[:PREFIX_LENGTH],
            buyer_id,
            deps.now,
        )
    return {"key": key, "id": str(key_id), "prefix": key[:PREFIX_LENGTH]}


async def revoke_key(deps: Deps, reference: str) -> dict[str, str]:
    """Revoke the one key named by its id, or by its beginning (the whole key will do); a key
    revoked already stays revoked since then."""
    if not KEY_REFERENCE.fullmatch(reference):
        raise FieldErrors([("key", "buyer_key.reference_invalid", {})])
    try:
        key_id: uuid.UUID | None = uuid.UUID(reference)
    except ValueError:
        key_id = None
    async with deps.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """SELECT id FROM buyer_keys WHERE id = $1 OR starts_with(prefix, $2)
               LIMIT 2 FOR UPDATE""",
            key_id,
            reference[:PREFIX_LENGTH],
        )
        if not rows:
            raise NotFound("buyer_key.not_found")
        if len(rows) > 1:
            raise Conflict("buyer_key.ambiguous")
        row = await conn.fetchrow(
            """UPDATE buyer_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1
               RETURNING id, prefix, buyer_id, created_at, revoked_at""",
            rows[0]["id"],
            deps.now,
        )
    assert row is not None
    return {
        "id": str(row["id"]),
        "prefix": row["prefix"] or "",
        "buyer_id": str(row["buyer_id"]),
        "created_at": row["created_at"].isoformat(),
        "revoked_at": row["revoked_at"].isoformat(),
    }


async def buyer_of_key(deps: Deps, authorization: str) -> uuid.UUID:
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("unauthorized")
    async with deps.pool.acquire() as conn:
        buyer_id: uuid.UUID | None = await conn.fetchval(
            "SELECT buyer_id FROM buyer_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            _hash(key.strip()),
        )
    if buyer_id is None:
        raise Unauthorized("unauthorized")
    return buyer_id


async def received(deps: Deps, buyer_id: uuid.UUID, page: int) -> dict[str, Any]:
    """Sent invoices addressed to this buyer, newest first; drafts are never visible."""
    async with deps.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT id, kind, number, status, payable, currency, sent_at, document->'seller'->>'name' AS seller
               FROM invoices WHERE buyer_id = $1 AND sent_at IS NOT NULL
               ORDER BY sent_at DESC, id LIMIT $2 OFFSET $3""",
            buyer_id,
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        total = await conn.fetchval(
            "SELECT count(*) FROM invoices WHERE buyer_id = $1 AND sent_at IS NOT NULL", buyer_id
        )
    return {
        "invoices": [
            {
                **dict(r),
                "id": str(r["id"]),
                "payable": str(r["payable"]),
                "sent_at": r["sent_at"].isoformat(),
            }
            for r in rows
        ],
        "total": int(total),
        "page": page,
    }


async def received_document(deps: Deps, buyer_id: uuid.UUID, invoice_id: uuid.UUID) -> Invoice:
    async with deps.pool.acquire() as conn:
        document = await conn.fetchval(
            "SELECT document FROM invoices WHERE id = $1 AND buyer_id = $2 AND sent_at IS NOT NULL",
            invoice_id,
            buyer_id,
        )
    if document is None:
        raise NotFound("not_found")
    return Invoice.model_validate(document)
