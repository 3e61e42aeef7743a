"""A buyer's systems poll `GET /v1/buyer/invoices?after=<cursor>` for what arrived: every invoice
sent to the buyer is listed once, in the order it arrived, whatever is sent while they read,
including sends whose transactions would commit out of order; `since` begins at a time; a
wrong parameter is a 422 at its field; a cursor or a key of another buyer reads nothing of this
buyer's.

The ordering under concurrent transactions is tested on a scratch database of the invoice service,
through its queries, where a test can hold a send's transaction open; the API's contract through
the running services.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from services.invoice import db, invoices, received
from services.invoice.app import MIGRATIONS
from shared.db import SHARED_MIGRATIONS, apply_migrations, create_pool
from shared.errors import FieldErrors
from tests.invoice.conftest import Supplier, connected_supplier
from tests.scratch import MakeDatabase
from tests.system import OPERATOR_SECRET, System

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


# On a scratch database, through the service's queries.


def deps_of(pool: asyncpg.Pool, now: datetime = NOW) -> invoices.Deps:
    # The stream reads no files.
    return invoices.Deps(pool=pool, files=None, now=now)  # type: ignore[arg-type]


async def a_draft(
    conn: asyncpg.Connection, buyer_id: uuid.UUID, seller: str = "Ek AB"
) -> uuid.UUID:
    invoice_id = uuid.uuid4()
    await db.insert_invoice(
        conn,
        uuid.uuid4(),
        id=invoice_id,
        buyer_id=buyer_id,
        kind="invoice",
        number=f"F{invoice_id.int % 10**8}",
        form=json.dumps({"seller": seller}),
        totals="{}",
        payable=Decimal("100.00"),
        currency="SEK",
        credited_invoice_id=None,
        now=NOW,
        created_by=db.Creator(uuid.uuid4(), "Karin Berg"),
    )
    return invoice_id


async def send(conn: asyncpg.Connection, invoice_id: uuid.UUID, at: datetime = NOW) -> None:
    """What sending does to the invoice's row (`invoices.send`, `invoices.retry`)."""
    sender = db.Sender(uuid.uuid4(), "anna@example.com", "sv", "Anna Ek")
    await db.mark_sent(conn, invoice_id, {"seller": {"name": "Ek AB"}}, at, sender)


async def sent(pool: asyncpg.Pool, buyer_id: uuid.UUID, at: datetime = NOW) -> uuid.UUID:
    async with pool.acquire() as conn, conn.transaction():
        invoice_id = await a_draft(conn, buyer_id)
        await send(conn, invoice_id, at)
    return invoice_id


async def poll(
    pool: asyncpg.Pool, buyer_id: uuid.UUID, after: str | None = None, **query: str
) -> dict[str, Any]:
    if after is not None:
        query["after"] = after
    query.setdefault("limit", "50")
    parsed = received.stream_query(buyer_id, query)
    assert parsed is not None
    return await received.stream(deps_of(pool), buyer_id, parsed)


async def read_all(
    pool: asyncpg.Pool, buyer_id: uuid.UUID, after: str | None, limit: int = 3
) -> tuple[list[uuid.UUID], str]:
    """Every invoice listed from `after` on, page by page while there are more; the last cursor."""
    seen: list[uuid.UUID] = []
    while True:
        page = await poll(pool, buyer_id, after, limit=str(limit))
        seen += [uuid.UUID(i["id"]) for i in page["invoices"]]
        assert len(page["invoices"]) <= limit
        after = page["next"]
        if not page["has_more"]:
            return seen, after


async def test_the_pages_list_every_invoice_once_in_the_order_sent(pool: asyncpg.Pool) -> None:
    buyer, other = uuid.uuid4(), uuid.uuid4()
    ids = []
    for _ in range(7):
        ids.append(await sent(pool, buyer))
        await sent(pool, other)
    async with pool.acquire() as conn:
        await a_draft(conn, buyer)  # never sent: never listed
    seen, cursor = await read_all(pool, buyer, None)
    assert seen == ids
    # Asked again with the last cursor: nothing new, and the same place to ask from.
    again = await poll(pool, buyer, cursor)
    assert (again["invoices"], again["has_more"], again["next"]) == ([], False, cursor)
    first = (await poll(pool, buyer, limit="2"))["invoices"]
    assert [i["id"] for i in first] == [str(i) for i in ids[:2]]
    assert set(first[0]) == {
        "id",
        "kind",
        "number",
        "status",
        "payable",
        "currency",
        "sent_at",
        "seller",
    }
    assert (first[0]["status"], first[0]["payable"], first[0]["seller"]) == (
        "sent",
        "100.00",
        "Ek AB",
    )


