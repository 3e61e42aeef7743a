"""Queries of the invoice database; each takes the connection of the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

import asyncpg

from shared.db import Connection
from shared.i18n import Language

Row = asyncpg.Record


async def upsert_supplier(
    conn: Connection,
    company_id: uuid.UUID,
    revision: int,
    profile: dict[str, Any],
    user_ids: list[uuid.UUID],
) -> None:
    """Keep the newest revision whatever order the events arrive in.

    A user stays bound to the first company that listed it, as the company service never moves
    one; the caller refuses an event that would (`users_of_other_companies`).
    """
    await conn.execute(
        """INSERT INTO suppliers (company_id, revision, profile) VALUES ($1, $2, $3)
           ON CONFLICT (company_id) DO UPDATE SET revision = excluded.revision, profile = excluded.profile
           WHERE suppliers.revision < excluded.revision""",
        company_id,
        revision,
        profile,
    )
    await conn.executemany(
        """INSERT INTO supplier_users (user_id, company_id) VALUES ($1, $2)
           ON CONFLICT (user_id) DO NOTHING""",
        [(user_id, company_id) for user_id in user_ids],
    )


async def users_of_other_companies(
    conn: Connection, company_id: uuid.UUID, user_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Which of `user_ids` are bound to a company other than `company_id`."""
    rows = await conn.fetch(
        "SELECT user_id FROM supplier_users WHERE user_id = ANY($2::uuid[]) AND company_id <> $1",
        company_id,
        user_ids,
    )
    return [row["user_id"] for row in rows]


async def upsert_buyer(
    conn: Connection, buyer_id: uuid.UUID, revision: int, buyer: dict[str, Any]
) -> None:
    await conn.execute(
        """INSERT INTO buyers (buyer_id, revision, buyer) VALUES ($1, $2, $3)
           ON CONFLICT (buyer_id) DO UPDATE SET revision = excluded.revision, buyer = excluded.buyer
           WHERE buyers.revision < excluded.revision""",
        buyer_id,
        revision,
        buyer,
    )


async def replace_buyer_users(
    conn: Connection, buyer_id: uuid.UUID, revision: int, user_ids: list[uuid.UUID]
) -> None:
    """The buyer's users as of `revision`; an older announcement arriving late changes nothing."""
    newer = await conn.fetchval(
        """INSERT INTO buyer_user_revisions (buyer_id, revision) VALUES ($1, $2)
           ON CONFLICT (buyer_id) DO UPDATE SET revision = excluded.revision
           WHERE buyer_user_revisions.revision < excluded.revision
           RETURNING true""",
        buyer_id,
        revision,
    )
    if not newer:
        return
    await conn.execute(
        "DELETE FROM buyer_users WHERE buyer_id = $1 AND NOT user_id = ANY($2::uuid[])",
        buyer_id,
        user_ids,
    )
    await conn.execute(
        """INSERT INTO buyer_users (user_id, buyer_id) SELECT unnest($2::uuid[]), $1
           ON CONFLICT (user_id) DO UPDATE SET buyer_id = excluded.buyer_id""",
        buyer_id,
        user_ids,
    )


async def buyer_of_user(conn: Connection, user_id: uuid.UUID) -> uuid.UUID | None:
    buyer_id: uuid.UUID | None = await conn.fetchval(
        "SELECT buyer_id FROM buyer_users WHERE user_id = $1", user_id
    )
    return buyer_id


