"""What a buyer received: the invoices sent to it, for its systems to read with a key.

A buyer's systems poll for what is new with `GET /v1/buyer/invoices?after=<cursor>`: the stream
of the invoices sent to the buyer in the order they arrived, each listed once. Every invoice has
a position in its buyer's stream (`received_position`, migration 0007), given in the transaction
that first sends it, and the positions of one buyer commit in their own order without gaps,
because that transaction holds a lock of the buyer's from numbering to commit. So what a reader
sees is always positions 1…k, an invoice still being sent will be k + 1 or later, and a cursor,
the last position handed out, is never passed by one committing late. A failed invoice sent again
keeps its position: its document is the same and the buyer has it, so the stream does not list it
twice; the stream lists arrivals, and a change of status is none.

A cursor names its buyer, so that one used with another buyer's key is refused rather than read
as a position in that buyer's stream. `page` (newest first, by offset) is kept for the
integrations written against it, deprecated: a new invoice shifts every page.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from services.invoice import db
from services.invoice.invoices import PAGE_SIZE, Deps
from shared.errors import Conflict, FieldError, FieldErrors, NotFound, Unauthorized
from shared.i18n import Catalog
from shared.invoices import Invoice

# A key's first characters, kept to name it by: "lpk_" and 48 of its 256 random bits.
PREFIX_LENGTH = 12
# What names a key to revoke: its id, or its first characters ("lpk_" and at least four more).
KEY_REFERENCE = re.compile(r"[A-Za-z0-9_-]{8,}")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_key(
    deps: Deps,
    buyer_id: uuid.UUID,
    *,
    name: str | None = None,
    created_by: uuid.UUID | None = None,
) -> dict[str, str]:
    """A new key for the buyer, shown once, with the id and prefix that name it later; the buyer
    must be one the company service announced. A key a buyer's user makes has a name and its
    maker; the operator's have neither."""
    key = "lpk_" + secrets.token_urlsafe(32)
    async with deps.pool.acquire() as conn:
        if not await conn.fetchval("SELECT true FROM buyers WHERE buyer_id = $1", buyer_id):
            raise NotFound("not_found")
        key_id = await conn.fetchval(
            """INSERT INTO buyer_keys (key_hash, prefix, buyer_id, created_at, name, created_by)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""",
            _hash(key),
            key[:PREFIX_LENGTH],
            buyer_id,
            deps.now,
            name,
            created_by,
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


@dataclass(frozen=True)
class BuyerKey:
    """A key in use: its id, which records what was done with it, and its buyer."""

    id: uuid.UUID
    buyer_id: uuid.UUID


async def key_of(deps: Deps, authorization: str) -> BuyerKey:
    """The unrevoked key of a request's `Authorization: Bearer <key>`; 401 for anything else."""
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("unauthorized")
    async with deps.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, buyer_id FROM buyer_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            _hash(key.strip()),
        )
        if row is not None:
            await db.key_used(conn, row["id"], deps.now)
    if row is None:
        raise Unauthorized("unauthorized")
    return BuyerKey(row["id"], row["buyer_id"])