async def test_invoices_sent_while_a_client_reads_are_listed_once_later(pool: asyncpg.Pool) -> None:
    buyer = uuid.uuid4()
    ids = [await sent(pool, buyer) for _ in range(5)]
    first = await poll(pool, buyer, limit="2")
    seen = [uuid.UUID(i["id"]) for i in first["invoices"]]
    # New invoices arrive between the pages; an offset page would have listed one twice.
    ids += [await sent(pool, buyer) for _ in range(4)]
    more, cursor = await read_all(pool, buyer, first["next"])
    assert seen + more == ids
    ids += [await sent(pool, buyer)]
    later, _ = await read_all(pool, buyer, cursor)
    assert later == ids[-1:]


async def until_waiting(pool: asyncpg.Pool, pid: int) -> None:
    """Until the backend `pid` waits for a lock (its buyer's, which another send holds)."""
    for _ in range(500):
        async with pool.acquire() as conn:
            if await conn.fetchval(
                "SELECT EXISTS (SELECT FROM pg_locks WHERE pid = $1 AND NOT granted)", pid
            ):
                return
        await asyncio.sleep(0.02)
    raise AssertionError(f"backend {pid} never waited for a lock")


async def test_a_send_that_commits_late_is_not_passed_by_one_after_it(pool: asyncpg.Pool) -> None:
    """A's transaction numbers it first and commits last. B, sent meanwhile to the same buyer,
    waits for A, so no reader sees B and then A appear behind the cursor it was given."""
    buyer = uuid.uuid4()
    before = await sent(pool, buyer)
    async with pool.acquire() as conn_a, pool.acquire() as conn_b:
        a, b = await a_draft(conn_a, buyer), await a_draft(conn_b, buyer)
        slow = conn_a.transaction()
        await slow.start()
        await send(conn_a, a)

        async def send_b() -> None:
            async with conn_b.transaction():
                await send(conn_b, b)

        sending_b = asyncio.create_task(send_b())
        await until_waiting(pool, conn_b.get_server_pid())
        # A reader now sees only what had committed before, and gets a cursor after it.
        page = await poll(pool, buyer)
        assert [i["id"] for i in page["invoices"]] == [str(before)]
        assert not sending_b.done()
        await slow.commit()
        await sending_b
    later, _ = await read_all(pool, buyer, page["next"])
    assert later == [a, b]


async def test_a_send_rolled_back_leaves_no_gap_and_no_trace(pool: asyncpg.Pool) -> None:
    buyer = uuid.uuid4()
    first = await sent(pool, buyer)
    cursor = (await poll(pool, buyer))["next"]
    async with pool.acquire() as conn_a, pool.acquire() as conn_b:
        a, b = await a_draft(conn_a, buyer), await a_draft(conn_b, buyer)
        failing = conn_a.transaction()
        await failing.start()
        await send(conn_a, a)

        async def send_b() -> None:
            async with conn_b.transaction():
                await send(conn_b, b)

        sending_b = asyncio.create_task(send_b())
        await until_waiting(pool, conn_b.get_server_pid())
        await failing.rollback()
        await sending_b
    assert (await read_all(pool, buyer, cursor))[0] == [b]
    positions = await pool.fetch(
        "SELECT id, received_position FROM invoices WHERE buyer_id = $1 AND sent_at IS NOT NULL",
        buyer,
    )
    assert {r["id"]: r["received_position"] for r in positions} == {first: 1, b: 2}


