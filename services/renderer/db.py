"""The documents table: plain SQL functions taking a connection; the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

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
    pdf: bytes,
    xml: bytes,
    pdf_sha256: str,
    xml_sha256: str,
    rendered_at: datetime,
) -> None:
    """Store the invoice's documents; an invoice sent again replaces them."""
    await conn.execute(
        """INSERT INTO documents (invoice_id, pdf, xml, pdf_sha256, xml_sha256, rendered_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (invoice_id) DO UPDATE
           SET pdf = excluded.pdf, xml = excluded.xml, pdf_sha256 = excluded.pdf_sha256,
               xml_sha256 = excluded.xml_sha256, rendered_at = excluded.rendered_at""",
        invoice_id,
        pdf,
        xml,
        pdf_sha256,
        xml_sha256,
        rendered_at,
    )


async def document(
    conn: Connection, invoice_id: uuid.UUID, kind: DocumentKind
) -> tuple[bytes, str] | None:
    """The document's bytes and SHA-256, or None while the invoice is not rendered."""
    row = await conn.fetchrow(_SELECT[kind], invoice_id)
    return None if row is None else (bytes(row["content"]), str(row["sha256"]))
