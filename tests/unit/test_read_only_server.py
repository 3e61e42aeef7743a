"""A connection whose server stops taking writes (a demoted or fenced primary) fails its write as
an outage, and the pool drops it instead of lending it again: the next connection looks for the
primary anew. The failover itself is `tests/reliability/test_postgresql_failover.py`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from shared.db import TRANSIENT_ERRORS, create_pool
from tests.scratch import MakeDatabase


@pytest.fixture
async def pool(make_database: MakeDatabase) -> AsyncIterator[asyncpg.Pool]:
    """One connection at most, so that a second acquire shows whether the first was kept."""
    pool = await create_pool(await make_database("read_only"), min_size=1, max_size=1)
    try:
        yield pool
    finally:
        await pool.close()


async def test_a_read_only_connection_fails_as_an_outage_and_is_dropped(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE notes (text text)")
        first_pid = conn.get_server_pid()
        # As a fenced primary's sessions see it: the server reports the setting changed.
        await conn.execute("SET default_transaction_read_only = on")
        with pytest.raises(TRANSIENT_ERRORS) as raised:
            await conn.execute("INSERT INTO notes VALUES ('lost?')")
    assert isinstance(raised.value, asyncpg.ReadOnlySQLTransactionError)
    async with pool.acquire() as conn:
        assert conn.get_server_pid() != first_pid
        await conn.execute("INSERT INTO notes VALUES ('written')")
        assert await conn.fetchval("SELECT count(*) FROM notes") == 1


async def test_a_connection_that_takes_writes_is_reset_and_kept(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        first_pid = conn.get_server_pid()
        await conn.execute("SET application_name = 'changed'")
    async with pool.acquire() as conn:
        assert conn.get_server_pid() == first_pid
        assert await conn.fetchval("SHOW application_name") == ""
