"""A company's people: invited by e-mail with a role, joining when they register through the
invitation, their roles changed or ended by an admin.

A supplier's admin invites colleagues; the operator invites a buyer's first users, who may then
invite more. Every change of a company's people is announced in the same transaction: a
supplier's in its whole profile (`company.supplier_profile_changed`), a buyer's in
`company.buyer_users_changed`, so the invoice service knows whom to let act for whom.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from urllib.parse import quote

import asyncpg

from services.company import db, roles
from services.company.buyers import Deps
from services.company.schemas import Member, MemberForm, MemberInvitation, Members, Membership
from services.company.suppliers import PRODUCER, publish_profile
from shared.db import Connection, row_to
from shared.email_address import normalize_email
from shared.errors import Conflict, FieldErrors, NotFound, missing
from shared.events.company import BuyerUsersChanged, MemberInvited
from shared.events.identity import UserDeleted, UserRegistered
from shared.outbox import add_event
from shared.sessions import Principal


async def membership(pool: asyncpg.Pool, principal: Principal) -> Membership:
    async with pool.acquire() as conn:
        return row_to(Membership, await _membership(conn, principal))


async def listed(deps: Deps, principal: Principal) -> Members:
    """The company's people and the invitations still open, for any of its members."""
    async with deps.pool.acquire() as conn:
        me = await _membership(conn, principal)
        people = await db.members_of(conn, me["company_id"])
        waiting = await db.open_member_invitations(conn, me["company_id"], deps.now)
    return Members(
        members=[row_to(Member, r) for r in people],
        invitations=[
            MemberInvitation.model_validate({**r, "invitation_id": r["id"]}) for r in waiting
        ],
    )


async def invite_colleague(deps: Deps, principal: Principal, form: MemberForm) -> MemberInvitation:
    """An admin invites someone to the admin's own company."""
    async with deps.pool.acquire() as conn:
        me = await _admin_of(conn, principal)
    name = f"{principal.first_name} {principal.last_name}".strip()
    return await invite(deps, me["company_id"], form, invited_by=(principal.user_id, name))


async def _membership(conn: Connection, principal: Principal) -> asyncpg.Record:
    me = await db.membership(conn, principal.user_id)
    if me is None:
        raise NotFound("company.missing")
    return me


async def _admin_of(conn: Connection, principal: Principal) -> asyncpg.Record:
    return await roles.require_admin(conn, principal, (await _membership(conn, principal))["kind"])


async def invite(
    deps: Deps,
    company_id: uuid.UUID,
    form: MemberForm,
    invited_by: tuple[uuid.UUID, str] | None = None,
) -> MemberInvitation:
    """Invite someone by e-mail to act for the company with the form's role; an address that
    already has an account here is refused, since an account acts for one company."""
    errors = missing(form, "email", "first_name", "last_name")
    email = normalize_email(form.email) if form.email else None
    if form.email and email is None:
        errors.append(("email", "email.invalid", {}))
    if errors:
        raise FieldErrors(errors)
    assert email is not None
    token = secrets.token_urlsafe(32)
    invitation_id = uuid.uuid4()
    expires_at = deps.now + timedelta(days=deps.invitation_days)
    async with deps.pool.acquire() as conn, conn.transaction():
        company = await conn.fetchrow("SELECT * FROM companies WHERE id = $1", company_id)
        if company is None:
            raise NotFound("not_found")
        if await conn.fetchval("SELECT true FROM users WHERE lower(email) = lower($1)", email):
            raise FieldErrors([("email", "member.has_account", {})])
        await db.insert_member_invitation(
            conn,
            id=invitation_id,
            company_id=company_id,
            email=email,
            first_name=form.first_name,
            last_name=form.last_name,
            language=form.language,
            role=form.role,
            invited_by=invited_by[0] if invited_by else None,
            created_at=deps.now,
            expires_at=expires_at,
        )
        await add_event(
            conn,
            MemberInvited(
                invitation_id=invitation_id,
                company_id=company_id,
                company_name=company["name"],
                company_kind=company["kind"],
                role=form.role,
                email=email,
                first_name=form.first_name,
                last_name=form.last_name,
                language=form.language,
                invited_by_name=invited_by[1] if invited_by else None,
                invitation_token=token,
                expires_at=expires_at,
            ),
            producer=PRODUCER,
        )
    link = f"{deps.public_url.rstrip('/')}/register?invitation={quote(token)}"
    return MemberInvitation(
        invitation_id=invitation_id,
        email=email,
        first_name=form.first_name,
        last_name=form.last_name,
        role=form.role,
        expires_at=expires_at,
        link=link,
    )


