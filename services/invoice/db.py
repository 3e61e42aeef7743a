"""Queries of the invoice database; each takes the connection of the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from shared.db import Connection

Row = asyncpg.Record


async def upsert_supplier(
    conn: Connection,
    company_id: uuid.UUID,
    revision: int,
    profile: dict[str, Any],
    user_ids: list[uuid.UUID],
) -> None:
    """Keep the newest revision whatever order the events arrive in."""
    updated = await conn.fetchval(
        """INSERT INTO suppliers (company_id, revision, profile) VALUES ($1, $2, $3)
           ON CONFLICT (company_id) DO UPDATE SET revision = excluded.revision, profile = excluded.profile
           WHERE suppliers.revision < excluded.revision
           RETURNING true""",
        company_id,
        revision,
        profile,
    )
    if updated:
        await conn.execute("DELETE FROM supplier_users WHERE company_id = $1", company_id)
        await conn.executemany(
            """INSERT INTO supplier_users (user_id, company_id) VALUES ($1, $2)
               ON CONFLICT (user_id) DO UPDATE SET company_id = excluded.company_id""",
            [(user_id, company_id) for user_id in user_ids],
        )


async def upsert_buyer(
    conn: Connection, buyer_id: uuid.UUID, revision: int, buyer: dict[str, Any]
) -> None:
    await conn.execute(
        """INSERT INTO buyers (buyer_id, revision, buyer) VALUES ($1, $2, $3)
           ON CONFLICT (buyer_id) DO UPDATE SET revision = excluded.revision, buyer = excluded.buyer
           WHERE buyers.revision < excluded.revision""",
        buyer_id,
        revision,
        buyer,
    )


async def add_connection(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO connections (supplier_id, buyer_id, connected_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        supplier_id,
        buyer_id,
        at,
    )


async def company_of_user(conn: Connection, user_id: uuid.UUID) -> uuid.UUID | None:
    company_id: uuid.UUID | None = await conn.fetchval(
        "SELECT company_id FROM supplier_users WHERE user_id = $1", user_id
    )
    return company_id


async def supplier(conn: Connection, company_id: uuid.UUID) -> dict[str, Any] | None:
    profile: dict[str, Any] | None = await conn.fetchval(
        "SELECT profile FROM suppliers WHERE company_id = $1", company_id
    )
    return profile


async def buyer(conn: Connection, buyer_id: uuid.UUID) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await conn.fetchval(
        "SELECT buyer FROM buyers WHERE buyer_id = $1", buyer_id
    )
    return found


async def connected_buyers(conn: Connection, supplier_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT b.buyer FROM connections c JOIN buyers b ON b.buyer_id = c.buyer_id
           WHERE c.supplier_id = $1 ORDER BY b.buyer->>'name'""",
        supplier_id,
    )
    return [r["buyer"] for r in rows]


async def is_connected(conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM connections WHERE supplier_id = $1 AND buyer_id = $2",
            supplier_id,
            buyer_id,
        )
    )


async def number_taken(
    conn: Connection, supplier_id: uuid.UUID, number: str, invoice_id: uuid.UUID
) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM invoices WHERE supplier_id = $1 AND number = $2 AND id <> $3",
            supplier_id,
            number,
            invoice_id,
        )
    )


async def insert_invoice(conn: Connection, **invoice: Any) -> None:
    await conn.execute(
        """INSERT INTO invoices (id, supplier_id, buyer_id, kind, number, status, form, totals, buyer_name,
                                 payable, currency, credited_invoice_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $12)""",
        invoice["id"],
        invoice["supplier_id"],
        invoice["buyer_id"],
        invoice["kind"],
        invoice["number"],
        invoice["form"],
        invoice["totals"],
        invoice["buyer_name"],
        invoice["payable"],
        invoice["currency"],
        invoice["credited_invoice_id"],
        invoice["now"],
    )


async def update_draft(conn: Connection, invoice_id: uuid.UUID, **invoice: Any) -> None:
    await conn.execute(
        """UPDATE invoices SET buyer_id = $2, number = $3, form = $4, totals = $5, buyer_name = $6,
                               payable = $7, currency = $8, updated_at = $9
           WHERE id = $1 AND status = 'draft'""",
        invoice_id,
        invoice["buyer_id"],
        invoice["number"],
        invoice["form"],
        invoice["totals"],
        invoice["buyer_name"],
        invoice["payable"],
        invoice["currency"],
        invoice["now"],
    )


