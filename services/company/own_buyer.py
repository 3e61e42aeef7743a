"""What a buyer's users do for their buyer: see its suppliers and invite more (one by one or a
whole CSV file at once, all or nothing), send an invitation again, put new terms of use in place
and keep the reference rules that the invoice service checks every invoice against.

Any of the buyer's users may look; only its admins change anything. A change of terms or rules
is published whole with `company.buyer_changed` in the same transaction; an invitation is mailed
through `company.supplier_invited`.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from datetime import timedelta

import asyncpg
from pydantic import ValidationError

from services.company import db, roles
from services.company.buyers import (
    RULES,
    Deps,
    add_invitation,
    announce,
    announce_invitation,
    invitation_problems,
    invite,
    terms_pdf,
)
from services.company.schemas import (
    BuyerSupplier,
    BuyerTerms,
    Invitation,
    InvitationForm,
    InvitationsSent,
    RulesForm,
    RuleTrial,
    RuleVerdict,
    SupplierState,
)
from shared.errors import FieldError, FieldErrors, NotFound
from shared.events.company import ReferenceRule
from shared.reference_rules import REFERENCE_FIELDS, reference_problem, rule_problems
from shared.sessions import Principal

IMPORT_LIMIT = 1000
HEADER_WORDS = {"email", "e-mail", "e-post", "epost"}
COLUMNS = ("email", "first_name", "last_name", "language")


async def _buyer(deps: Deps, principal: Principal, *, admin: bool = False) -> uuid.UUID:
    async with deps.pool.acquire() as conn:
        check = roles.require_admin if admin else roles.member_of
        row: asyncpg.Record = await check(conn, principal, "buyer")
    buyer_id: uuid.UUID = row["company_id"]
    return buyer_id


def supplier_state(row: asyncpg.Record) -> SupplierState:
    """A connection's state as its buyer reads it: new terms undo an earlier acceptance."""
    if row["state"] != "invited" and not row["current_terms"]:
        return "terms_changed"
    state: SupplierState = row["state"]
    return state


async def suppliers(deps: Deps, principal: Principal, query: str = "") -> list[BuyerSupplier]:
    """The buyer's supplier companies and open or lapsed invitations, newest first."""
    buyer_id = await _buyer(deps, principal)
    query = query.strip()[:100]
    async with deps.pool.acquire() as conn:
        companies = await db.buyer_suppliers(conn, buyer_id, query)
        waiting = await db.unregistered_invitations(conn, buyer_id, query)
    found = [
        BuyerSupplier(
            supplier_id=r["supplier_id"],
            invitation_id=None,
            name=r["supplier_name"],
            email=r["emails"] or "",
            state=supplier_state(r),
            invited_at=r["invited_at"],
            expires_at=None,
        )
        for r in companies
    ] + [
        BuyerSupplier(
            supplier_id=None,
            invitation_id=r["id"],
            name=f"{r['first_name']} {r['last_name']}",
            email=r["email"],
            state="expired" if r["expires_at"] <= deps.now else "not_registered",
            invited_at=r["created_at"],
            expires_at=r["expires_at"],
        )
        for r in waiting
    ]
    return sorted(found, key=lambda s: s.invited_at, reverse=True)


async def invite_supplier(deps: Deps, principal: Principal, form: InvitationForm) -> Invitation:
    return await invite(deps, await _buyer(deps, principal, admin=True), form)