async def test_many_sends_at_once_while_polling_are_each_listed_once(pool: asyncpg.Pool) -> None:
    """Sends to one buyer in transactions that take a random while to commit, and to another
    buyer, while a poller reads on; the poller ends up with every one exactly once."""
    buyer, other = uuid.uuid4(), uuid.uuid4()
    async with pool.acquire() as conn:
        drafts = [await a_draft(conn, buyer) for _ in range(30)]
        others = [await a_draft(conn, other) for _ in range(10)]

    async def send_slowly(invoice_id: uuid.UUID) -> None:
        await asyncio.sleep(random.uniform(0, 0.2))
        async with pool.acquire() as conn, conn.transaction():
            await send(conn, invoice_id)
            await asyncio.sleep(random.uniform(0, 0.05))

    seen: list[uuid.UUID] = []
    sending = asyncio.gather(*(send_slowly(i) for i in drafts + others))
    cursor = (await poll(pool, buyer))["next"]
    while not sending.done():
        more, cursor = await read_all(pool, buyer, cursor, limit=4)
        seen += more
        await asyncio.sleep(0.01)
    await sending
    seen += (await read_all(pool, buyer, cursor))[0]
    assert len(seen) == len(set(seen)) and set(seen) == set(drafts)
    by_position = await pool.fetch(
        "SELECT id FROM invoices WHERE buyer_id = $1 ORDER BY received_position", buyer
    )
    assert seen == [r["id"] for r in by_position]


async def test_an_invoice_sent_again_keeps_its_place_and_is_not_listed_twice(
    pool: asyncpg.Pool,
) -> None:
    buyer = uuid.uuid4()
    retried = await sent(pool, buyer)
    seen, cursor = await read_all(pool, buyer, None)
    assert seen == [retried]
    async with pool.acquire() as conn, conn.transaction():
        await db.set_status(conn, retried, "failed", "refused", NOW)
    async with pool.acquire() as conn, conn.transaction():
        # As `invoices.retry` does: the same document, sent again.
        await send(conn, retried, NOW)
    after = await sent(pool, buyer)
    assert (await read_all(pool, buyer, cursor))[0] == [after]
    assert (await read_all(pool, buyer, None))[0] == [retried, after]


async def test_since_begins_at_the_first_invoice_sent_at_or_after_it(pool: asyncpg.Pool) -> None:
    buyer = uuid.uuid4()
    times = [NOW + timedelta(days=d) for d in range(4)]
    ids = [await sent(pool, buyer, at) for at in times]
    page = await poll(pool, buyer, since=times[2].isoformat())
    assert [i["id"] for i in page["invoices"]] == [str(i) for i in ids[2:]]
    # An offset with its plus sign unencoded arrives as a space, and still means the same.
    plus = times[1].astimezone(timezone(timedelta(hours=1))).isoformat()
    assert "+01:00" in plus
    spaced = await poll(pool, buyer, since=plus.replace("+", " "))
    assert [i["id"] for i in spaced["invoices"]] == [str(i) for i in ids[1:]]
    # A time after every invoice: none yet, and the cursor lists the next one sent.
    empty = await poll(pool, buyer, since=(times[-1] + timedelta(days=1)).isoformat())
    assert (empty["invoices"], empty["has_more"]) == ([], False)
    newer = await sent(pool, buyer, times[-1] + timedelta(days=2))
    assert (await read_all(pool, buyer, empty["next"]))[0] == [newer]
    # A time before all: every invoice.
    assert len((await poll(pool, buyer, since="2000-01-01T00:00:00Z"))["invoices"]) == 5


def errors_of(query: dict[str, str], buyer_id: uuid.UUID | None = None) -> list[tuple[str, str]]:
    with pytest.raises(FieldErrors) as raised:
        received.stream_query(buyer_id or uuid.uuid4(), query)
    return [(field, code) for field, code, _ in raised.value.errors]


