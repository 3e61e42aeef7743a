"""Events published by the company service."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr

from shared.events.base import Event, event
from shared.events.identity import Language


@event("company.supplier_invited", 1)
class SupplierInvited(Event):
    """A buyer invited a supplier. The token opens a pre-filled registration."""

    invitation_id: uuid.UUID
    buyer_id: uuid.UUID
    buyer_name: str
    email: EmailStr
    first_name: str
    last_name: str
    language: Language
    invitation_token: str
    expires_at: datetime
