"""Who may do what for a company: its admins change it, its bank accounts and its users; its
users key and send invoices; a buyer's users act on the buyer's pages."""

from __future__ import annotations

from typing import Literal

import asyncpg

from services.company import db
from shared.db import Connection
from shared.errors import Forbidden, NotFound
from shared.sessions import Principal

Kind = Literal["supplier", "buyer"]


async def member_of(conn: Connection, principal: Principal, kind: Kind) -> asyncpg.Record:
    """The user's membership of a company of `kind`; any other user has no such company."""
    row = await db.membership(conn, principal.user_id)
    if row is None or row["kind"] != kind:
        raise NotFound("company.missing" if kind == "supplier" else "buyer.not_member")
    return row


async def require_admin(conn: Connection, principal: Principal, kind: Kind) -> asyncpg.Record:
    row = await member_of(conn, principal, kind)
    if row["role"] != "admin":
        raise Forbidden("member.admin_only")
    return row
