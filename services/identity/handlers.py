"""Events the identity service consumes."""

from __future__ import annotations

from services.identity import db
from services.identity.tokens import token_hash
from shared.db import Connection
from shared.events import Envelope
from shared.events.company import MemberInvited, SupplierInvited
from shared.subscriptions import subscriber


@subscriber("identity.invitations")
async def on_supplier_invited(
    conn: Connection, envelope: Envelope, event: SupplierInvited, *, token_secret: str
) -> None:
    """Keep the invitation so its link opens a registration pre-filled with e-mail and names."""
    await db.upsert_invitation(
        conn,
        id=event.invitation_id,
        token_hash=token_hash(token_secret, "invitation", event.invitation_token),
        buyer_name=event.buyer_name,
        email=event.email,
        first_name=event.first_name,
        last_name=event.last_name,
        expires_at=event.expires_at,
    )


@subscriber("identity.invitations")
async def on_member_invited(
    conn: Connection, envelope: Envelope, event: MemberInvited, *, token_secret: str
) -> None:
    """Keep a company's invitation of a colleague like a buyer's of a supplier: its link opens a
    pre-filled registration, which names the inviting company."""
    await db.upsert_invitation(
        conn,
        id=event.invitation_id,
        token_hash=token_hash(token_secret, "invitation", event.invitation_token),
        buyer_name=event.company_name,
        email=event.email,
        first_name=event.first_name,
        last_name=event.last_name,
        expires_at=event.expires_at,
    )