def test_each_wrong_parameter_is_named_with_what_is_wrong() -> None:
    buyer = uuid.uuid4()
    mine = received.encode_cursor(buyer, 7)
    assert received.decode_cursor(buyer, mine) == 7
    assert received.stream_query(buyer, {}) is None  # the deprecated pages
    assert received.stream_query(buyer, {"page": "2"}) is None
    assert received.stream_query(buyer, {"after": mine}) == received.StreamQuery(7, None, 50)
    since = received.stream_query(buyer, {"since": "2026-01-31T01:00:00+01:00", "limit": "200"})
    assert since == received.StreamQuery(None, datetime(2026, 1, 31, tzinfo=UTC), 200)
    for cursor in (
        "",
        "x",
        "not base64 !",
        received.encode_cursor(uuid.uuid4(), 7),  # another buyer's
        received.encode_cursor(buyer, 2**63),
        mine + "A",
        mine[:-1],
        "A" * 5000,
    ):
        assert errors_of({"after": cursor}, buyer) == [("after", "received.cursor_invalid")], cursor
    for time in ("", "yesterday", "2026-01-31", "2026-01-31T00:00:00", "2026-02-30T00:00:00Z"):
        assert errors_of({"since": time}) == [("since", "received.since_invalid")], time
    # Year 1 an hour east of UTC is before what a datetime holds.
    assert errors_of({"since": "0001-01-01T00:00:00+01:00"}) == [
        ("since", "received.since_invalid")
    ]
    for limit, code in (("", "int_parsing"), ("ten", "int_parsing"), ("-1", "int_parsing")):
        assert errors_of({"limit": limit}) == [("limit", code)], limit
    for limit in ("0", "201", "9" * 5000):
        assert errors_of({"limit": limit}) == [("limit", "received.limit_range")], limit
    assert errors_of(
        {"page": "2", "after": "x", "since": "2026-01-31T00:00:00Z", "limit": "0"}, buyer
    ) == [
        ("page", "received.page_with_cursor"),
        ("since", "received.since_with_after"),
        ("after", "received.cursor_invalid"),
        ("limit", "received.limit_range"),
    ]


async def by_an_older_version(
    conn: asyncpg.Connection, buyer_id: uuid.UUID, sent_at: datetime | None
) -> uuid.UUID:
    """An invoice as the version before these migrations saved it, and sent it at `sent_at`:
    without a position (0007), a sender or the buyer's status (0008)."""
    invoice_id = uuid.uuid4()
    await conn.execute(
        """INSERT INTO invoices (id, supplier_id, buyer_id, kind, number, status, form, totals,
                                 document, created_at, updated_at, sent_at)
           VALUES ($1, $2, $3, 'invoice', $4, $5, '{}', '{}', $6, $7, $7, $8)""",
        invoice_id,
        uuid.uuid4(),
        buyer_id,
        f"F{invoice_id.int % 10**8}",
        "draft" if sent_at is None else "sent",
        None if sent_at is None else {"seller": {"name": "Ek AB"}},
        NOW,
        sent_at,
    )
    return invoice_id


async def test_the_migration_numbers_the_invoices_sent_before_it(
    make_database: MakeDatabase, tmp_path: Path
) -> None:
    for path in sorted(MIGRATIONS.glob("000[1-6]_*.sql")):
        shutil.copy(path, tmp_path)
    buyer, other = uuid.uuid4(), uuid.uuid4()
    old = await create_pool(await make_database("received_before"))
    try:
        async with old.acquire() as conn:
            sources = {"shared": SHARED_MIGRATIONS, "service": tmp_path}
            await apply_migrations(conn, sources)
            ids = []
            for days, to in ((3, buyer), (1, buyer), (2, other), (2, buyer)):
                ids.append(await by_an_older_version(conn, to, NOW + timedelta(days=days)))
            await by_an_older_version(conn, buyer, None)
            await apply_migrations(conn, {**sources, "service": MIGRATIONS})
        seen, _ = await read_all(old, buyer, None)
        assert seen == [ids[1], ids[3], ids[0]]  # in the order they were sent
        assert (await read_all(old, other, None))[0] == [ids[2]]
        assert [await sent(old, buyer) for _ in range(2)] == (await read_all(old, buyer, None))[0][
            3:
        ]
    finally:
        await old.close()


# Through the running services.


async def buyer_key(system: System, http: aiohttp.ClientSession, buyer_id: str) -> dict[str, str]:
    async with http.post(
        f"{system.invoice_url}/v1/operator/buyers/{buyer_id}/keys",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
    ) as r:
        assert r.status == 201, await r.text()
        return {"Authorization": f"Bearer {(await r.json())['key']}"}


async def send_one(supplier: Supplier) -> str:
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    assert status == 201, draft
    status, sent_invoice = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200, sent_invoice
    return str(draft["id"])


