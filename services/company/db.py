"""Queries of the company database; each takes the connection of the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from shared.db import Connection

Row = asyncpg.Record


async def upsert_user(
    conn: Connection,
    user_id: uuid.UUID,
    email: str,
    invitation_id: uuid.UUID | None,
    first_name: str,
    last_name: str,
) -> Row:
    """The user as identity announced it, locked; a row made earlier by the user's own request
    gets its invitation and names."""
    row = await conn.fetchrow(
        """INSERT INTO users (id, email, invitation_id, first_name, last_name)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET email = excluded.email,
               invitation_id = coalesce(users.invitation_id, excluded.invitation_id),
               first_name = excluded.first_name, last_name = excluded.last_name
           RETURNING *""",
        user_id,
        email,
        invitation_id,
        first_name,
        last_name,
    )
    assert row is not None
    return row


async def company_of_user(conn: Connection, user_id: uuid.UUID) -> Row | None:
    """The supplier company the user acts for; a buyer's user has none."""
    return await conn.fetchrow(
        """SELECT c.* FROM users u JOIN companies c ON c.id = u.company_id
           WHERE u.id = $1 AND c.kind = 'supplier'""",
        user_id,
    )


async def membership(conn: Connection, user_id: uuid.UUID) -> Row | None:
    """The company the user acts for, of either kind, with the user's role in it."""
    return await conn.fetchrow(
        """SELECT c.id AS company_id, c.kind, c.name AS company_name, u.role
           FROM users u JOIN companies c ON c.id = u.company_id WHERE u.id = $1""",
        user_id,
    )


async def members_of(conn: Connection, company_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        """SELECT id AS user_id, email, first_name, last_name, role, joined_at FROM users
           WHERE company_id = $1 ORDER BY lower(last_name), lower(first_name), lower(email)""",
        company_id,
    )


async def set_role(conn: Connection, user_id: uuid.UUID, role: str | None) -> None:
    """A role, or none with no company: the user leaves it."""
    await conn.execute(
        """UPDATE users SET role = $2,
                  company_id = CASE WHEN $2::text IS NULL THEN NULL ELSE company_id END
           WHERE id = $1""",
        user_id,
        role,
    )


async def make_earliest_member_admin(conn: Connection, company_id: uuid.UUID) -> None:
    """The member who joined first becomes an admin; one who joined before joining was recorded
    (no `joined_at`) counts as earliest."""
    await conn.execute(
        """UPDATE users SET role = 'admin'
           WHERE id = (SELECT id FROM users WHERE company_id = $1
                       ORDER BY joined_at ASC NULLS FIRST, id LIMIT 1)""",
        company_id,
    )


async def erase_user(conn: Connection, user_id: uuid.UUID) -> None:
    """Forget a deleted account's address and names, and its company with them; the id stays,
    which the company's change log names beside the address it had then."""
    await conn.execute(
        """UPDATE users SET email = '', first_name = '', last_name = '',
                  company_id = NULL, role = NULL
           WHERE id = $1""",
        user_id,
    )


async def admins_of(conn: Connection, company_id: uuid.UUID) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM users WHERE company_id = $1 AND role = 'admin'", company_id
    )
    return count


