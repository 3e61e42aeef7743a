"""What an operator does for a buyer: register it with its terms and rules, invite suppliers."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import asyncpg
from pydantic import TypeAdapter

from services.company import db
from services.company.schemas import (
    Buyer,
    BuyerForm,
    ChannelsForm,
    CompanyForm,
    Invitation,
    InvitationForm,
)
from services.company.suppliers import PRODUCER, checked, validate_company
from shared import identifiers
from shared.db import Connection
from shared.email_address import normalize_email
from shared.errors import FieldError, FieldErrors, NotFound, missing
from shared.events.company import BuyerChanged, Channel, ReferenceRule, SupplierInvited
from shared.outbox import add_event

PRESETS = Path(__file__).parent / "presets"
RULES = TypeAdapter(list[ReferenceRule])


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    now: datetime
    public_url: str
    invitation_days: int


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS.glob("*.json"))


def load_preset(name: str) -> list[ReferenceRule]:
    if name not in preset_names():
        raise FieldErrors([("rules_preset", "rules.unknown", {})])
    return RULES.validate_json((PRESETS / f"{name}.json").read_bytes())


def buyer_model(row: asyncpg.Record) -> Buyer:
    return Buyer.model_validate({**dict(row), "reference_rules": row["reference_rules"]})


def validate_channels(
    channels: list[Channel], peppol_id: str, errors: list[FieldError]
) -> tuple[list[Channel], str | None]:
    """The channels, each once in a fixed order, and the normalised participant id (None when
    none is given); a problem of either is added to `errors`. Peppol needs a participant id."""
    chosen: list[Channel] = [c for c in ("mail", "peppol", "api") if c in channels]
    if not chosen:
        errors.append(("channels", "channels.empty", {}))
    if not peppol_id.strip():
        if "peppol" in chosen:
            errors.append(("peppol_id", "channels.peppol_needs_id", {}))
        return chosen, None
    return chosen, checked(errors, "peppol_id", identifiers.peppol_participant_id(peppol_id))


def terms_pdf(encoded: str, field: str, errors: list[FieldError]) -> bytes:
    """The terms' PDF from its base64 text; anything that is not a PDF is an error of `field`."""
    try:
        pdf = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        pdf = b""
    if not pdf.startswith(b"%PDF-"):
        errors.append((field, "terms.not_pdf", {}))
    return pdf


async def announce(conn: Connection, buyer_id: uuid.UUID) -> asyncpg.Record:
    """Bump the buyer's revision and publish it whole, as it now is; the buyer's row."""
    await db.bump_revision(conn, buyer_id)
    row = (await db.buyers(conn, buyer_id))[0]
    await add_event(
        conn,
        BuyerChanged(
            buyer_id=buyer_id,
            revision=row["revision"],
            name=row["name"],
            country=row["country"],
            organisation_number=row["organisation_number"],
            vat_number=row["vat_number"],
            email=row["email"],
            street=row["street"],
            postal_code=row["postal_code"],
            city=row["city"],
            reference_rules=RULES.validate_python(row["reference_rules"]),
            terms_version=row["terms_version"],
            peppol_id=row["peppol_id"],
            channels=row["channels"],
        ),
        producer=PRODUCER,
    )
    return row


async def create_buyer(deps: Deps, form: BuyerForm) -> Buyer:
    company = CompanyForm(
        name=form.name,
        country=form.country,
        organisation_number=form.organisation_number,
        vat_number=form.vat_number,
        no_vat_number=not form.vat_number,
    )
    errors = missing(form, "email", "street", "postal_code", "city", "terms_version")
    try:
        orgnr, vat = validate_company(company)
    except FieldErrors as invalid:
        errors = invalid.errors + errors
        orgnr, vat = "", None
    email = normalize_email(form.email) if form.email else None
    if form.email and email is None:
        errors.append(("email", "email.invalid", {}))
    pdf = terms_pdf(form.terms_pdf_base64, "terms_pdf_base64", errors)
    rules = form.reference_rules
    if rules is None:
        try:
            rules = load_preset(form.rules_preset)
        except FieldErrors as invalid:
            errors += invalid.errors
    channels, peppol_id = validate_channels(form.channels, form.peppol_id, errors)
    if errors:
        raise FieldErrors(errors)
    assert rules is not None and email is not None
    buyer_id = uuid.uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        if await db.company_with_number(conn, "buyer", form.country, orgnr, vat) is not None:
            raise FieldErrors([("organisation_number", "company.organisation_number_taken", {})])
        await db.insert_company(
            conn,
            id=buyer_id,
            kind="buyer",
            name=form.name,
            country=form.country,
            organisation_number=orgnr,
            vat_number=vat,
            f_skatt=False,
            now=deps.now,
        )
        await db.insert_buyer(
            conn,
            buyer_id,
            email=email,
            street=form.street,
            postal_code=form.postal_code,
            city=form.city,
            reference_rules=[r.model_dump() for r in rules],
            terms_pdf=pdf,
            terms_version=form.terms_version,
            terms_sha256=hashlib.sha256(pdf).hexdigest(),
            peppol_id=peppol_id,
            channels=channels,
        )
        row = await announce(conn, buyer_id)
    return buyer_model(row)


