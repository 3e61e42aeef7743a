"""An attachment's bytes are stored once per content: a copied invoice shares them, the last
reference takes them away, a supplier's distinct contents stay within its quota, and the
migration moves the files stored the old way without losing one.

On a scratch database of the invoice service, through its service layer and SQL.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from services.invoice import db, invoices
from services.invoice.app import MIGRATIONS
from services.invoice.schemas import InvoiceForm
from shared.db import SHARED_MIGRATIONS, apply_migrations, create_pool
from shared.errors import FieldErrors
from shared.file_store import FileStore
from shared.invoices import Attachment
from shared.sessions import Principal
from tests.scratch import MakeDatabase
from tests.security.hostile_payloads import CATALOG, PAGE, PAGES, pdf_of

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
QUOTA = 1024 * 1024


def pdf(text: str) -> bytes:
    """A small PDF of its own: its content, and so its hash, differ with `text`."""
    return pdf_of([CATALOG, PAGES, PAGE, b"(%s)" % text.encode()])


@pytest.fixture
async def deps(pool: asyncpg.Pool, make_database: MakeDatabase) -> AsyncIterator[invoices.Deps]:
    async with FileStore.open(await make_database("files")) as files:
        yield invoices.Deps(pool=pool, files=files, now=NOW)


async def a_supplier(pool: asyncpg.Pool) -> Principal:
    user_id = uuid.uuid4()
    async with pool.acquire() as conn:
        await db.upsert_supplier(conn, uuid.uuid4(), 1, {}, [user_id])
    return Principal(user_id, "anna@leverantor.example", "Anna", "Ek", "sv")


async def a_draft(deps: invoices.Deps, supplier: Principal) -> uuid.UUID:
    return (await invoices.create_draft(deps, supplier, InvoiceForm())).id


async def a_draft_with(
    deps: invoices.Deps, pool: asyncpg.Pool, *texts: str
) -> tuple[Principal, uuid.UUID, list[Attachment]]:
    """A new supplier's draft with an attachment `<text>.pdf` for each text."""
    supplier = await a_supplier(pool)
    draft = await a_draft(deps, supplier)
    attached = [
        await invoices.attach(deps, supplier, draft, f"{t}.pdf", pdf(t), quota=QUOTA) for t in texts
    ]
    return supplier, draft, attached


async def contents(pool: asyncpg.Pool) -> dict[str, int]:
    """Each stored content's hash and how many attachments refer to it."""
    rows = await pool.fetch("SELECT sha256, refs FROM attachment_contents")
    return {r["sha256"]: r["refs"] for r in rows}


async def test_a_copied_invoice_shares_the_bytes_of_its_attachments(
    deps: invoices.Deps, pool: asyncpg.Pool
) -> None:
    supplier, draft, (first, second) = await a_draft_with(deps, pool, "a", "b")
    assert await contents(pool) == {first.sha256: 1, second.sha256: 1}

    copy = await invoices.copy(deps, supplier, draft)
    assert await contents(pool) == {first.sha256: 2, second.sha256: 2}
    copied = {a.filename: a for a in copy.attachments}
    assert {name: a.sha256 for name, a in copied.items()} == {
        "a.pdf": first.sha256,
        "b.pdf": second.sha256,
    }
    found = await invoices.attachment(deps, supplier, copy.id, copied["a.pdf"].id)
    assert found == ("a.pdf", pdf("a"))


async def test_the_last_reference_takes_the_bytes_away(
    deps: invoices.Deps, pool: asyncpg.Pool
) -> None:
    supplier, draft, (attached,) = await a_draft_with(deps, pool, "a")
    copy = await invoices.copy(deps, supplier, draft)

    await invoices.detach(deps, supplier, draft, attached.id)
    assert await contents(pool) == {attached.sha256: 1}
    await invoices.delete_draft(deps, supplier, copy.id)
    assert await contents(pool) == {}


async def test_the_quota_counts_each_content_once_and_refuses_past_it(
    deps: invoices.Deps, pool: asyncpg.Pool
) -> None:
    supplier, other = await a_supplier(pool), await a_supplier(pool)
    quota = len(pdf("a")) + len(pdf("b")) - 1
    draft, another = await a_draft(deps, supplier), await a_draft(deps, supplier)
    await invoices.attach(deps, supplier, draft, "a.pdf", pdf("a"), quota=quota)
    # The same content again, on another draft: counted once.
    await invoices.attach(deps, supplier, another, "a.pdf", pdf("a"), quota=quota)
    with pytest.raises(FieldErrors) as refused:
        await invoices.attach(deps, supplier, draft, "b.pdf", pdf("b"), quota=quota)
    assert refused.value.errors == [("file", "attachment.quota", {"quota": "0 MB"})]
    assert len((await invoices.detail(deps, supplier, draft)).attachments) == 1
    assert len(await contents(pool)) == 1
    # Another supplier's files count for it, not for this one.
    await invoices.attach(deps, other, await a_draft(deps, other), "b.pdf", pdf("b"), quota=quota)


async def test_the_migration_keeps_every_file_stored_the_old_way(
    make_database: MakeDatabase, tmp_path: Path
) -> None:
    for path in sorted(MIGRATIONS.glob("000[1-3]_*.sql")):
        shutil.copy(path, tmp_path)
    supplier_id, invoice_id = uuid.uuid4(), uuid.uuid4()
    files = {uuid.uuid4(): pdf("a"), uuid.uuid4(): pdf("a"), uuid.uuid4(): pdf("b")}
    pool = await create_pool(await make_database("old_attachments"))
    try:
        async with pool.acquire() as conn:
            sources = {"shared": SHARED_MIGRATIONS, "service": tmp_path}
            await apply_migrations(conn, sources)
            await conn.execute(
                """INSERT INTO invoices (id, supplier_id, kind, status, form, totals, created_at,
                                         updated_at)
                   VALUES ($1, $2, 'invoice', 'draft', '{}', '{}', $3, $3)""",
                invoice_id,
                supplier_id,
                NOW,
            )
            await conn.executemany(
                """INSERT INTO attachments (id, invoice_id, filename, size, sha256, content,
                                            created_at)
                   VALUES ($1, $2, 'f.pdf', $3, 'not checked before', $4, $5)""",
                [(id, invoice_id, len(content), content, NOW) for id, content in files.items()],
            )
            await apply_migrations(conn, {**sources, "service": MIGRATIONS})
            for attachment_id, content in files.items():
                found = await db.attachment_content(conn, invoice_id, attachment_id)
                assert found is not None and bytes(found["content"]) == content
        assert sorted((await contents(pool)).values()) == [1, 2]
    finally:
        await pool.close()