async def insert_member_invitation(conn: Connection, **invitation: Any) -> None:
    await conn.execute(
        """INSERT INTO member_invitations (id, company_id, email, first_name, last_name, language,
                                           role, invited_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        invitation["id"],
        invitation["company_id"],
        invitation["email"],
        invitation["first_name"],
        invitation["last_name"],
        invitation["language"],
        invitation["role"],
        invitation["invited_by"],
        invitation["created_at"],
        invitation["expires_at"],
    )


async def open_member_invitations(
    conn: Connection, company_id: uuid.UUID, now: datetime
) -> list[Row]:
    return await conn.fetch(
        """SELECT * FROM member_invitations
           WHERE company_id = $1 AND accepted_at IS NULL AND expires_at > $2
           ORDER BY created_at DESC""",
        company_id,
        now,
    )


async def accept_member_invitation(
    conn: Connection, invitation_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> Row | None:
    """The invitation, taken by the user; none if it is not a member invitation, is already
    taken or has expired."""
    return await conn.fetchrow(
        """UPDATE member_invitations SET accepted_by = $2, accepted_at = $3
           WHERE id = $1 AND accepted_at IS NULL AND expires_at > $3
           RETURNING *""",
        invitation_id,
        user_id,
        now,
    )


async def join(
    conn: Connection, user_id: uuid.UUID, company_id: uuid.UUID, role: str, now: datetime
) -> None:
    await conn.execute(
        "UPDATE users SET company_id = $2, role = $3, joined_at = $4 WHERE id = $1",
        user_id,
        company_id,
        role,
        now,
    )


async def lock_user(conn: Connection, user_id: uuid.UUID, email: str) -> Row:
    """The user's row, created if identity's event has not arrived yet, locked for the change."""
    await conn.execute(
        "INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", user_id, email
    )
    row = await conn.fetchrow("SELECT * FROM users WHERE id = $1 FOR UPDATE", user_id)
    assert row is not None
    return row


async def company_with_number(
    conn: Connection, kind: str, country: str, organisation_number: str, vat_number: str | None
) -> Row | None:
    return await conn.fetchrow(
        """SELECT id, organisation_number, vat_number FROM companies
           WHERE kind = $1 AND ((country = $2 AND organisation_number = $3)
                                OR ($4::text IS NOT NULL AND vat_number = $4))
           LIMIT 1""",
        kind,
        country,
        organisation_number,
        vat_number,
    )


async def insert_company(conn: Connection, **company: Any) -> None:
    await conn.execute(
        """INSERT INTO companies (id, kind, name, country, organisation_number, vat_number, f_skatt,
                                  created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)""",
        company["id"],
        company["kind"],
        company["name"],
        company["country"],
        company["organisation_number"],
        company["vat_number"],
        company["f_skatt"],
        company["now"],
    )


async def update_company(conn: Connection, company_id: uuid.UUID, **company: Any) -> None:
    await conn.execute(
        """UPDATE companies SET name = $2, country = $3, organisation_number = $4, vat_number = $5,
                                f_skatt = $6, updated_at = $7
           WHERE id = $1""",
        company_id,
        company["name"],
        company["country"],
        company["organisation_number"],
        company["vat_number"],
        company["f_skatt"],
        company["now"],
    )


async def bump_revision(conn: Connection, company_id: uuid.UUID) -> int:
    revision = await conn.fetchval(
        "UPDATE companies SET revision = revision + 1 WHERE id = $1 RETURNING revision", company_id
    )
    return int(revision)


async def user_ids_of(conn: Connection, company_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await conn.fetch("SELECT id FROM users WHERE company_id = $1 ORDER BY id", company_id)
    return [r["id"] for r in rows]


async def invitations_for(conn: Connection, user: Row, now: datetime) -> list[Row]:
    """Open invitations to the user's address, and the one it registered through."""
    return await conn.fetch(
        """SELECT * FROM invitations
           WHERE (lower(email) = lower($1) AND expires_at > $3) OR id = $2""",
        user["email"],
        user["invitation_id"],
        now,
    )


async def insert_invitation(conn: Connection, **invitation: Any) -> None:
    await conn.execute(
        """INSERT INTO invitations (id, buyer_id, email, first_name, last_name, language,
                                    created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        invitation["id"],
        invitation["buyer_id"],
        invitation["email"],
        invitation["first_name"],
        invitation["last_name"],
        invitation["language"],
        invitation["created_at"],
        invitation["expires_at"],
    )


async def suppliers_of_email(conn: Connection, email: str) -> list[uuid.UUID]:
    rows = await conn.fetch(
        "SELECT DISTINCT company_id FROM users WHERE lower(email) = lower($1) AND company_id IS NOT NULL",
        email,
    )
    return [r["company_id"] for r in rows]


async def add_connection(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID, now: datetime
) -> None:
    await conn.execute(
        """INSERT INTO connections (supplier_id, buyer_id, state, invited_at)
           VALUES ($1, $2, 'invited', $3) ON CONFLICT DO NOTHING""",
        supplier_id,
        buyer_id,
        now,
    )


async def connections_of(conn: Connection, supplier_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        """SELECT k.*, c.name AS buyer_name, b.terms_version AS current_terms_version,
                  b.terms_sha256 AS current_terms_sha256
           FROM connections k JOIN companies c ON c.id = k.buyer_id JOIN buyers b ON b.company_id = k.buyer_id
           WHERE k.supplier_id = $1 ORDER BY c.name""",
        supplier_id,
    )


async def connection(conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID) -> Row | None:
    """The connection, locked until the caller's transaction ends (when it has one)."""
    return await conn.fetchrow(
        """SELECT k.*, c.name AS buyer_name, b.terms_version AS current_terms_version,
                  b.terms_sha256 AS current_terms_sha256
           FROM connections k JOIN companies c ON c.id = k.buyer_id JOIN buyers b ON b.company_id = k.buyer_id
           WHERE k.supplier_id = $1 AND k.buyer_id = $2 FOR UPDATE OF k""",
        supplier_id,
        buyer_id,
    )


async def accept_terms(
    conn: Connection,
    supplier_id: uuid.UUID,
    buyer_id: uuid.UUID,
    version: str,
    sha256: str,
    user_id: uuid.UUID,
    now: datetime,
) -> None:
    await conn.execute(
        """UPDATE connections SET state = CASE WHEN state = 'connected' THEN state ELSE 'terms_accepted' END,
                  terms_version = $3, terms_sha256 = $4, terms_accepted_by = $5, terms_accepted_at = $6
           WHERE supplier_id = $1 AND buyer_id = $2""",
        supplier_id,
        buyer_id,
        version,
        sha256,
        user_id,
        now,
    )


async def mark_connected(
    conn: Connection, supplier_id: uuid.UUID, buyer_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    await conn.execute(
        """UPDATE connections SET state = 'connected', connected_by = $3, connected_at = $4
           WHERE supplier_id = $1 AND buyer_id = $2""",
        supplier_id,
        buyer_id,
        user_id,
        now,
    )


async def terms_of(conn: Connection, buyer_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow(
        "SELECT terms_pdf, terms_version, terms_sha256 FROM buyers WHERE company_id = $1", buyer_id
    )


async def addresses_of(conn: Connection, company_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT * FROM addresses WHERE company_id = $1 ORDER BY kind, created_at", company_id
    )


async def bank_accounts_of(conn: Connection, company_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT * FROM bank_accounts WHERE company_id = $1 ORDER BY created_at", company_id
    )


async def save_address(
    conn: Connection, company_id: uuid.UUID, address_id: uuid.UUID, now: datetime, **fields: Any
) -> bool:
    """Insert or update an address of this company; False when the id is another company's."""
    saved = await conn.fetchval(
        """INSERT INTO addresses (id, company_id, kind, name, street, postal_code, city, country, phone,
                                  created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
               street = excluded.street, postal_code = excluded.postal_code, city = excluded.city,
               country = excluded.country, phone = excluded.phone
           WHERE addresses.company_id = excluded.company_id
           RETURNING true""",
        address_id,
        company_id,
        fields["kind"],
        fields["name"],
        fields["street"],
        fields["postal_code"],
        fields["city"],
        fields["country"],
        fields["phone"],
        now,
    )
    return bool(saved)


async def save_bank_account(
    conn: Connection, company_id: uuid.UUID, account_id: uuid.UUID, now: datetime, **fields: Any
) -> bool:
    saved = await conn.fetchval(
        """INSERT INTO bank_accounts (id, company_id, bank_name, bank_country, kind, number, bic, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET bank_name = excluded.bank_name,
               bank_country = excluded.bank_country, kind = excluded.kind, number = excluded.number,
               bic = excluded.bic
           WHERE bank_accounts.company_id = excluded.company_id
           RETURNING true""",
        account_id,
        company_id,
        fields["bank_name"],
        fields["bank_country"],
        fields["kind"],
        fields["number"],
        fields["bic"],
        now,
    )
    return bool(saved)


async def delete_owned(
    conn: Connection, table: str, company_id: uuid.UUID, item_id: uuid.UUID
) -> bool:
    assert table in ("addresses", "bank_accounts")
    status = await conn.execute(
        f"DELETE FROM {table} WHERE id = $1 AND company_id = $2",  # noqa: S608 - table checked above
        item_id,
        company_id,
    )
    return status != "DELETE 0"


async def insert_buyer(conn: Connection, company_id: uuid.UUID, **buyer: Any) -> None:
    await conn.execute(
        """INSERT INTO buyers (company_id, email, street, postal_code, city, reference_rules, terms_pdf,
                               terms_version, terms_sha256, peppol_id, channels)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        company_id,
        buyer["email"],
        buyer["street"],
        buyer["postal_code"],
        buyer["city"],
        buyer["reference_rules"],
        buyer["terms_pdf"],
        buyer["terms_version"],
        buyer["terms_sha256"],
        buyer["peppol_id"],
        buyer["channels"],
    )


async def save_channels(
    conn: Connection, buyer_id: uuid.UUID, peppol_id: str | None, channels: list[str]
) -> bool:
    """How the buyer receives its invoices from now on; False when there is no such buyer."""
    saved = await conn.fetchval(
        """UPDATE buyers SET peppol_id = $2, channels = $3 WHERE company_id = $1 RETURNING true""",
        buyer_id,
        peppol_id,
        channels,
    )
    return bool(saved)


async def buyers(conn: Connection, buyer_id: uuid.UUID | None = None) -> list[Row]:
    return await conn.fetch(
        """SELECT c.*, b.email, b.street, b.postal_code, b.city, b.reference_rules, b.terms_version,
                  b.terms_sha256, b.peppol_id, b.channels
           FROM companies c JOIN buyers b ON b.company_id = c.id
           WHERE $1::uuid IS NULL OR c.id = $1 ORDER BY c.name""",
        buyer_id,
    )


async def bank_account_of(
    conn: Connection, company_id: uuid.UUID, account_id: uuid.UUID
) -> Row | None:
    """The company's account, locked for a change; None when it is not this company's."""
    return await conn.fetchrow(
        "SELECT * FROM bank_accounts WHERE id = $1 AND company_id = $2 FOR UPDATE",
        account_id,
        company_id,
    )


async def lock_company(conn: Connection, company_id: uuid.UUID) -> Row:
    """The company, locked: its changes and their audit entries follow one another in order."""
    row = await conn.fetchrow("SELECT * FROM companies WHERE id = $1 FOR UPDATE", company_id)
    assert row is not None
    return row


async def emails_of(conn: Connection, company_id: uuid.UUID) -> list[str]:
    rows = await conn.fetch(
        "SELECT DISTINCT email FROM users WHERE company_id = $1 ORDER BY email", company_id
    )
    return [r["email"] for r in rows]


async def insert_audit_entry(conn: Connection, **entry: Any) -> None:
    await conn.execute(
        """INSERT INTO audit_log (company_id, user_id, user_email, action, before, after,
                                  occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        entry["company_id"],
        entry["user_id"],
        entry["user_email"],
        entry["action"],
        entry["before"],
        entry["after"],
        entry["occurred_at"],
    )


async def audit_entries_of(conn: Connection, company_id: uuid.UUID, limit: int) -> list[Row]:
    return await conn.fetch(
        """SELECT id, occurred_at, user_id, user_email, action, before, after FROM audit_log
           WHERE company_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2""",
        company_id,
        limit,
    )


async def buyer_suppliers(conn: Connection, buyer_id: uuid.UUID, query: str) -> list[Row]:
    """The buyer's connected or invited supplier companies, with whether each accepted the
    buyer's current terms."""
    return await conn.fetch(
        """SELECT k.*, c.name AS supplier_name, (k.terms_version, k.terms_sha256) = (b.terms_version, b.terms_sha256)
                  AS current_terms,
                  (SELECT string_agg(u.email, ', ' ORDER BY u.email) FROM users u
                   WHERE u.company_id = c.id) AS emails
           FROM connections k JOIN companies c ON c.id = k.supplier_id
                JOIN buyers b ON b.company_id = k.buyer_id
           WHERE k.buyer_id = $1 AND ($2 = '' OR c.name ILIKE '%' || $2 || '%'
                 OR EXISTS (SELECT 1 FROM users u WHERE u.company_id = c.id
                            AND u.email ILIKE '%' || $2 || '%'))""",
        buyer_id,
        query,
    )


async def unregistered_invitations(conn: Connection, buyer_id: uuid.UUID, query: str) -> list[Row]:
    """The buyer's invitations of suppliers whose address has no company in the portal yet."""
    return await conn.fetch(
        """SELECT i.* FROM invitations i
           WHERE i.buyer_id = $1
             AND NOT EXISTS (SELECT 1 FROM users u
                             WHERE lower(u.email) = lower(i.email) AND u.company_id IS NOT NULL)
             AND ($2 = '' OR i.email ILIKE '%' || $2 || '%'
                  OR (i.first_name || ' ' || i.last_name) ILIKE '%' || $2 || '%')""",
        buyer_id,
        query,
    )


async def renew_invitation(
    conn: Connection, buyer_id: uuid.UUID, invitation_id: uuid.UUID, expires_at: datetime
) -> Row | None:
    """The buyer's invitation, open for longer; none if it is another buyer's, or its address
    already has a company here (its registration is done, a new link would open nothing)."""
    return await conn.fetchrow(
        """UPDATE invitations i SET expires_at = $3
           WHERE i.id = $2 AND i.buyer_id = $1
             AND NOT EXISTS (SELECT 1 FROM users u
                             WHERE lower(u.email) = lower(i.email) AND u.company_id IS NOT NULL)
           RETURNING i.*""",
        buyer_id,
        invitation_id,
        expires_at,
    )


async def buyer_terms(conn: Connection, buyer_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow(
        """SELECT b.terms_version, b.terms_sha256, b.reference_rules,
                  coalesce(b.terms_changed_at, c.created_at) AS terms_changed_at
           FROM buyers b JOIN companies c ON c.id = b.company_id
           WHERE b.company_id = $1 FOR UPDATE OF b""",
        buyer_id,
    )


async def save_terms(
    conn: Connection, buyer_id: uuid.UUID, pdf: bytes, version: str, sha256: str, now: datetime
) -> None:
    await conn.execute(
        """UPDATE buyers SET terms_pdf = $2, terms_version = $3, terms_sha256 = $4,
                             terms_changed_at = $5
           WHERE company_id = $1""",
        buyer_id,
        pdf,
        version,
        sha256,
        now,
    )


async def save_reference_rules(
    conn: Connection, buyer_id: uuid.UUID, rules: list[dict[str, Any]]
) -> None:
    await conn.execute(
        "UPDATE buyers SET reference_rules = $2 WHERE company_id = $1", buyer_id, rules
    )