async def add_connection(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO connections (supplier_id, buyer_id, connected_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        supplier_id,
        buyer_id,
        at,
    )


async def record_terms_acceptance(
    conn: Connection,
    supplier_id: uuid.UUID,
    buyer_id: uuid.UUID,
    terms_version: str,
    accepted_at: datetime,
) -> None:
    """Keep the newest acceptance of the pair whatever order the events arrive in."""
    await conn.execute(
        """INSERT INTO terms_acceptances (supplier_id, buyer_id, terms_version, accepted_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (supplier_id, buyer_id) DO UPDATE
           SET terms_version = excluded.terms_version, accepted_at = excluded.accepted_at
           WHERE terms_acceptances.accepted_at < excluded.accepted_at""",
        supplier_id,
        buyer_id,
        terms_version,
        accepted_at,
    )


async def accepted_terms_version(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID
) -> str | None:
    """The version of the buyer's terms the supplier last accepted, or None."""
    version: str | None = await conn.fetchval(
        "SELECT terms_version FROM terms_acceptances WHERE supplier_id = $1 AND buyer_id = $2",
        supplier_id,
        buyer_id,
    )
    return version


async def company_of_user(conn: Connection, user_id: uuid.UUID) -> uuid.UUID | None:
    company_id: uuid.UUID | None = await conn.fetchval(
        "SELECT company_id FROM supplier_users WHERE user_id = $1", user_id
    )
    return company_id


async def supplier(conn: Connection, company_id: uuid.UUID) -> dict[str, Any] | None:
    profile: dict[str, Any] | None = await conn.fetchval(
        "SELECT profile FROM suppliers WHERE company_id = $1", company_id
    )
    return profile


async def buyer(conn: Connection, buyer_id: uuid.UUID) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await conn.fetchval(
        "SELECT buyer FROM buyers WHERE buyer_id = $1", buyer_id
    )
    return found


async def connected_buyers(conn: Connection, supplier_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT b.buyer FROM connections c JOIN buyers b ON b.buyer_id = c.buyer_id
           WHERE c.supplier_id = $1 ORDER BY b.buyer->>'name'""",
        supplier_id,
    )
    return [r["buyer"] for r in rows]


async def is_connected(conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM connections WHERE supplier_id = $1 AND buyer_id = $2",
            supplier_id,
            buyer_id,
        )
    )


async def number_taken(
    conn: Connection, supplier_id: uuid.UUID, number: str, invoice_id: uuid.UUID
) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM invoices WHERE supplier_id = $1 AND number = $2 AND id <> $3",
            supplier_id,
            number,
            invoice_id,
        )
    )


# What a list shows of an invoice; the draft's save returns them too, so nothing is read back.
SUMMARY = """id, kind, number, status, buyer_name, payable, currency, created_at, sent_at,
             buyer_status, buyer_status_reason, buyer_status_reason_code, buyer_status_at,
             created_by_name, sent_by_name"""
# The buyer's name as this service knows it now; empty while there is no buyer.
BUYER_NAME = "coalesce((SELECT b.buyer->>'name' FROM buyers b WHERE b.buyer_id = $3), '')"


# Form and totals ($6, $7; $5, $6 on update) arrive as JSON text that pydantic wrote, rather than
# as dicts for the connection's jsonb codec to serialise once more.
def _insert(supplier: str, source: str = "") -> str:
    return f"""INSERT INTO invoices (id, supplier_id, buyer_id, kind, number, status, form, totals,
                                     buyer_name, payable, currency, credited_invoice_id, created_at,
                                     updated_at, created_by, created_by_name)
               SELECT $1, {supplier}, $3, $4, $5, 'draft', $6::text::jsonb, $7::text::jsonb,
                      {BUYER_NAME}, $8, $9, $10, $11, $11, $12, $13
               {source}
               RETURNING {SUMMARY}"""


INSERT_FOR_SUPPLIER = _insert("$2::uuid")
# The company comes from the same statement, so a save is one round trip.
INSERT_FOR_USER = _insert("u.company_id", "FROM supplier_users u WHERE u.user_id = $2")


async def _insert_invoice(
    conn: Connection, query: str, supplier_or_user: uuid.UUID, invoice: dict[str, Any]
) -> Row | None:
    row: Row | None = await conn.fetchrow(
        query,
        invoice["id"],
        supplier_or_user,
        invoice["buyer_id"],
        invoice["kind"],
        invoice["number"],
        invoice["form"],
        invoice["totals"],
        invoice["payable"],
        invoice["currency"],
        invoice["credited_invoice_id"],
        invoice["now"],
        invoice["created_by"].user_id,
        invoice["created_by"].name,
    )
    return row


async def insert_invoice(conn: Connection, supplier_id: uuid.UUID, **invoice: Any) -> Row:
    """A new draft; a number the supplier already used fails on the `invoices_number` index."""
    row = await _insert_invoice(conn, INSERT_FOR_SUPPLIER, supplier_id, invoice)
    assert row is not None
    return row


async def insert_draft_of_user(conn: Connection, user_id: uuid.UUID, **invoice: Any) -> Row | None:
    """A new draft of the company the user works for; None when the user has no company.

    A number the supplier already used fails on the `invoices_number` index.
    """
    return await _insert_invoice(conn, INSERT_FOR_USER, user_id, invoice)


async def foreign_references(
    conn: Connection, user_id: uuid.UUID, buyer_id: uuid.UUID | None, account_id: uuid.UUID | None
) -> list[str]:
    """Which of a draft's references are not the user's company's to use: `buyer_id` for a buyer
    it is not connected to, `bank_account_id` for an account that is not in its profile."""
    row = await conn.fetchrow(
        """SELECT ($2::uuid IS NULL OR EXISTS (
                      SELECT 1 FROM connections c
                      WHERE c.supplier_id = u.company_id AND c.buyer_id = $2)) AS buyer_ok,
                  ($3::uuid IS NULL OR EXISTS (
                      SELECT 1 FROM suppliers s,
                                    jsonb_array_elements(s.profile -> 'bank_accounts') a
                      WHERE s.company_id = u.company_id AND a ->> 'id' = $3::text)) AS account_ok
           FROM supplier_users u WHERE u.user_id = $1""",
        user_id,
        buyer_id,
        account_id,
    )
    if row is None:
        return []
    return [
        field
        for field, ok in (("buyer_id", row["buyer_ok"]), ("bank_account_id", row["account_ok"]))
        if not ok
    ]


async def update_draft(conn: Connection, invoice_id: uuid.UUID, **invoice: Any) -> Row | None:
    """The draft's new content; a number the supplier already used fails as on insert."""
    row: Row | None = await conn.fetchrow(
        f"""UPDATE invoices SET buyer_id = $3, number = $4, form = $5::text::jsonb,
                                totals = $6::text::jsonb,
                                buyer_name = {BUYER_NAME}, payable = $7, currency = $8, updated_at = $9
            WHERE id = $1 AND supplier_id = $2 AND status = 'draft'
            RETURNING {SUMMARY}""",  # noqa: S608 - fixed text
        invoice_id,
        invoice["supplier_id"],
        invoice["buyer_id"],
        invoice["number"],
        invoice["form"],
        invoice["totals"],
        invoice["payable"],
        invoice["currency"],
        invoice["now"],
    )
    return row


async def invoice_of(
    conn: Connection, supplier_id: uuid.UUID, invoice_id: uuid.UUID, *, lock: bool = False
) -> Row | None:
    """The supplier's own invoice; another supplier's id finds nothing."""
    query = "SELECT * FROM invoices WHERE id = $1 AND supplier_id = $2"
    return await conn.fetchrow(query + (" FOR UPDATE" if lock else ""), invoice_id, supplier_id)


class Sender(NamedTuple):
    """The user who sends an invoice, told later of what its buyer answers, in `language`."""

    user_id: uuid.UUID
    email: str
    language: Language
    name: str


class Creator(NamedTuple):
    """The user who makes a draft, named on the invoice's page."""

    user_id: uuid.UUID
    name: str


async def mark_sent(
    conn: Connection,
    invoice_id: uuid.UUID,
    document: dict[str, Any],
    now: datetime,
    sender: Sender,
) -> None:
    """Freeze the document as sent, by `sender`. The first time, the trigger
    `invoices_received_position` (migration 0007) gives the invoice the buyer's next position and
    holds the buyer's lock until the transaction ends; a failed invoice sent again keeps the
    position it had, and is now the sender's who sent it again."""
    await conn.execute(
        """UPDATE invoices SET status = 'sent', document = $2, sent_at = $3, updated_at = $3,
                               status_reason = NULL,
                               sent_by = $4, sender_email = $5, sender_language = $6,
                               sent_by_name = $7
           WHERE id = $1""",
        invoice_id,
        document,
        now,
        sender.user_id,
        sender.email,
        sender.language,
        sender.name,
    )


async def set_status(
    conn: Connection, invoice_id: uuid.UUID, status: str, reason: str | None, at: datetime
) -> None:
    """Move a sent invoice on; a delivered invoice stays delivered whatever arrives late."""
    await conn.execute(
        """UPDATE invoices SET status = $2, status_reason = $3, updated_at = $4,
                               delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END
           WHERE id = $1 AND status <> 'draft' AND status <> 'delivered'""",
        invoice_id,
        status,
        reason,
        at,
    )


# What the buyer API lists of an invoice sent to the buyer.
RECEIVED = """id, kind, number, status, payable, currency, sent_at,
              document->'seller'->>'name' AS seller"""


async def received_after(
    conn: Connection, buyer_id: uuid.UUID, position: int, limit: int
) -> list[Row]:
    """Up to `limit` invoices of the buyer's stream after `position`, in its order, each with its
    `received_position`. What one statement sees of a buyer's positions is always 1…k (migration
    0007), so nothing can turn up later before the last row returned."""
    return await conn.fetch(
        f"""SELECT received_position, {RECEIVED} FROM invoices
            WHERE buyer_id = $1 AND received_position > $2
            ORDER BY received_position LIMIT $3""",  # noqa: S608 - fixed text
        buyer_id,
        position,
        limit,
    )


async def received_start(conn: Connection, buyer_id: uuid.UUID, since: datetime) -> int:
    """The position to read after so that every invoice sent at or after `since` is read: just
    before the first of them; with none yet, the last position given, as any sent later will
    come after it."""
    start: int = await conn.fetchval(
        """SELECT coalesce(
                      (SELECT min(received_position) - 1 FROM invoices
                       WHERE buyer_id = $1 AND sent_at >= $2 AND received_position IS NOT NULL),
                      (SELECT received_position FROM invoices
                       WHERE buyer_id = $1 AND received_position IS NOT NULL
                       ORDER BY received_position DESC LIMIT 1),
                      0)""",
        buyer_id,
        since,
    )
    return start


async def received_invoice(
    conn: Connection, buyer_id: uuid.UUID, invoice_id: uuid.UUID, *, lock: bool = False
) -> Row | None:
    """The invoice as sent to this buyer, with the buyer's name on its document; another buyer's
    invoice, or a draft, finds nothing."""
    query = """SELECT *, document->'buyer'->>'name' AS document_buyer_name FROM invoices
               WHERE id = $1 AND buyer_id = $2 AND sent_at IS NOT NULL AND status <> 'draft'"""
    return await conn.fetchrow(query + (" FOR UPDATE" if lock else ""), invoice_id, buyer_id)


async def received_matching(
    conn: Connection,
    buyer_id: uuid.UUID,
    search: str,
    buyer_status: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """A page of the invoices sent to the buyer, newest first, matching the start of the number
    or any part of the supplier's name as written, of the buyer's status (`new`: none yet); each
    row carries `total`, how many match in all."""
    return await conn.fetch(
        f"""SELECT {RECEIVED}, buyer_status, count(*) OVER () AS total FROM invoices
            WHERE buyer_id = $1 AND sent_at IS NOT NULL AND status <> 'draft'
              AND ($2 = '' OR number ILIKE $2 || '%'
                   OR document->'seller'->>'name' ILIKE '%' || $2 || '%')
              AND ($3::text IS NULL OR buyer_status IS NOT DISTINCT FROM nullif($3, 'new'))
            ORDER BY sent_at DESC, id LIMIT $4 OFFSET $5""",  # noqa: S608 - fixed text
        buyer_id,
        _literally(search),
        buyer_status,
        limit,
        offset,
    )


async def key_used(conn: Connection, key_id: uuid.UUID, now: datetime) -> None:
    """When a key was last used, to the minute: a busy key is not written on every call."""
    await conn.execute(
        """UPDATE buyer_keys SET last_used_at = $2
           WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')""",
        key_id,
        now,
    )


async def keys_of_buyer(conn: Connection, buyer_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        """SELECT id, prefix, name, created_at, last_used_at, revoked_at FROM buyer_keys
           WHERE buyer_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC""",
        buyer_id,
    )


async def revoke_key_of_buyer(
    conn: Connection, buyer_id: uuid.UUID, key_id: uuid.UUID, now: datetime
) -> bool:
    revoked = await conn.fetchval(
        """UPDATE buyer_keys SET revoked_at = coalesce(revoked_at, $3)
           WHERE id = $1 AND buyer_id = $2 RETURNING true""",
        key_id,
        buyer_id,
        now,
    )
    return bool(revoked)


# An invoice's Invoice Responses (migration 0008), as the buyer API lists them.
RESPONSE = "id, invoice_id, status, reason, reason_code, set_at"


async def insert_response(conn: Connection, **response: Any) -> Row:
    """A status the buyer gave the invoice, now its newest too; the caller holds its row lock."""
    row: Row | None = await conn.fetchrow(
        f"""INSERT INTO invoice_responses (id, invoice_id, status, reason, reason_code, set_at,
                                           set_by,
                                           set_by_user)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING {RESPONSE}""",  # noqa: S608 - fixed text
        response["id"],
        response["invoice_id"],
        response["status"],
        response["reason"],
        response["reason_code"],
        response["set_at"],
        response["set_by"],
        response["set_by_user"],
    )
    assert row is not None
    await conn.execute(
        """UPDATE invoices SET buyer_status = $2, buyer_status_reason = $3,
                               buyer_status_reason_code = $4, buyer_status_at = $5
           WHERE id = $1""",
        response["invoice_id"],
        response["status"],
        response["reason"],
        response["reason_code"],
        response["set_at"],
    )
    return row


async def responses_of(conn: Connection, invoice_id: uuid.UUID) -> list[Row]:
    """Every status given the invoice, the newest last."""
    return await conn.fetch(
        f"""SELECT {RESPONSE} FROM invoice_responses WHERE invoice_id = $1
            ORDER BY position""",  # noqa: S608 - fixed text
        invoice_id,
    )


async def newest_response(conn: Connection, invoice_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow(
        f"""SELECT {RESPONSE} FROM invoice_responses WHERE invoice_id = $1
            ORDER BY position DESC LIMIT 1""",  # noqa: S608 - fixed text
        invoice_id,
    )


async def received_response(
    conn: Connection, buyer_id: uuid.UUID, invoice_id: uuid.UUID, response_id: uuid.UUID
) -> Row | None:
    """One response of an invoice sent to this buyer, with the document it answers."""
    return await conn.fetchrow(
        """SELECT r.id, r.status, r.reason, r.reason_code, r.set_at, i.document
           FROM invoice_responses r JOIN invoices i ON i.id = r.invoice_id
           WHERE r.id = $1 AND r.invoice_id = $2 AND i.buyer_id = $3
             AND i.sent_at IS NOT NULL AND i.status <> 'draft'""",
        response_id,
        invoice_id,
        buyer_id,
    )


async def delete_draft(conn: Connection, supplier_id: uuid.UUID, invoice_id: uuid.UUID) -> bool:
    status = await conn.execute(
        "DELETE FROM invoices WHERE id = $1 AND supplier_id = $2 AND status = 'draft'",
        invoice_id,
        supplier_id,
    )
    return status != "DELETE 0"


# A supplier has a few dozen customer names; past this many, a search by customer reads each of
# the supplier's invoices instead of only those of the names that match.
MAX_CUSTOMER_NAMES = 500


def _literally(text: str) -> str:
    """`text` for LIKE to match as it is: its wildcards and the escape character escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _number_prefix(at: int) -> str:
    """The number starts with the text in `$at`, compared as ILIKE does, by lower() in the
    database's collation; in "C" order those numbers are one range of `invoices_number_prefix`,
    ending before the prefix followed by U+10FFFF, the last code point, which no number holds."""
    number = 'lower(number) COLLATE "C"'
    return f"{number} >= lower(${at}) AND {number} < lower(${at}) || chr(1114111)"


async def invoice_ids_of(conn: Connection, supplier_id: uuid.UUID) -> list[uuid.UUID]:
    """Oldest first; `invoices_list` read backwards gives this order without a sort."""
    rows = await conn.fetch(
        "SELECT id FROM invoices WHERE supplier_id = $1 ORDER BY created_at, id DESC", supplier_id
    )
    return [row["id"] for row in rows]


async def list_invoices(
    conn: Connection,
    user_id: uuid.UUID,
    search: str,
    status: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """A page of the invoices of the user's company, newest first, the search text matching the
    start of the number or any part of the customer's name, as written (no wildcards).

    Each row also carries `total`, how many match in all; a user without a company, or a page
    past the last, gets no rows.
    """
    if search:
        return await _page_of_matches(conn, user_id, search, status, limit, offset)
    return await _page_of_all(conn, user_id, status, limit, offset)


async def _page_of_all(
    conn: Connection, user_id: uuid.UUID, status: str | None, limit: int, offset: int
) -> list[Row]:
    """Without a search: the total from `invoice_counts`, and the page from the index in the list's
    order, read from whichever end is nearer, so the last page costs what the first does."""
    args: list[Any] = [user_id, limit, offset]
    of_status = ""
    if status is not None:
        args.append(status)
        of_status = "AND status = $4"
    # The page is $2 rows after skipping $3, read forwards when no more rows lie before it than
    # after it, else backwards from the end. The page's size is also written as a constant: a
    # generic plan cannot know $2 and would cost the join for a tenth of the supplier's invoices,
    # enough for PostgreSQL to compile the query (JIT) on every run, some 10 ms.
    return await conn.fetch(
        f"""WITH supplier AS MATERIALIZED (
                SELECT company_id AS id FROM supplier_users WHERE user_id = $1
            ), total AS MATERIALIZED (
                SELECT coalesce(sum(invoices), 0)::bigint AS n FROM invoice_counts
                WHERE supplier_id = (SELECT id FROM supplier) {of_status}
            ), page AS (
                (SELECT id FROM invoices
                 WHERE supplier_id = (SELECT id FROM supplier) {of_status}
                   AND $3 <= (SELECT n FROM total) - $3 - $2
                 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3)
                UNION ALL
                (SELECT id FROM invoices
                 WHERE supplier_id = (SELECT id FROM supplier) {of_status}
                   AND $3 > (SELECT n FROM total) - $3 - $2
                 ORDER BY created_at, id DESC
                 LIMIT greatest(least($2, (SELECT n FROM total) - $3), 0)
                 OFFSET greatest((SELECT n FROM total) - $3 - $2, 0))
            )
            SELECT {SUMMARY}, (SELECT n FROM total) AS total
            FROM (SELECT id FROM page LIMIT {limit:d}) page JOIN invoices USING (id)
            ORDER BY created_at DESC, id""",  # noqa: S608 - fixed text
        *args,
    )


async def _page_of_matches(
    conn: Connection,
    user_id: uuid.UUID,
    search: str,
    status: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """With a search: first the supplier's customer names that match (skipping through
    `invoices_buyer_name` from name to name) and whether any number starts with the text; then the
    invoices of only what matched, counted and paged in one statement."""
    found = await conn.fetchrow(
        f"""WITH RECURSIVE supplier AS MATERIALIZED (
                SELECT company_id AS id FROM supplier_users WHERE user_id = $1
            ), names (buyer_name, seen) AS (
                (SELECT buyer_name, 1 FROM invoices WHERE supplier_id = (SELECT id FROM supplier)
                 ORDER BY buyer_name LIMIT 1)
                UNION ALL
                SELECT (SELECT i.buyer_name FROM invoices i
                        WHERE i.supplier_id = (SELECT id FROM supplier)
                          AND i.buyer_name > names.buyer_name
                        ORDER BY i.buyer_name LIMIT 1), seen + 1
                FROM names WHERE buyer_name IS NOT NULL AND seen <= $4
            )
            SELECT (SELECT id FROM supplier) AS supplier_id,
                   EXISTS (SELECT FROM invoices WHERE supplier_id = (SELECT id FROM supplier)
                                                  AND {_number_prefix(2)}) AS numbers,
                   coalesce(array_agg(buyer_name) FILTER (WHERE buyer_name ILIKE $3), '{{}}')
                       AS names,
                   count(*) > $4 AS too_many_names
            FROM names WHERE buyer_name IS NOT NULL""",  # noqa: S608 - fixed text
        user_id,
        search,
        f"%{_literally(search)}%",
        MAX_CUSTOMER_NAMES,
    )
    assert found is not None
    supplier_id, names = found["supplier_id"], found["names"]
    if supplier_id is None:
        return []
    if names and not found["numbers"] and not found["too_many_names"]:
        return await _page_of_customers(conn, supplier_id, names, status, limit, offset)
    args: list[Any] = [supplier_id, limit, offset]
    matches: list[str] = []
    if found["numbers"]:
        args.append(search)
        matches.append(f"({_number_prefix(len(args))})")
    if found["too_many_names"]:
        args.append(f"%{_literally(search)}%")
        matches.append(f"buyer_name ILIKE ${len(args)}")
    elif names:
        args.append(names)
        matches.append(f"buyer_name = ANY(${len(args)}::text[])")
    if not matches:
        return []
    of_status = ""
    if status is not None:
        args.append(status)
        of_status = f"AND status = ${len(args)}"
    # The matches are gathered apart from their order: given the order to keep, the planner may
    # walk the supplier's whole list in `invoices_list` order, hoping to meet matches early,
    # instead of reading only the matches from the search's indexes.
    return await conn.fetch(
        f"""WITH matches AS MATERIALIZED (
                SELECT id, created_at FROM invoices
                WHERE supplier_id = $1 AND ({" OR ".join(matches)}) {of_status}
            )
            SELECT {SUMMARY}, (SELECT count(*) FROM matches) AS total FROM (
                SELECT id FROM matches ORDER BY created_at DESC, id LIMIT $2 OFFSET $3
            ) page JOIN invoices USING (id)
            ORDER BY created_at DESC, id""",  # noqa: S608 - fixed text
        *args,
    )


async def _page_of_customers(
    conn: Connection,
    supplier_id: uuid.UUID,
    names: list[str],
    status: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """The invoices of these customer names: counted in `invoices_buyer_name`, and each name's
    newest taken in order from it, so a page reads no more than names × (offset + limit) entries
    rather than every match."""
    args: list[Any] = [supplier_id, limit, offset, names]
    of_status = ""
    if status is not None:
        args.append(status)
        of_status = "AND status = $5"
    return await conn.fetch(
        f"""SELECT {SUMMARY},
                   (SELECT count(*) FROM invoices
                    WHERE supplier_id = $1 AND buyer_name = ANY($4::text[]) {of_status}) AS total
            FROM (
                SELECT id FROM unnest($4::text[]) AS matched(name)
                CROSS JOIN LATERAL (
                    SELECT id, created_at FROM invoices
                    WHERE supplier_id = $1 AND buyer_name = matched.name {of_status}
                    ORDER BY created_at DESC, id LIMIT $2::bigint + $3::bigint
                ) newest
                ORDER BY created_at DESC, id LIMIT $2 OFFSET $3
            ) page JOIN invoices USING (id)
            ORDER BY created_at DESC, id""",  # noqa: S608 - fixed text
        *args,
    )


async def attachments_of(conn: Connection, invoice_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT id, filename, size, sha256 FROM attachments WHERE invoice_id = $1 ORDER BY created_at, id",
        invoice_id,
    )


async def lock_supplier(conn: Connection, supplier_id: uuid.UUID) -> None:
    """Until the transaction ends: one upload of a supplier at a time is weighed against its
    quota, so two at once cannot both fit in the room left for one."""
    await conn.execute("SELECT FROM suppliers WHERE company_id = $1 FOR NO KEY UPDATE", supplier_id)


async def stored_with(conn: Connection, supplier_id: uuid.UUID, sha256: str, size: int) -> int:
    """The bytes the supplier's attachments take with this content among them, each distinct
    content once: a copy, or the same file attached again, takes nothing more."""
    stored: int = await conn.fetchval(
        """SELECT coalesce(sum(size), 0) FROM (
               SELECT sha256, size FROM attachments WHERE supplier_id = $1
               UNION SELECT $2, $3
           ) contents""",
        supplier_id,
        sha256,
        size,
    )
    return stored


async def insert_attachment(conn: Connection, content: bytes, **attachment: Any) -> None:
    """The attachment, and its content unless stored already; the triggers count the reference.

    A content already stored is locked (the update changes nothing) so that the last other
    reference cannot take it away before this one commits.
    """
    await conn.execute(
        """INSERT INTO attachment_contents (sha256, size, content, refs) VALUES ($1, $2, $3, 0)
           ON CONFLICT (sha256) DO UPDATE SET refs = attachment_contents.refs""",
        attachment["sha256"],
        attachment["size"],
        content,
    )
    await conn.execute(
        """INSERT INTO attachments (id, invoice_id, supplier_id, filename, size, sha256,
                                    created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        attachment["id"],
        attachment["invoice_id"],
        attachment["supplier_id"],
        attachment["filename"],
        attachment["size"],
        attachment["sha256"],
        attachment["now"],
    )


async def copy_attachments(
    conn: Connection, source: uuid.UUID, target: uuid.UUID, now: datetime
) -> None:
    """New rows referring to the source's contents, not new copies of them. The contents are
    locked first, in the triggers' order: a source deleted meanwhile leaves nothing to copy
    rather than references to contents already gone."""
    await conn.execute(
        """SELECT FROM attachment_contents
           WHERE sha256 IN (SELECT sha256 FROM attachments WHERE invoice_id = $1)
           ORDER BY sha256 FOR NO KEY UPDATE""",
        source,
    )
    await conn.execute(
        """INSERT INTO attachments (id, invoice_id, supplier_id, filename, size, sha256,
                                    created_at)
           SELECT gen_random_uuid(), $2, supplier_id, filename, size, sha256, $3
           FROM attachments WHERE invoice_id = $1 ORDER BY created_at, id""",
        source,
        target,
        now,
    )


async def attachment_content(
    conn: Connection, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> Row | None:
    return await conn.fetchrow(
        """SELECT a.filename, c.content FROM attachments a JOIN attachment_contents c USING (sha256)
           WHERE a.id = $1 AND a.invoice_id = $2""",
        attachment_id,
        invoice_id,
    )


async def delete_attachment(
    conn: Connection, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> bool:
    status = await conn.execute(
        "DELETE FROM attachments WHERE id = $1 AND invoice_id = $2", attachment_id, invoice_id
    )
    return status != "DELETE 0"


async def contents_outside_file_store(conn: Connection, invoice_id: uuid.UUID) -> list[str]:
    """The SHA-256 of each of the invoice's attachment contents not yet in the file store."""
    rows = await conn.fetch(
        """SELECT DISTINCT c.sha256 FROM attachments a JOIN attachment_contents c USING (sha256)
           WHERE a.invoice_id = $1 AND NOT c.in_file_store""",
        invoice_id,
    )
    return [row["sha256"] for row in rows]


async def contents(conn: Connection, hashes: list[str]) -> list[bytes]:
    rows = await conn.fetch(
        "SELECT content FROM attachment_contents WHERE sha256 = ANY($1::text[])", hashes
    )
    return [bytes(row["content"]) for row in rows]


async def sent_contents_outside_file_store(conn: Connection, limit: int) -> list[Row]:
    """Up to `limit` contents of sent invoices' attachments that are not in the file store."""
    return await conn.fetch(
        """SELECT c.sha256, c.content FROM attachment_contents c
           WHERE NOT c.in_file_store AND EXISTS (
               SELECT FROM attachments a JOIN invoices i ON i.id = a.invoice_id
               WHERE a.sha256 = c.sha256 AND i.status <> 'draft')
           LIMIT $1""",
        limit,
    )


async def mark_in_file_store(conn: Connection, hashes: list[str]) -> None:
    await conn.execute(
        "UPDATE attachment_contents SET in_file_store = true WHERE sha256 = ANY($1::text[])",
        hashes,
    )


# What a list of templates shows; the buyer's name as this service knows it now.
TEMPLATE = """t.id, t.buyer_id, t.name, t.payment_days, t.created_at, t.updated_at,
              coalesce(b.buyer->>'name', '') AS buyer_name"""


async def save_template(conn: Connection, **template: Any) -> Row:
    """The template, or the one of the same name for the same customer replaced by it."""
    row: Row | None = await conn.fetchrow(
        f"""WITH saved AS (
                INSERT INTO invoice_templates (id, supplier_id, buyer_id, name, form, payment_days,
                                               created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $7)
                ON CONFLICT (supplier_id, buyer_id, name) DO UPDATE
                SET form = excluded.form, payment_days = excluded.payment_days,
                    updated_at = excluded.updated_at
                RETURNING *)
            SELECT {TEMPLATE} FROM saved t LEFT JOIN buyers b ON b.buyer_id = t.buyer_id""",  # noqa: S608 - fixed text
        template["id"],
        template["supplier_id"],
        template["buyer_id"],
        template["name"],
        template["form"],
        template["payment_days"],
        template["now"],
    )
    assert row is not None
    return row


async def count_templates(conn: Connection, supplier_id: uuid.UUID) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM invoice_templates WHERE supplier_id = $1", supplier_id
    )
    return count


async def templates_of(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID | None
) -> list[Row]:
    """The supplier's templates, for one customer or all, by customer and name."""
    return await conn.fetch(
        f"""SELECT {TEMPLATE} FROM invoice_templates t LEFT JOIN buyers b ON b.buyer_id = t.buyer_id
            WHERE t.supplier_id = $1 AND ($2::uuid IS NULL OR t.buyer_id = $2)
            ORDER BY buyer_name, t.name, t.id""",  # noqa: S608 - fixed text
        supplier_id,
        buyer_id,
    )


async def template_of(
    conn: Connection, supplier_id: uuid.UUID, template_id: uuid.UUID
) -> Row | None:
    """The supplier's own template with its form; another supplier's id finds nothing."""
    row: Row | None = await conn.fetchrow(
        f"""SELECT {TEMPLATE}, t.form FROM invoice_templates t
            LEFT JOIN buyers b ON b.buyer_id = t.buyer_id
            WHERE t.id = $1 AND t.supplier_id = $2""",  # noqa: S608 - fixed text
        template_id,
        supplier_id,
    )
    return row


async def delete_template(conn: Connection, supplier_id: uuid.UUID, template_id: uuid.UUID) -> bool:
    deleted = await conn.fetchval(
        "DELETE FROM invoice_templates WHERE id = $1 AND supplier_id = $2 RETURNING true",
        template_id,
        supplier_id,
    )
    return bool(deleted)