async def received(deps: Deps, buyer_id: uuid.UUID, page: int) -> dict[str, Any]:
    """Sent invoices addressed to this buyer, newest first; drafts are never visible."""
    async with deps.pool.acquire() as conn:
        rows = await conn.fetch(
            f"""SELECT {db.RECEIVED}
                FROM invoices WHERE buyer_id = $1 AND sent_at IS NOT NULL
                ORDER BY sent_at DESC, id LIMIT $2 OFFSET $3""",  # noqa: S608 - fixed text
            buyer_id,
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        total = await conn.fetchval(
            "SELECT count(*) FROM invoices WHERE buyer_id = $1 AND sent_at IS NOT NULL", buyer_id
        )
    return {"invoices": [_summary(r) for r in rows], "total": int(total), "page": page}


def _summary(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "kind": row["kind"],
        "number": row["number"],
        "status": row["status"],
        "payable": str(row["payable"]),
        "currency": row["currency"],
        "sent_at": row["sent_at"].isoformat(),
        "seller": row["seller"],
    }


# How many invoices a poll answers with, unless it asks for fewer or more, and at most.
STREAM_LIMIT = 50
MAX_STREAM_LIMIT = 200
# Any of these asks for the stream; none of them, for the deprecated pages.
STREAM_PARAMETERS = ("after", "since", "limit")
MAX_POSITION = 2**63 - 1

MESSAGES: Catalog = {
    "received.cursor_invalid": {
        "sv": "Ange värdet av next från ett tidigare svar, oförändrat.",
        "en": "Give the value of next from an earlier answer, unchanged.",
    },
    "received.since_invalid": {
        "sv": "Ange en tidpunkt i ISO 8601 med tidszon, t.ex. 2026-01-31T00:00:00Z.",
        "en": "Enter a time in ISO 8601 with a time zone, e.g. 2026-01-31T00:00:00Z.",
    },
    "received.since_with_after": {
        "sv": "Ange antingen since eller after, inte båda.",
        "en": "Give either since or after, not both.",
    },
    "received.page_with_cursor": {
        "sv": "page kan inte kombineras med after, since eller limit.",
        "en": "page cannot be combined with after, since or limit.",
    },
    "received.limit_range": {
        "sv": "Ange ett heltal från 1 till {max}.",
        "en": "Enter a whole number from 1 to {max}.",
    },
}


@dataclass(frozen=True)
class StreamQuery:
    """Where a poll reads from, the position `after` or the time `since`, and how many."""

    after: int | None
    since: datetime | None
    limit: int


def stream_query(buyer_id: uuid.UUID, query: Mapping[str, str]) -> StreamQuery | None:
    """The stream's parameters, every wrong one reported at its field at once; None when none is
    given, which asks for the deprecated pages."""
    if not any(name in query for name in STREAM_PARAMETERS):
        return None
    errors: list[FieldError] = []
    if "page" in query:
        errors.append(("page", "received.page_with_cursor", {}))
    if "after" in query and "since" in query:
        errors.append(("since", "received.since_with_after", {}))
    after = _after(buyer_id, query["after"], errors) if "after" in query else None
    since = _since(query["since"], errors) if "since" in query else None
    limit = _limit(query.get("limit"), errors)
    if errors:
        raise FieldErrors(errors)
    return StreamQuery(after, since, limit)


def _after(buyer_id: uuid.UUID, cursor: str, errors: list[FieldError]) -> int | None:
    position = decode_cursor(buyer_id, cursor)
    if position is None:
        errors.append(("after", "received.cursor_invalid", {}))
    return position


# An offset's plus sign sent unencoded in a query string arrives as a space.
UNENCODED_OFFSET = re.compile(r" ([0-9]{2}(?::?[0-9]{2})?)$")


def _since(text: str, errors: list[FieldError]) -> datetime | None:
    """An ISO 8601 time with its offset, in UTC; a time without one could be any of 26 hours."""
    try:
        since = datetime.fromisoformat(UNENCODED_OFFSET.sub(r"+\1", text.strip()))
        if since.tzinfo is None:
            raise ValueError(text)
        # Years 1 and 9999 with an offset may fall outside what a datetime holds in UTC.
        return since.astimezone(UTC)
    except (ValueError, OverflowError):
        errors.append(("since", "received.since_invalid", {}))
        return None


def _limit(text: str | None, errors: list[FieldError]) -> int:
    if text is None:
        return STREAM_LIMIT
    digits = text.strip()
    if not re.fullmatch(r"[0-9]+", digits):
        errors.append(("limit", "int_parsing", {}))
        return STREAM_LIMIT
    # Thousands of digits are out of range too; int() would refuse to read them.
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(MAX_STREAM_LIMIT)) or not 1 <= int(digits) <= MAX_STREAM_LIMIT:
        errors.append(("limit", "received.limit_range", {"max": MAX_STREAM_LIMIT}))
        return STREAM_LIMIT
    return int(digits)


def _buyer_tag(buyer_id: uuid.UUID) -> str:
    return hashlib.sha256(b"received-stream:" + buyer_id.bytes).hexdigest()[:16]


CURSOR = re.compile(r"1\.([0-9]{1,19})\.([0-9a-f]{16})")


def encode_cursor(buyer_id: uuid.UUID, position: int) -> str:
    """An opaque cursor: the format's version, the position and the buyer's tag, in base64url."""
    text = f"1.{position}.{_buyer_tag(buyer_id)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(buyer_id: uuid.UUID, cursor: str) -> int | None:
    """The position a cursor of this buyer's names; None for anything else."""
    if len(cursor) > 64:
        return None
    try:
        text = base64.b64decode(cursor + "=" * (-len(cursor) % 4), b"-_", validate=True)
        match = CURSOR.fullmatch(text.decode("ascii"))
    # binascii.Error, UnicodeDecodeError, or a text that is not ASCII at all.
    except ValueError:
        return None
    if match is None or match[2] != _buyer_tag(buyer_id) or int(match[1]) > MAX_POSITION:
        return None
    return int(match[1])


async def stream(deps: Deps, buyer_id: uuid.UUID, query: StreamQuery) -> dict[str, Any]:
    """The invoices after the query's position in the order they arrived, and the cursor to ask
    with next: after the last one listed, or where the query began when none was."""
    async with deps.pool.acquire() as conn:
        start = query.after or 0
        if query.since is not None:
            start = await db.received_start(conn, buyer_id, query.since)
        rows = await db.received_after(conn, buyer_id, start, query.limit + 1)
    listed = rows[: query.limit]
    last = listed[-1]["received_position"] if listed else start
    return {
        "invoices": [_summary(r) for r in listed],
        "next": encode_cursor(buyer_id, last),
        "has_more": len(rows) > query.limit,
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
