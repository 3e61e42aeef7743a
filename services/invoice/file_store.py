"""A sent invoice's attachments in the file store, where the renderer and the notifier read them
by the SHA-256 that `invoice.sent` carries (`shared.file_store`).

They are put there before the event commits: ahead of the send's transaction, and, should the
attachments have changed meanwhile, once more inside it. Invoices sent before the store existed
have theirs put there by `move_backlog` at start.
"""

from __future__ import annotations

import logging
import uuid

import asyncpg

from services.invoice import db
from shared.db import Connection
from shared.file_store import FileStore, put_backlog

log = logging.getLogger(__name__)

BACKLOG_BATCH = 20


async def store_attachments(conn: Connection, files: FileStore, invoice_id: uuid.UUID) -> None:
    """Put the invoice's attachment contents that are not in the file store there."""
    missing = await db.contents_outside_file_store(conn, invoice_id)
    if missing:
        await files.put(await db.contents(conn, missing))
        await db.mark_in_file_store(conn, missing)


async def move_backlog(pool: asyncpg.Pool, files: FileStore) -> None:
    """Put every sent invoice's attachments that are not in the file store there."""
    moved = await put_backlog(
        pool,
        files,
        pending=lambda conn: db.sent_contents_outside_file_store(conn, BACKLOG_BATCH),
        contents=lambda row: [bytes(row["content"])],
        settle=lambda conn, rows: db.mark_in_file_store(conn, [row["sha256"] for row in rows]),
    )
    if moved:
        log.info("put %d attachments of invoices sent earlier in the file store", moved)