async def set_channels(deps: Deps, buyer_id: uuid.UUID, form: ChannelsForm) -> Buyer:
    """Change how the buyer receives its invoices; invoices sent from then on follow it."""
    errors: list[FieldError] = []
    channels, peppol_id = validate_channels(form.channels, form.peppol_id, errors)
    if errors:
        raise FieldErrors(errors)
    async with deps.pool.acquire() as conn, conn.transaction():
        if not await db.save_channels(conn, buyer_id, peppol_id, list(channels)):
            raise NotFound("not_found")
        row = await announce(conn, buyer_id)
    return buyer_model(row)


async def list_buyers(deps: Deps) -> list[Buyer]:
    async with deps.pool.acquire() as conn:
        return [buyer_model(r) for r in await db.buyers(conn)]


def invitation_problems(form: InvitationForm, at: str = "") -> tuple[str | None, list[FieldError]]:
    """The invitation's normalised address and its problems, each field named after `at`."""
    errors = [
        (at + field, code, params)
        for field, code, params in missing(form, "email", "first_name", "last_name")
    ]
    email = normalize_email(form.email) if form.email else None
    if form.email and email is None:
        errors.append((at + "email", "email.invalid", {}))
    return email, errors


async def invite(deps: Deps, buyer_id: uuid.UUID, form: InvitationForm) -> Invitation:
    """Invite a supplier by e-mail; a supplier already registered is connected as invited at once."""
    email, errors = invitation_problems(form)
    if errors:
        raise FieldErrors(errors)
    assert email is not None
    async with deps.pool.acquire() as conn, conn.transaction():
        buyers = await db.buyers(conn, buyer_id)
        if not buyers:
            raise NotFound("not_found")
        return await add_invitation(conn, deps, buyers[0], form, email)


async def add_invitation(
    conn: Connection, deps: Deps, buyer: asyncpg.Record, form: InvitationForm, email: str
) -> Invitation:
    """Record a checked invitation and announce it in the caller's transaction."""
    invitation_id = uuid.uuid4()
    expires_at = deps.now + timedelta(days=deps.invitation_days)
    await db.insert_invitation(
        conn,
        id=invitation_id,
        buyer_id=buyer["id"],
        email=email,
        first_name=form.first_name,
        last_name=form.last_name,
        language=form.language,
        created_at=deps.now,
        expires_at=expires_at,
    )
    for supplier_id in await db.suppliers_of_email(conn, email):
        await db.add_connection(conn, supplier_id, buyer["id"], deps.now)
    return await announce_invitation(conn, deps, buyer, invitation_id, form, email, expires_at)


async def announce_invitation(
    conn: Connection,
    deps: Deps,
    buyer: asyncpg.Record,
    invitation_id: uuid.UUID,
    form: InvitationForm,
    email: str,
    expires_at: datetime,
) -> Invitation:
    """Mail the invitation with a fresh token; identity keeps only the newest token of an
    invitation, so a link mailed before stops working."""
    token = secrets.token_urlsafe(32)
    await add_event(
        conn,
        SupplierInvited(
            invitation_id=invitation_id,
            buyer_id=buyer["id"],
            buyer_name=buyer["name"],
            email=email,
            first_name=form.first_name,
            last_name=form.last_name,
            language=form.language,
            invitation_token=token,
            expires_at=expires_at,
        ),
        producer=PRODUCER,
    )
    link = f"{deps.public_url.rstrip('/')}/register?invitation={quote(token)}"
    return Invitation(invitation_id=invitation_id, link=link, expires_at=expires_at)
