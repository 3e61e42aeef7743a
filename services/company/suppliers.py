"""What a supplier's user does: describe the company, connect to buyers, keep the profile.

Every change that others need ends in a `company.supplier_profile_changed` event with the whole
profile, in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from services.company import audit, db, roles
from services.company.schemas import AddressForm, Company, CompanyForm, Connection
from shared import identifiers
from shared.countries import is_country
from shared.db import Connection as Conn
from shared.db import row_to
from shared.errors import Conflict, FieldError, FieldErrors, NotFound, missing
from shared.events.company import (
    Address,
    BankAccount,
    ConnectionEstablished,
    SupplierProfileChanged,
    TermsAccepted,
)
from shared.outbox import add_event
from shared.sessions import Principal

PRODUCER = "company"


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    now: datetime


def company_model(row: asyncpg.Record) -> Company:
    return row_to(Company, row)


def checked(errors: list[FieldError], field: str, result: identifiers.Result) -> str:
    if isinstance(result, identifiers.Invalid):
        errors.append((field, result.code, result.params))
        return ""
    return result


def validate_company(form: CompanyForm) -> tuple[str, str | None]:
    """The normalised organisation and VAT numbers, or every field's error at once."""
    errors = missing(form, "name")
    if not is_country(form.country):
        errors.append(("country", "country.invalid", {}))
    if form.country == "SE":
        orgnr = checked(
            errors, "organisation_number", identifiers.organisation_number(form.organisation_number)
        )
    else:
        orgnr = form.organisation_number.upper().replace(" ", "")
        errors += missing(form, "organisation_number")
    vat: str | None = None
    if form.no_vat_number:
        if form.vat_number:
            errors.append(("vat_number", "vat.not_expected", {}))
    elif is_country(form.country):
        vat = checked(
            errors,
            "vat_number",
            identifiers.vat_number(form.vat_number, form.country, orgnr or None),
        )
    if errors:
        raise FieldErrors(errors)
    return orgnr, vat


async def company_of(deps: Deps, principal: Principal) -> Company:
    async with deps.pool.acquire() as conn:
        row = await db.company_of_user(conn, principal.user_id)
    if row is None:
        raise NotFound("company.missing")
    return company_model(row)


async def save_company(deps: Deps, principal: Principal, form: CompanyForm) -> Company:
    orgnr, vat = validate_company(form)
    async with deps.pool.acquire() as conn, conn.transaction():
        user = await db.lock_user(conn, principal.user_id, principal.email)
        if user["company_id"] is not None:
            await roles.require_admin(conn, principal, "supplier")
        taken = await db.company_with_number(conn, "supplier", form.country, orgnr, vat)
        if taken is not None and taken["id"] != user["company_id"]:
            field, code = (
                ("organisation_number", "company.organisation_number_taken")
                if taken["organisation_number"] == orgnr
                else ("vat_number", "company.vat_number_taken")
            )
            raise FieldErrors([(field, code, {})])
        fields = {
            "name": form.name,
            "country": form.country,
            "organisation_number": orgnr,
            "vat_number": vat,
            "f_skatt": form.f_skatt,
            "now": deps.now,
        }
        company_id = user["company_id"]
        before = None
        if company_id is None:
            company_id = uuid.uuid4()
            await db.insert_company(conn, id=company_id, kind="supplier", **fields)
            await db.join(conn, principal.user_id, company_id, "admin", deps.now)
            for invitation in await db.invitations_for(conn, user, deps.now):
                await db.add_connection(conn, company_id, invitation["buyer_id"], deps.now)
        else:
            before = audit.company_values(await db.lock_company(conn, company_id))
            await db.update_company(conn, company_id, **fields)
        await publish_profile(conn, company_id)
        row = await db.company_of_user(conn, principal.user_id)
        assert row is not None
        if (after := audit.company_values(row)) != before:
            action: audit.Action = "company.created" if before is None else "company.changed"
            await audit.record(conn, company_id, principal, deps.now, action, before, after)
    return company_model(row)


async def publish_profile(conn: Conn, company_id: uuid.UUID) -> None:
    """Record the whole profile as it now stands, with the next revision."""
    revision = await db.bump_revision(conn, company_id)
    company = await conn.fetchrow("SELECT * FROM companies WHERE id = $1", company_id)
    assert company is not None
    await add_event(
        conn,
        SupplierProfileChanged(
            company_id=company_id,
            revision=revision,
            name=company["name"],
            country=company["country"],
            organisation_number=company["organisation_number"],
            vat_number=company["vat_number"],
            f_skatt=company["f_skatt"],
            addresses=[row_to(Address, r) for r in await db.addresses_of(conn, company_id)],
            bank_accounts=[
                row_to(BankAccount, r) for r in await db.bank_accounts_of(conn, company_id)
            ],
            user_ids=await db.user_ids_of(conn, company_id),
        ),
        producer=PRODUCER,
    )


async def _company_id(conn: Conn, principal: Principal, *, admin: bool = False) -> uuid.UUID:
    """The user's supplier company; with `admin`, only for the company's admins."""
    company_id: uuid.UUID = (await audit.company_of(conn, principal))["id"]
    if admin:
        await roles.require_admin(conn, principal, "supplier")
    return company_id