async def ask(
    supplier: Supplier, key: dict[str, str], language: str = "en", **query: str
) -> tuple[int, Any]:
    headers = key | {"Accept-Language": language}
    async with supplier.http.get(
        supplier.system.invoice_url + "/v1/buyer/invoices", params=query, headers=headers
    ) as r:
        return r.status, await r.json()


async def walk(supplier: Supplier, key: dict[str, str], **query: str) -> tuple[list[str], str]:
    """Every invoice the stream lists from the query on, page by page; the last cursor."""
    seen: list[str] = []
    query.setdefault("limit", "50")  # with neither `after` nor `since`: from the first one
    while True:
        status, page = await ask(supplier, key, **query)
        assert status == 200, page
        assert set(page) == {"invoices", "next", "has_more"}
        seen += [i["id"] for i in page["invoices"]]
        query = {"after": page["next"], "limit": query["limit"]}
        if not page["has_more"]:
            return seen, page["next"]


async def test_a_buyer_polls_every_invoice_once_while_more_are_sent(supplier: Supplier) -> None:
    key = await buyer_key(supplier.system, supplier.http, supplier.buyer_id)
    started = datetime.now(UTC)
    ids = [await send_one(supplier) for _ in range(3)]
    seen, cursor = await walk(supplier, key, limit="2")
    assert seen == ids
    # Sent at once while the buyer polls: each arrives in one answer or another, once.
    sending = asyncio.gather(*(send_one(supplier) for _ in range(6)))
    while not sending.done():
        more, cursor = await walk(supplier, key, after=cursor, limit="2")
        seen += more
        await asyncio.sleep(0.02)
    ids += await sending
    seen += (await walk(supplier, key, after=cursor))[0]
    assert len(seen) == len(set(seen)) == 9 and set(seen) == set(ids)
    assert (await walk(supplier, key, since=started.isoformat()))[0] == seen
    # The deprecated pages answer as they did, newest first.
    status, page = await ask(supplier, key, page="1")
    assert status == 200 and set(page) == {"invoices", "total", "page"}
    assert (page["total"], page["page"]) == (9, 1)
    assert {i["id"] for i in page["invoices"]} == set(ids)


async def test_wrong_parameters_are_422_field_by_field_in_the_callers_language(
    supplier: Supplier,
) -> None:
    key = await buyer_key(supplier.system, supplier.http, supplier.buyer_id)
    status, body = await ask(
        supplier, key, after="inte-en-markör", since="igår", limit="1000", page="2"
    )
    assert status == 422, body
    fields = body["error"]["fields"]
    assert body["error"]["code"] == "invalid"
    assert {name: [p["code"] for p in problems] for name, problems in fields.items()} == {
        "page": ["received.page_with_cursor"],
        "since": ["received.since_with_after", "received.since_invalid"],
        "after": ["received.cursor_invalid"],
        "limit": ["received.limit_range"],
    }
    assert fields["limit"][0]["message"] == "Enter a whole number from 1 to 200."
    status, body = await ask(supplier, key, "sv", since="2026-01-31")
    assert status == 422
    assert body["error"]["fields"]["since"][0]["message"].startswith("Ange en tidpunkt")
    status, body = await ask(supplier, key, limit="tio")
    assert status == 422 and body["error"]["fields"]["limit"][0]["code"] == "int_parsing"


async def test_another_buyers_key_and_cursor_read_nothing_of_this_buyers(
    supplier: Supplier,
) -> None:
    other = await connected_supplier(supplier.system, supplier.http)
    mine = await buyer_key(supplier.system, supplier.http, supplier.buyer_id)
    theirs = await buyer_key(supplier.system, supplier.http, other.buyer_id)
    ids = [await send_one(supplier) for _ in range(2)]
    their_own = await send_one(other)
    seen, my_cursor = await walk(supplier, mine, limit="1")
    assert seen == ids
    assert (await walk(supplier, theirs))[0] == [their_own]
    # My cursor in their hands names no place in their stream: refused, nothing listed.
    status, body = await ask(supplier, theirs, after=my_cursor)
    assert status == 422 and list(body["error"]["fields"]) == ["after"]
    async with supplier.http.get(
        supplier.system.invoice_url + "/v1/buyer/invoices",
        params={"after": my_cursor},
        headers={"Authorization": "Bearer lpk_forged"},
    ) as r:
        assert r.status == 401
