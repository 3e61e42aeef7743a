"""The supplier's audit log: each change of a bank account or of the company information, who
made it and when, old and new values with account numbers masked.

Rows are added in the transaction that makes the change and never altered (the table refuses
updates and deletes); a company reads only its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import asyncpg

from services.company import db
from services.company.schemas import AuditEntry
from shared.db import Connection, row_to
from shared.errors import NotFound
from shared.events.company import MaskedBankAccount
from shared.sessions import Principal

Action = Literal[
    "bank_account.added",
    "bank_account.changed",
    "bank_account.removed",
    "company.created",
    "company.changed",
]
Values = dict[str, Any]
# A row as read, or the fields about to be written.
Fields = Mapping[str, Any] | asyncpg.Record
COMPANY_FIELDS = ("name", "country", "organisation_number", "vat_number", "f_skatt")
ENTRIES_SHOWN = 500


def masked_number(kind: str, number: str) -> str:
    """Enough to recognise an account, not to pay into it: `****-1055`, `SE** **** … 1234`."""
    if kind == "iban":
        compact = number.replace(" ", "")
        hidden = compact[:2] + "*" * (len(compact) - 6) + compact[-4:]
        return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))
    digits = "".join(c for c in number if c.isdigit())
    return f"****-{digits[-4:]}"


def masked_account(account: Fields) -> MaskedBankAccount:
    return MaskedBankAccount(
        bank_name=account["bank_name"],
        kind=account["kind"],
        masked_number=masked_number(account["kind"], account["number"]),
    )


def account_values(account: Fields | None) -> Values | None:
    if account is None:
        return None
    return {
        "bank_name": account["bank_name"],
        "bank_country": account["bank_country"],
        "kind": account["kind"],
        "number": masked_number(account["kind"], account["number"]),
        "bic": account["bic"],
    }


def company_values(company: Fields | None) -> Values | None:
    return None if company is None else {k: company[k] for k in COMPANY_FIELDS}


async def company_of(conn: Connection, principal: Principal) -> asyncpg.Record:
    """The user's own company; none yet is `company.missing`."""
    row = await db.company_of_user(conn, principal.user_id)
    if row is None:
        raise NotFound("company.missing")
    return row


async def record(
    conn: Connection,
    company_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    action: Action,
    before: Values | None,
    after: Values | None,
) -> None:
    await db.insert_audit_entry(
        conn,
        company_id=company_id,
        user_id=principal.user_id,
        user_email=principal.email,
        action=action,
        before=before,
        after=after,
        occurred_at=now,
    )


async def entries(pool: asyncpg.Pool, principal: Principal) -> list[AuditEntry]:
    """The latest entries of the user's own company, newest first."""
    async with pool.acquire() as conn:
        company = await company_of(conn, principal)
        rows = await db.audit_entries_of(conn, company["id"], ENTRIES_SHOWN)
    return [row_to(AuditEntry, row) for row in rows]