def connection_model(row: asyncpg.Record) -> Connection:
    accepted = (row["terms_version"], row["terms_sha256"])
    current = (row["current_terms_version"], row["current_terms_sha256"])
    changed = row["state"] != "invited" and accepted != current
    return Connection(
        buyer_id=row["buyer_id"],
        buyer_name=row["buyer_name"],
        state="terms_changed" if changed else row["state"],
        invited_at=row["invited_at"],
        terms_version=row["current_terms_version"],
        terms_accepted_at=row["terms_accepted_at"],
        connected_at=row["connected_at"],
    )


async def connections(deps: Deps, principal: Principal) -> list[Connection]:
    async with deps.pool.acquire() as conn:
        company_id = await _company_id(conn, principal)
        return [connection_model(r) for r in await db.connections_of(conn, company_id)]


async def connection(deps: Deps, principal: Principal, buyer_id: uuid.UUID) -> Connection:
    async with deps.pool.acquire() as conn:
        company_id = await _company_id(conn, principal)
        row = await db.connection(conn, company_id, buyer_id)
    if row is None:
        raise NotFound("not_found")
    return connection_model(row)


async def terms_pdf(deps: Deps, principal: Principal, buyer_id: uuid.UUID) -> tuple[bytes, str]:
    """The buyer's terms of use, for a supplier the buyer invited."""
    async with deps.pool.acquire() as conn:
        company_id = await _company_id(conn, principal)
        if await db.connection(conn, company_id, buyer_id) is None:
            raise NotFound("not_found")
        terms = await db.terms_of(conn, buyer_id)
    assert terms is not None
    return bytes(terms["terms_pdf"]), terms["terms_version"]


async def accept_terms(
    deps: Deps, principal: Principal, buyer_id: uuid.UUID, confirmed: bool
) -> Connection:
    if not confirmed:
        raise FieldErrors([("confirmed", "terms.not_confirmed", {})])
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await _company_id(conn, principal, admin=True)
        row = await db.connection(conn, company_id, buyer_id)
        if row is None:
            raise NotFound("not_found")
        version, sha256 = row["current_terms_version"], row["current_terms_sha256"]
        await db.accept_terms(
            conn, company_id, buyer_id, version, sha256, principal.user_id, deps.now
        )
        await add_event(
            conn,
            TermsAccepted(
                supplier_id=company_id,
                buyer_id=buyer_id,
                user_id=principal.user_id,
                terms_version=version,
                terms_sha256=sha256,
                accepted_at=deps.now,
            ),
            producer=PRODUCER,
        )
        accepted = await db.connection(conn, company_id, buyer_id)
    assert accepted is not None
    return connection_model(accepted)


async def connect(deps: Deps, principal: Principal, buyer_id: uuid.UUID) -> Connection:
    """Complete the connection; refused until the buyer's current terms are accepted."""
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await _company_id(conn, principal, admin=True)
        row = await db.connection(conn, company_id, buyer_id)
        if row is None:
            raise NotFound("not_found")
        if row["state"] == "invited" or row["terms_sha256"] != row["current_terms_sha256"]:
            raise Conflict("connection.terms_first")
        if row["state"] != "connected":
            await db.mark_connected(conn, company_id, buyer_id, principal.user_id, deps.now)
            await add_event(
                conn,
                ConnectionEstablished(
                    supplier_id=company_id,
                    buyer_id=buyer_id,
                    user_id=principal.user_id,
                    connected_at=deps.now,
                ),
                producer=PRODUCER,
            )
        connected = await db.connection(conn, company_id, buyer_id)
    assert connected is not None
    return connection_model(connected)


def validate_address(form: AddressForm) -> None:
    errors = missing(form, "name", "street", "postal_code", "city", "phone")
    if not is_country(form.country):
        errors.append(("country", "country.invalid", {}))
    if errors:
        raise FieldErrors(errors)


async def addresses(deps: Deps, principal: Principal) -> list[Address]:
    async with deps.pool.acquire() as conn:
        company_id = await _company_id(conn, principal)
        return [row_to(Address, r) for r in await db.addresses_of(conn, company_id)]


async def save_address(
    deps: Deps, principal: Principal, form: AddressForm, address_id: uuid.UUID | None
) -> Address:
    validate_address(form)
    item_id = address_id or uuid.uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await _company_id(conn, principal, admin=True)
        if address_id is not None and not await _owns_address(conn, company_id, address_id):
            raise NotFound("not_found")
        if not await db.save_address(conn, company_id, item_id, deps.now, **form.model_dump()):
            raise NotFound("not_found")
        await publish_profile(conn, company_id)
    return Address(id=item_id, **form.model_dump())


async def delete_address(deps: Deps, principal: Principal, item_id: uuid.UUID) -> None:
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await _company_id(conn, principal, admin=True)
        if not await db.delete_owned(conn, "addresses", company_id, item_id):
            raise NotFound("not_found")
        await publish_profile(conn, company_id)


async def _owns_address(conn: Conn, company_id: uuid.UUID, address_id: uuid.UUID) -> bool:
    owner = await conn.fetchval("SELECT company_id FROM addresses WHERE id = $1", address_id)
    return bool(owner == company_id)
