"""Events published by the identity service."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr

from shared.events.base import Event, event
from shared.i18n import Language


@event("identity.user_registered", 1)
class UserRegistered(Event):
    """A person registered; the account is not confirmed yet. Holds no secret."""

    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    last_name: str
    language: Language
    invitation_id: uuid.UUID | None
    privacy_policy_version: str
    registered_at: datetime


@event("identity.email_confirmation_requested", 1)
class EmailConfirmationRequested(Event):
    """A confirmation e-mail is due. Carries the link token and code: for the notifier only."""

    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    language: Language
    link_token: str
    code: str
    link_expires_at: datetime
    code_expires_at: datetime


@event("identity.email_confirmed", 1)
class EmailConfirmed(Event):
    user_id: uuid.UUID
    email: EmailStr
    confirmed_at: datetime


@event("identity.registration_attempted_for_existing_account", 1)
class RegistrationAttemptedForExistingAccount(Event):
    """Someone registered with an e-mail that already has a confirmed account.

    The page answers as for a new account; the owner is told by e-mail instead.
    """

    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    language: Language


@event("identity.password_reset_requested", 1)
class PasswordResetRequested(Event):
    """A reset link is due. Carries the token: for the notifier only."""

    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    language: Language
    reset_token: str
    expires_at: datetime


@event("identity.password_changed", 1)
class PasswordChanged(Event):
    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    language: Language
    changed_at: datetime


@event("identity.language_changed", 1)
class LanguageChanged(Event):
    user_id: uuid.UUID
    language: Language


@event("identity.user_deleted", 1)
class UserDeleted(Event):
    """A user deleted the account: its personal data is erased, its id stays. Carries the
    address it had, so the notifier can send a last mail; for that alone."""

    user_id: uuid.UUID
    email: EmailStr
    first_name: str
    language: Language
    deleted_at: datetime
