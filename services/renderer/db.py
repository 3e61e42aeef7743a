"""The documents table: plain SQL functions taking a connection; the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import asyncpg

from shared.db import Connection

DocumentKind = Literal["pdf", "xml"]


async def save_documents(
    conn: Connection,
    *,
    invoice_id: uuid.UUID,
    invoice_sha256: str,
    pdf_sha256: str,
    xml_sha256: str,
    rendered_at: datetime,
) -> bool:
    """Record the invoice's documents (put in the file store), rendered from the invoice with
    `invoice_sha256`; False if the invoice has documents already, which are never replaced."""
    saved: bool | None = await conn.fetchval(
        """INSERT INTO documents
               (invoice_id, invoice_sha256, pdf_sha256, xml_sha256, rendered_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (invoice_id) DO NOTHING RETURNING true""",
        invoice_id,
        invoice_sha256,
        pdf_sha256,
        xml_sha256,
        rendered_at,
    )
    return bool(saved)


async def stored_hashes(conn: Connection, invoice_id: uuid.UUID) -> asyncpg.Record | None:
    """The SHA-256 of the invoice the documents were rendered from, and of each document."""
    return await conn.fetchrow(
        "SELECT invoice_sha256, pdf_sha256, xml_sha256 FROM documents WHERE invoice_id = $1",
        invoice_id,
    )


async def document_sha256(
    conn: Connection, invoice_id: uuid.UUID, kind: DocumentKind
) -> str | None:
    """The document's SHA-256, its address in the file store; None while it is not rendered."""
    row = await stored_hashes(conn, invoice_id)
    return None if row is None else str(row[f"{kind}_sha256"])


async def documents_outside_file_store(conn: Connection, limit: int) -> list[asyncpg.Record]:
    """Up to `limit` documents rendered before the file store, with their bytes."""
    return await conn.fetch(
        "SELECT invoice_id, pdf, xml FROM documents WHERE pdf IS NOT NULL LIMIT $1", limit
    )


async def forget_bytes(conn: Connection, invoice_ids: list[uuid.UUID]) -> None:
    """Empty the documents' bytes, once they are in the file store."""
    await conn.execute(
        "UPDATE documents SET pdf = NULL, xml = NULL WHERE invoice_id = ANY($1::uuid[])",
        invoice_ids,
    )