async def invoice_of(
    conn: Connection, supplier_id: uuid.UUID, invoice_id: uuid.UUID, *, lock: bool = False
) -> Row | None:
    """The supplier's own invoice; another supplier's id finds nothing."""
    query = "SELECT * FROM invoices WHERE id = $1 AND supplier_id = $2"
    return await conn.fetchrow(query + (" FOR UPDATE" if lock else ""), invoice_id, supplier_id)


async def mark_sent(
    conn: Connection, invoice_id: uuid.UUID, document: dict[str, Any], now: datetime
) -> None:
    await conn.execute(
        """UPDATE invoices SET status = 'sent', document = $2, sent_at = $3, updated_at = $3,
                               status_reason = NULL
           WHERE id = $1""",
        invoice_id,
        document,
        now,
    )


async def set_status(
    conn: Connection, invoice_id: uuid.UUID, status: str, reason: str | None, at: datetime
) -> None:
    """Move a sent invoice on; a delivered invoice stays delivered whatever arrives late."""
    await conn.execute(
        """UPDATE invoices SET status = $2, status_reason = $3, updated_at = $4,
                               delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END
           WHERE id = $1 AND status <> 'draft' AND status <> 'delivered'""",
        invoice_id,
        status,
        reason,
        at,
    )


async def delete_draft(conn: Connection, supplier_id: uuid.UUID, invoice_id: uuid.UUID) -> bool:
    status = await conn.execute(
        "DELETE FROM invoices WHERE id = $1 AND supplier_id = $2 AND status = 'draft'",
        invoice_id,
        supplier_id,
    )
    return status != "DELETE 0"


async def list_invoices(
    conn: Connection,
    supplier_id: uuid.UUID,
    search: str,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Row], int]:
    """A page of the supplier's invoices, newest first, matching number or customer."""
    where = "supplier_id = $1 AND ($2 = '' OR number ILIKE $2 || '%' OR buyer_name ILIKE '%' || $2 || '%') AND ($3::text IS NULL OR status = $3)"
    rows = await conn.fetch(
        f"""SELECT id, kind, number, status, buyer_name, payable, currency, created_at, sent_at
            FROM invoices WHERE {where} ORDER BY created_at DESC, id LIMIT $4 OFFSET $5""",  # noqa: S608 - fixed text
        supplier_id,
        search,
        status,
        limit,
        offset,
    )
    count = f"SELECT count(*) FROM invoices WHERE {where}"  # noqa: S608 - fixed text
    total = await conn.fetchval(count, supplier_id, search, status)
    return rows, int(total)


async def attachments_of(conn: Connection, invoice_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT id, filename, size, sha256 FROM attachments WHERE invoice_id = $1 ORDER BY created_at, id",
        invoice_id,
    )


async def insert_attachment(conn: Connection, **attachment: Any) -> None:
    await conn.execute(
        """INSERT INTO attachments (id, invoice_id, filename, size, sha256, content, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        attachment["id"],
        attachment["invoice_id"],
        attachment["filename"],
        attachment["size"],
        attachment["sha256"],
        attachment["content"],
        attachment["now"],
    )


async def copy_attachments(
    conn: Connection, source: uuid.UUID, target: uuid.UUID, now: datetime
) -> None:
    await conn.execute(
        """INSERT INTO attachments (id, invoice_id, filename, size, sha256, content, created_at)
           SELECT gen_random_uuid(), $2, filename, size, sha256, content, $3 FROM attachments WHERE invoice_id = $1""",
        source,
        target,
        now,
    )


async def attachment_content(
    conn: Connection, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> Row | None:
    return await conn.fetchrow(
        "SELECT filename, content FROM attachments WHERE id = $1 AND invoice_id = $2",
        attachment_id,
        invoice_id,
    )


async def delete_attachment(
    conn: Connection, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> bool:
    status = await conn.execute(
        "DELETE FROM attachments WHERE id = $1 AND invoice_id = $2", attachment_id, invoice_id
    )
    return status != "DELETE 0"
