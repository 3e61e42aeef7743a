"""Events the company service consumes."""

from __future__ import annotations

from services.company import members
from shared.db import Connection
from shared.events import Envelope
from shared.events.identity import UserDeleted, UserRegistered
from shared.subscriptions import subscriber


@subscriber("company.users")
async def on_user_registered(conn: Connection, envelope: Envelope, event: UserRegistered) -> None:
    """Remember who registered and through which invitation: a buyer's invitation connects the
    company the user makes later, a company's invitation makes the user its member now."""
    await members.join_on_registration(conn, event)


@subscriber("company.users")
async def on_user_deleted(conn: Connection, envelope: Envelope, event: UserDeleted) -> None:
    """A deleted account's membership ends; its company keeps an admin and all its records."""
    await members.leave_on_deletion(conn, event)
