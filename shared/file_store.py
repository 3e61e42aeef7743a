"""The file store: the files one step of the send path makes and a later one reads, each kept
once under its SHA-256.

Data moves one way along the send path. The invoice service puts an invoice's attachments here
before it announces `invoice.sent`; the renderer reads them by the hashes that event carries,
and puts the PDF and the XML it makes before it announces `invoice.rendered`; the notifier reads
all of them by the hashes that event carries. No step calls back up the path for a file.

A file is written before the event that names it commits, so a reader that does not find it
has met a store behind its writer (a restore, a lagging standby): `FileMissing` is a
`ConnectionError`, which consumers retry. Bytes that do not hash to their address never will:
`FileMismatch`. The store is a PostgreSQL database of its own (`PORTAL_FILES_URL`).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from shared.db import Connection, apply_migrations, close_pool, create_pool

MIGRATIONS = Path(__file__).parent / "file_store_migrations"


class FileMissing(ConnectionError):
    """No file under that hash yet: the store is behind the step that wrote it."""


class FileMismatch(Exception):
    """The file under that hash is not the one asked for (its size or its bytes differ)."""


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class FileStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    @asynccontextmanager
    async def open(cls, dsn: str, *, max_size: int = 4) -> AsyncIterator[FileStore]:
        """The store at `dsn`, its table made if it is not there yet."""
        pool = await create_pool(dsn, min_size=1, max_size=max_size)
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn, {"file_store": MIGRATIONS})
            yield cls(pool)
        finally:
            await close_pool(pool)

    async def put(self, contents: Iterable[bytes]) -> list[str]:
        """Keep each content (once, however often it is put); return their hashes in order."""
        rows = [(sha256_of(content), len(content), content) for content in contents]
        if rows:
            async with self.pool.acquire() as conn:
                await conn.executemany(
                    """INSERT INTO files (sha256, size, content) VALUES ($1, $2, $3)
                       ON CONFLICT (sha256) DO NOTHING""",
                    rows,
                )
        return [sha256 for sha256, _, _ in rows]

    async def get(self, sha256: str, size: int | None = None) -> bytes:
        """The file whose SHA-256 is `sha256` (and whose size is `size`, if given)."""
        address = sha256.lower()
        async with self.pool.acquire() as conn:
            content: bytes | None = await conn.fetchval(
                "SELECT content FROM files WHERE sha256 = $1", address
            )
        if content is None:
            raise FileMissing(f"no file {address} in the file store")
        if size is not None and len(content) != size:
            raise FileMismatch(f"{len(content)} bytes, expected {size}")
        if sha256_of(content) != address:
            raise FileMismatch("SHA-256 does not match")
        return content

    async def reachable(self) -> bool:
        async with self.pool.acquire(timeout=2) as conn:
            return bool(await conn.fetchval("SELECT true"))


async def put_backlog(
    pool: asyncpg.Pool,
    files: FileStore,
    *,
    pending: Callable[[Connection], Awaitable[list[asyncpg.Record]]],
    contents: Callable[[asyncpg.Record], Iterable[bytes]],
    settle: Callable[[Connection, list[asyncpg.Record]], Awaitable[None]],
) -> int:
    """Put in the store, batch after batch, the files a service made before the store existed:
    `pending` rows, each with its `contents`, then `settle` them; return how many rows."""
    moved = 0
    while True:
        async with pool.acquire() as conn:
            rows = await pending(conn)
            if not rows:
                return moved
            await files.put(content for row in rows for content in contents(row))
            await settle(conn, rows)
        moved += len(rows)
