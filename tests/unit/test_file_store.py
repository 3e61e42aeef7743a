"""The file store on real PostgreSQL: a file is kept once under its SHA-256 and comes back only
as it was put; and the services put there, at start, what they made before it existed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

import services.invoice.app
import services.renderer.app
from services.invoice.db import insert_attachment
from services.invoice.file_store import move_backlog as move_attachments
from services.renderer.file_backlog import move_backlog as move_documents
from shared.db import Connection, open_pool
from shared.file_store import FileMismatch, FileMissing, FileStore, sha256_of
from tests.conftest import MakeDatabase


async def test_a_file_is_kept_once_and_read_back_by_its_hash(make_database: MakeDatabase) -> None:
    async with FileStore.open(await make_database("files")) as files:
        report, photo = b"%PDF-1.7 tidrapport", b"\xff\xd8\xff foto"
        assert await files.put([report, photo, report]) == [
            sha256_of(report),
            sha256_of(photo),
            sha256_of(report),
        ]
        assert await files.get(sha256_of(report), len(report)) == report
        assert await files.get(sha256_of(photo).upper()) == photo
        async with files.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM files") == 2


async def test_a_file_not_there_is_missing_and_one_not_as_announced_mismatches(
    make_database: MakeDatabase,
) -> None:
    async with FileStore.open(await make_database("files")) as files:
        with pytest.raises(FileMissing):
            await files.get(sha256_of(b"never put"))
        (address,) = await files.put([b"original"])
        with pytest.raises(FileMismatch, match="8 bytes, expected 9"):
            await files.get(address, 9)
        async with files.pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO files (sha256, size, content) VALUES ($1, 8, 'tampered')",
                sha256_of(b"tampered!"),
            )
        with pytest.raises(FileMismatch, match="SHA-256"):
            await files.get(sha256_of(b"tampered!"))


async def test_documents_rendered_before_the_store_are_moved_there(
    make_database: MakeDatabase,
) -> None:
    pdf, xml = b"%PDF-1.7 faktura", b"<Invoice/>"
    async with (
        FileStore.open(await make_database("files")) as files,
        open_pool(await make_database("renderer"), _migrations(services.renderer.app)) as pool,
    ):
        async with pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO documents (invoice_id, invoice_sha256, pdf, xml, pdf_sha256,
                                          xml_sha256, rendered_at)
                   VALUES ($1, 'source', $2, $3, $4, $5, $6)""",
                uuid.uuid4(),
                pdf,
                xml,
                sha256_of(pdf),
                sha256_of(xml),
                datetime.now(UTC),
            )
        await move_documents(pool, files)
        assert await files.get(sha256_of(pdf)) == pdf
        assert await files.get(sha256_of(xml)) == xml
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM documents WHERE pdf IS NULL") == 1


async def test_attachments_of_invoices_sent_before_the_store_are_moved_there(
    make_database: MakeDatabase,
) -> None:
    sent, draft = b"%PDF-1.7 sent", b"%PDF-1.7 draft"
    async with (
        FileStore.open(await make_database("files")) as files,
        open_pool(await make_database("invoice"), _migrations(services.invoice.app)) as pool,
    ):
        async with pool.acquire() as conn:
            for status, content in (("sent", sent), ("draft", draft)):
                await _invoice_with_attachment(conn, status, content)
        await move_attachments(pool, files)
        assert await files.get(sha256_of(sent)) == sent
        # A draft's files go there when it is sent, if they are still attached then.
        with pytest.raises(FileMissing):
            await files.get(sha256_of(draft))
        async with pool.acquire() as conn:
            assert await conn.fetchval(
                "SELECT array_agg(in_file_store ORDER BY size) FROM attachment_contents"
            ) == [True, False]


async def _invoice_with_attachment(conn: Connection, status: str, content: bytes) -> None:
    invoice_id, supplier_id, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    await conn.execute(
        """INSERT INTO invoices (id, supplier_id, kind, status, form, totals, created_at,
                                 updated_at)
           VALUES ($1, $2, 'invoice', $3, '{}', '{}', $4, $4)""",
        invoice_id,
        supplier_id,
        status,
        now,
    )
    await insert_attachment(
        conn,
        content,
        id=uuid.uuid4(),
        invoice_id=invoice_id,
        supplier_id=supplier_id,
        filename="tidrapport.pdf",
        size=len(content),
        sha256=sha256_of(content),
        now=now,
    )


def _migrations(module: object) -> Path:
    directory = module.MIGRATIONS
    assert isinstance(directory, Path)
    return directory