def parsed_rows(text: str) -> tuple[list[tuple[int, InvitationForm, str]], list[FieldError]]:
    """The file's invitations by row number (as a spreadsheet counts them) and every row's
    problems, each at `rows.<number>.<column>`."""
    lines = text.removeprefix("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows: list[tuple[int, InvitationForm, str]] = []
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or (not rows and cells[0].lower() in HEADER_WORDS):
            continue
        at = f"rows.{number}."
        if len(cells) not in (3, 4):
            errors.append((at + "columns", "import.columns", {"found": len(cells)}))
            continue
        values = dict(zip(COLUMNS, cells, strict=False))
        values["language"] = values.get("language", "").lower() or "sv"
        try:
            form = InvitationForm.model_validate(values)
        except ValidationError as invalid:
            errors += [
                (at + str(e["loc"][0]), "import.value_invalid", {}) for e in invalid.errors()
            ]
            continue
        email, problems = invitation_problems(form, at)
        errors += problems
        if email is not None and email.lower() in seen:
            errors.append((at + "email", "import.duplicate", {"row": seen[email.lower()]}))
        elif email is not None and not problems:
            seen[email.lower()] = number
            rows.append((number, form, email))
    if not rows and not errors:
        errors.append(("csv", "import.empty", {}))
    if len(rows) > IMPORT_LIMIT:
        errors.append(("csv", "import.too_many", {"limit": IMPORT_LIMIT}))
    return rows, errors


async def import_suppliers(deps: Deps, principal: Principal, text: str) -> InvitationsSent:
    """Invite every supplier of the file, or (when any row is wrong) no one at all."""
    buyer_id = await _buyer(deps, principal, admin=True)
    rows, errors = parsed_rows(text)
    if errors:
        raise FieldErrors(errors)
    async with deps.pool.acquire() as conn, conn.transaction():
        buyer = (await db.buyers(conn, buyer_id))[0]
        for _number, form, email in rows:
            await add_invitation(conn, deps, buyer, form, email)
    return InvitationsSent(invited=len(rows))


async def resend(deps: Deps, principal: Principal, invitation_id: uuid.UUID) -> Invitation:
    """Mail the invitation again with a new link, open for as long as a new one; the link mailed
    before stops working."""
    buyer_id = await _buyer(deps, principal, admin=True)
    expires_at = deps.now + timedelta(days=deps.invitation_days)
    async with deps.pool.acquire() as conn, conn.transaction():
        row = await db.renew_invitation(conn, buyer_id, invitation_id, expires_at)
        if row is None:
            raise NotFound("not_found")
        buyer = (await db.buyers(conn, buyer_id))[0]
        form = InvitationForm(
            email=row["email"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            language=row["language"],
        )
        return await announce_invitation(
            conn, deps, buyer, invitation_id, form, row["email"], expires_at
        )


async def terms(deps: Deps, principal: Principal) -> BuyerTerms:
    buyer_id = await _buyer(deps, principal)
    async with deps.pool.acquire() as conn:
        row = await db.buyer_terms(conn, buyer_id)
    assert row is not None
    return BuyerTerms(
        version=row["terms_version"], sha256=row["terms_sha256"], changed_at=row["terms_changed_at"]
    )


async def terms_document(deps: Deps, principal: Principal) -> tuple[bytes, str]:
    buyer_id = await _buyer(deps, principal)
    async with deps.pool.acquire() as conn:
        row = await db.terms_of(conn, buyer_id)
    assert row is not None
    return bytes(row["terms_pdf"]), row["terms_version"]


async def replace_terms(deps: Deps, principal: Principal, version: str, encoded: str) -> BuyerTerms:
    """Put a new version of the terms in place; every supplier accepts it before sending again."""
    buyer_id = await _buyer(deps, principal, admin=True)
    errors: list[FieldError] = []
    if not version:
        errors.append(("version", "required", {}))
    pdf = terms_pdf(encoded, "pdf_base64", errors)
    async with deps.pool.acquire() as conn, conn.transaction():
        current = await db.buyer_terms(conn, buyer_id)
        assert current is not None
        if version and version == current["terms_version"]:
            errors.append(("version", "terms.same_version", {"version": version}))
        if errors:
            raise FieldErrors(errors)
        sha256 = hashlib.sha256(pdf).hexdigest()
        await db.save_terms(conn, buyer_id, pdf, version, sha256, deps.now)
        await announce(conn, buyer_id)
    return BuyerTerms(version=version, sha256=sha256, changed_at=deps.now)


async def rules(deps: Deps, principal: Principal) -> list[ReferenceRule]:
    buyer_id = await _buyer(deps, principal)
    async with deps.pool.acquire() as conn:
        row = await db.buyer_terms(conn, buyer_id)
    assert row is not None
    return RULES.validate_python(row["reference_rules"])


async def save_rules(deps: Deps, principal: Principal, form: RulesForm) -> list[ReferenceRule]:
    """Keep the buyer's rules as edited, once every one is sound; invoices are checked against
    them from the moment the invoice service reads `company.buyer_changed`."""
    buyer_id = await _buyer(deps, principal, admin=True)
    typed = [rule.model_dump() for rule in form.rules]
    errors = rule_problems(typed)
    if errors:
        raise FieldErrors(errors)
    kept = RULES.validate_python(
        [
            {**rule, "pattern": rule["pattern"] or None, "check": rule["check"] or None}
            for rule in typed
        ]
    )
    async with deps.pool.acquire() as conn, conn.transaction():
        await db.lock_company(conn, buyer_id)
        await db.save_reference_rules(conn, buyer_id, [r.model_dump() for r in kept])
        await announce(conn, buyer_id)
    return kept


async def try_value(deps: Deps, principal: Principal, trial: RuleTrial) -> RuleVerdict:
    """Whether the buyer's rules accept a value in a field, as an invoice's would be checked."""
    if trial.field not in REFERENCE_FIELDS:
        raise FieldErrors([("field", "rules.field_unknown", {})])
    found = next((r for r in await rules(deps, principal) if r.field == trial.field), None)
    if found is None or not reference_problem(found, trial.value):
        return RuleVerdict(accepted=True, message_sv=None, message_en=None)
    return RuleVerdict(accepted=False, message_sv=found.message_sv, message_en=found.message_en)
