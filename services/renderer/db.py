"""The documents table: plain SQL functions taking a connection; the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import asyncpg

from shared.db import Connection

DocumentKind = Literal["pdf", "xml"]

_SELECT = {
    "pdf": "SELECT pdf AS content, pdf_sha256 AS sha256 FROM documents WHERE invoice_id = $1",
    "xml": "SELECT xml AS content, xml_sha256 AS sha256 FROM documents WHERE invoice_id = $1",
}


async def save_documents(
    conn: Connection,
    *,
    invoice_id: uuid.UUID,
    invoice_sha256: str,
    pdf: bytes,
    xml: bytes,
    pdf_sha256: str,
    xml_sha256: str,
    rendered_at: datetime,
) -> bool:
    """Store the invoice's documents, rendered from the invoice with `invoice_sha256`; False if
    the invoice has documents already, which are never replaced."""
    saved: bool | None = await conn.fetchval(
        """INSERT INTO documents
               (invoice_id, invoice_sha256, pdf, xml, pdf_sha256, xml_sha256, rendered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (invoice_id) DO NOTHING RETURNING true""",
        invoice_id,
        invoice_sha256,
        pdf,
        xml,
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


async def document(
    conn: Connection, invoice_id: uuid.UUID, kind: DocumentKind
) -> tuple[bytes, str] | None:
    """The document's bytes and SHA-256, or None while the invoice is not rendered."""
    row = await conn.fetchrow(_SELECT[kind], invoice_id)
    return None if row is None else (bytes(row["content"]), str(row["sha256"]))
