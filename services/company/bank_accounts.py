"""A supplier's bank accounts: what a fraudster changes to be paid instead of the supplier.

Adding, changing or removing one asks identity first whether the user typed the password again
(and the second-factor code, when on); then the change, its audit entry, the
`company.bank_account_changed` event that tells every user of the company, and the new profile
commit together.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Literal

import asyncpg

from services.company import audit, db, roles
from services.company.schemas import BankAccountForm
from services.company.suppliers import PRODUCER, Deps, checked, publish_profile
from shared import identifiers
from shared.countries import is_country
from shared.db import Connection, row_to
from shared.errors import FieldErrors, NotFound, missing
from shared.events.company import BankAccount, BankAccountChanged
from shared.outbox import add_event
from shared.sessions import Principal

# Asks identity, and raises its refusal at the password or code field.
Reauthenticate = Callable[[], Awaitable[None]]
AUDIT_ACTIONS: dict[str, audit.Action] = {
    "added": "bank_account.added",
    "changed": "bank_account.changed",
    "removed": "bank_account.removed",
}


def validate(form: BankAccountForm) -> tuple[str, str | None]:
    """The normalised account number and BIC, or every field's error at once."""
    errors = missing(form, "bank_name")
    if not is_country(form.bank_country):
        errors.append(("bank_country", "country.invalid", {}))
    number, bic = "", None
    if form.kind == "":
        errors.append(("kind", "bank.number_kind", {}))
    else:
        check = {
            "bankgiro": identifiers.bankgiro,
            "plusgiro": identifiers.plusgiro,
            "iban": identifiers.iban,
        }
        number = checked(errors, "number", check[form.kind](form.number))
    if form.kind == "iban":
        bic = checked(errors, "bic", identifiers.bic(form.bic)) if form.bic else None
        if not form.bic:
            errors.append(("bic", "bank.bic_required", {}))
    if errors:
        raise FieldErrors(errors)
    return number, bic


async def listed(deps: Deps, principal: Principal) -> list[BankAccount]:
    async with deps.pool.acquire() as conn:
        company = await _company(conn, principal)
        return [row_to(BankAccount, r) for r in await db.bank_accounts_of(conn, company["id"])]


async def save(
    deps: Deps,
    principal: Principal,
    form: BankAccountForm,
    account_id: uuid.UUID | None,
    reauthenticate: Reauthenticate,
) -> BankAccount:
    number, bic = validate(form)
    fields = {
        "bank_name": form.bank_name,
        "bank_country": form.bank_country,
        "kind": form.kind,
        "number": number,
        "bic": bic,
    }
    await _refuse_unless_owned(deps, principal, account_id)
    await reauthenticate()  # before the transaction: no HTTP call while it holds locks
    item_id = account_id or uuid.uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        company = await _company(conn, principal, lock=True)
        before = await db.bank_account_of(conn, company["id"], account_id) if account_id else None
        if account_id is not None and before is None:
            raise NotFound("not_found")
        if not await db.save_bank_account(conn, company["id"], item_id, deps.now, **fields):
            raise NotFound("not_found")
        await _record(conn, deps, principal, company, item_id, before, fields)
    return BankAccount.model_validate({"id": item_id, **fields})


async def remove(
    deps: Deps, principal: Principal, account_id: uuid.UUID, reauthenticate: Reauthenticate
) -> None:
    await _refuse_unless_owned(deps, principal, account_id)
    await reauthenticate()
    async with deps.pool.acquire() as conn, conn.transaction():
        company = await _company(conn, principal, lock=True)
        before = await db.bank_account_of(conn, company["id"], account_id)
        if before is None:
            raise NotFound("not_found")
        await db.delete_owned(conn, "bank_accounts", company["id"], account_id)
        await _record(conn, deps, principal, company, account_id, before, None)


async def _company(conn: Connection, principal: Principal, lock: bool = False) -> asyncpg.Record:
    """The user's company; locked for a change, which only its admins may make."""
    row = await audit.company_of(conn, principal)
    if not lock:
        return row
    await roles.require_admin(conn, principal, "supplier")
    return await db.lock_company(conn, row["id"])


async def _refuse_unless_owned(
    deps: Deps, principal: Principal, account_id: uuid.UUID | None
) -> None:
    """Another company's account is not found, and a user who is no admin is refused, before
    anyone is asked for a password."""
    async with deps.pool.acquire() as conn:
        company = await _company(conn, principal)
        await roles.require_admin(conn, principal, "supplier")
        if account_id is not None and not await conn.fetchval(
            "SELECT true FROM bank_accounts WHERE id = $1 AND company_id = $2",
            account_id,
            company["id"],
        ):
            raise NotFound("not_found")


async def _record(
    conn: Connection,
    deps: Deps,
    principal: Principal,
    company: asyncpg.Record,
    account_id: uuid.UUID,
    before: audit.Fields | None,
    after: audit.Fields | None,
) -> None:
    """The audit entry, the event that tells every user, and the profile as it now stands."""
    action: Literal["added", "changed", "removed"] = (
        "added" if before is None else "removed" if after is None else "changed"
    )
    await audit.record(
        conn,
        company["id"],
        principal,
        deps.now,
        AUDIT_ACTIONS[action],
        audit.account_values(before),
        audit.account_values(after),
    )
    await add_event(
        conn,
        BankAccountChanged(
            company_id=company["id"],
            company_name=company["name"],
            account_id=account_id,
            action=action,
            before=audit.masked_account(before) if before else None,
            after=audit.masked_account(after) if after else None,
            changed_by_user_id=principal.user_id,
            changed_by_email=principal.email,
            changed_by_name=f"{principal.first_name} {principal.last_name}".strip(),
            changed_at=deps.now,
            recipients=await db.emails_of(conn, company["id"]),
        ),
        producer=PRODUCER,
    )
    await publish_profile(conn, company["id"])