async def join_on_registration(conn: Connection, event: UserRegistered) -> None:
    """The account registered through a member invitation joins its company, once."""
    now = event.registered_at
    user = await db.upsert_user(
        conn, event.user_id, event.email, event.invitation_id, event.first_name, event.last_name
    )
    if event.invitation_id is None or user["company_id"] is not None:
        return
    invitation = await db.accept_member_invitation(conn, event.invitation_id, event.user_id, now)
    if invitation is None:
        return  # a buyer's invitation of a supplier, or one already taken
    await db.join(conn, event.user_id, invitation["company_id"], invitation["role"], now)
    await announce_people(conn, invitation["company_id"])


async def leave_on_deletion(conn: Connection, event: UserDeleted) -> None:
    """A deleted account leaves its company, and its address and names are forgotten here too.

    A company with members always keeps an admin: someone must be able to change its details, its
    bank accounts and its people, and no member could make themselves one. When the last admin
    leaves and colleagues remain, the one who joined earliest becomes admin: the colleague who has
    known the company longest, and an order nobody can game. The web asks the last admin to hand
    the role over first; this holds the rule when that did not happen.

    The company's change log keeps its entries (the company's records), and a company left with no
    member stays as it is, its invoices kept as bokföringslagen requires."""
    company_id = await conn.fetchval("SELECT company_id FROM users WHERE id = $1", event.user_id)
    if company_id is not None:
        # Locked before the user, as an admin's change of roles locks them.
        await conn.execute("SELECT id FROM companies WHERE id = $1 FOR UPDATE", company_id)
    user = await conn.fetchrow("SELECT * FROM users WHERE id = $1 FOR UPDATE", event.user_id)
    if user is None:
        return  # never seen here: nothing to end
    await db.erase_user(conn, event.user_id)
    if user["company_id"] is None:
        return
    if user["role"] == "admin" and await db.admins_of(conn, user["company_id"]) == 0:
        await db.make_earliest_member_admin(conn, user["company_id"])
    await announce_people(conn, user["company_id"])


async def change_role(
    deps: Deps, principal: Principal, user_id: uuid.UUID, role: str | None
) -> None:
    """An admin gives a member of the company another role, or (`None`) ends the membership;
    the company always keeps an admin."""
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = (await _admin_of(conn, principal))["company_id"]
        await conn.execute("SELECT id FROM companies WHERE id = $1 FOR UPDATE", company_id)
        target = await conn.fetchrow(
            "SELECT * FROM users WHERE id = $1 AND company_id = $2", user_id, company_id
        )
        if target is None:
            raise NotFound("not_found")
        if target["role"] == role:
            return
        if target["role"] == "admin" and await db.admins_of(conn, company_id) == 1:
            raise Conflict("member.last_admin")
        await db.set_role(conn, user_id, role)
        await announce_people(conn, company_id)


async def announce_people(conn: Connection, company_id: uuid.UUID) -> None:
    kind = await conn.fetchval("SELECT kind FROM companies WHERE id = $1", company_id)
    if kind == "supplier":
        await publish_profile(conn, company_id)
        return
    await add_event(
        conn,
        BuyerUsersChanged(
            buyer_id=company_id,
            revision=await db.bump_revision(conn, company_id),
            user_ids=await db.user_ids_of(conn, company_id),
        ),
        producer=PRODUCER,
    )
