"""Events as identity and company publish them, with defaults a test can override."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.events.company import SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
)


def email_confirmation_requested(**changes: Any) -> EmailConfirmationRequested:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "user_id": uuid.uuid4(),
        "email": "anna@example.se",
        "first_name": "Anna",
        "language": "sv",
        "link_token": "link/token+1=",
        "code": "482915",
        "link_expires_at": now + timedelta(hours=24),
        "code_expires_at": now + timedelta(minutes=30),
    }
    return EmailConfirmationRequested(**(values | changes))


def registration_attempted(**changes: Any) -> RegistrationAttemptedForExistingAccount:
    values: dict[str, Any] = {
        "user_id": uuid.uuid4(),
        "email": "anna@example.se",
        "first_name": "Anna",
        "language": "sv",
    }
    return RegistrationAttemptedForExistingAccount(**(values | changes))


def password_reset_requested(**changes: Any) -> PasswordResetRequested:
    values: dict[str, Any] = {
        "user_id": uuid.uuid4(),
        "email": "anna@example.se",
        "first_name": "Anna",
        "language": "sv",
        "reset_token": "reset&token",
        "expires_at": datetime.now(UTC) + timedelta(hours=1),
    }
    return PasswordResetRequested(**(values | changes))


def password_changed(**changes: Any) -> PasswordChanged:
    values: dict[str, Any] = {
        "user_id": uuid.uuid4(),
        "email": "anna@example.se",
        "first_name": "Anna",
        "language": "sv",
        "changed_at": datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
    }
    return PasswordChanged(**(values | changes))


def supplier_invited(**changes: Any) -> SupplierInvited:
    values: dict[str, Any] = {
        "invitation_id": uuid.uuid4(),
        "buyer_id": uuid.uuid4(),
        "buyer_name": "Byggbolaget AB",
        "email": "bertil@example.se",
        "first_name": "Bertil",
        "last_name": "Berg",
        "language": "sv",
        "invitation_token": "invite token",
        "expires_at": datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
    }
    return SupplierInvited(**(values | changes))
