"""Documents rendered before the file store, put there at start: the notifier reads an invoice's
documents only from the store, and a delivery retried after the upgrade must find them."""

from __future__ import annotations

import logging

import asyncpg

from services.renderer import db
from shared.file_store import FileStore, put_backlog

log = logging.getLogger(__name__)

BATCH = 20


async def move_backlog(pool: asyncpg.Pool, files: FileStore) -> None:
    moved = await put_backlog(
        pool,
        files,
        pending=lambda conn: db.documents_outside_file_store(conn, BATCH),
        contents=lambda row: [bytes(row["pdf"]), bytes(row["xml"])],
        settle=lambda conn, rows: db.forget_bytes(conn, [row["invoice_id"] for row in rows]),
    )
    if moved:
        log.info("put the documents of %d invoices rendered earlier in the file store", moved)
