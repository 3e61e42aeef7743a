"""Connection pools and numbered SQL migrations, applied at start under an advisory lock.

A DSN may name several servers and ask for the one that takes writes
(`postgresql://user@host1:5432,host2:5432/db?target_session_attrs=read-write`): each new
connection tries them in order and keeps the first that does. When the primary changes, its
connections end (it stopped) or report it read-only (it was demoted or fenced), the pool drops
them, and the next ones find the new primary; until there is one, requests answer 503.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from pydantic import BaseModel

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_140_203_001
CLOSE_SECONDS = 10

# What delays work without failing it: the database or the network away for a while.
TRANSIENT_ERRORS = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    # A pooled connection whose backend was killed fails like this on its next use.
    asyncpg.InternalClientError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    # A write sent to a server that no longer takes writes: a demoted or fenced primary. The
    # connection is dropped when it goes back to the pool (`_reset_unless_read_only`).
    asyncpg.ReadOnlySQLTransactionError,
    # `TargetServerAttributeNotMatched`, every server reachable but none a primary, is an
    # InternalClientError, above.
)

# What a query function takes: a plain connection or one borrowed from a pool.
Connection = asyncpg.Connection | PoolConnectionProxy


M = TypeVar("M", bound=BaseModel)


def row_to(model: type[M], row: asyncpg.Record) -> M:
    """The model from the row's columns that it has fields for."""
    return model.model_validate({name: row[name] for name in model.model_fields if name in row})


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


def read_only(conn: asyncpg.Connection) -> bool:
    """Whether the server now refuses writes, as it reports (PostgreSQL 14 and later report
    both settings to every session when they change)."""
    settings = conn.get_settings()
    return "on" in (
        getattr(settings, "in_hot_standby", "off"),
        getattr(settings, "default_transaction_read_only", "off"),
    )


async def _reset_unless_read_only(conn: asyncpg.Connection) -> None:
    """What the pool does to a connection it gets back: the usual reset, or, if its server has
    stopped taking writes since the connection chose it, drop it, so that the next connection
    looks for the primary again (`target_session_attrs` is checked only when connecting)."""
    if read_only(conn):
        conn.terminate()
        return
    query = conn.get_reset_query()
    if query:
        await conn.execute(query)


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_reset_unless_read_only,
        command_timeout=30,
    )
    assert pool is not None
    return pool


@asynccontextmanager
async def open_pool(dsn: str, migrations: Path, **sizes: int) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a database whose shared and service migrations are applied."""
    pool = await create_pool(dsn, **sizes)
    try:
        async with pool.acquire() as conn:
            await apply_migrations(conn, {"shared": SHARED_MIGRATIONS, "service": migrations})
        yield pool
    finally:
        await close_pool(pool)


async def close_pool(pool: asyncpg.Pool) -> None:
    """Close gracefully, waiting for connections in use; if one is not given back within
    `CLOSE_SECONDS` (a task cut off while holding it), terminate them all: a service stops in
    bounded time."""
    try:
        await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
    except TimeoutError:
        pool.terminate()


async def apply_migrations(conn: Connection, sources: dict[str, Path]) -> list[str]:
    """Apply every `NNNN_name.sql` not yet applied, each in its own transaction.

    Replicas starting together serialise on an advisory lock, so each file runs once.
    """
    applied: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   source text NOT NULL,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (source, name))"""
        )
        for source, directory in sources.items():
            done = {
                r["name"]
                for r in await conn.fetch(
                    "SELECT name FROM schema_migrations WHERE source = $1", source
                )
            }
            for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql")):
                if path.name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text(encoding="utf-8"))
                    await conn.execute(
                        "INSERT INTO schema_migrations (source, name) VALUES ($1, $2)",
                        source,
                        path.name,
                    )
                applied.append(f"{source}/{path.name}")
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied
