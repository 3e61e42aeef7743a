"""Events as a service would publish them, for tests and benchmarks of the bus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.events.identity import UserRegistered


def user_registered() -> UserRegistered:
    """A new user's registration: the event every bus test and benchmark sends."""
    return UserRegistered(
        user_id=uuid.uuid4(),
        email="karin@example.com",
        first_name="Karin",
        last_name="Berg",
        language="sv",
        invitation_id=None,
        privacy_policy_version="2026-11-01",
        registered_at=datetime.now(UTC),
    )
