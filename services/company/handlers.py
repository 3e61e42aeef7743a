"""Events the company service consumes."""

from __future__ import annotations

from services.company import db
from shared.db import Connection
from shared.events import Envelope
from shared.events.identity import UserRegistered
from shared.subscriptions import subscriber


@subscriber("company.users")
async def on_user_registered(conn: Connection, envelope: Envelope, event: UserRegistered) -> None:
    """Remember who registered and through which invitation, to connect its company later."""
    await db.upsert_user(conn, event.user_id, event.email, event.invitation_id)
