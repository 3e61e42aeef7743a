"""Request and response bodies of the identity API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.i18n import Language

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]
Secret = Annotated[str, Field(max_length=1000)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Registration(Request):
    """Text fields may arrive empty: `problems` names every missing or wrong one at once."""

    email: Email = ""
    first_name: Text = ""
    last_name: Text = ""
    password: Secret = ""
    password_confirmation: Secret = ""
    captcha: Annotated[str, Field(max_length=4000)] = ""
    privacy_policy_accepted: bool = False
    language: Language = "sv"
    invitation_token: Annotated[str, Field(max_length=200)] | None = None


class EmailOnly(Request):
    email: Email = ""
    language: Language | None = None


class CodeConfirmation(Request):
    email: Email = ""
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""


class LinkConfirmation(Request):
    token: Annotated[str, Field(max_length=200)]


class Login(Request):
    email: Email = ""
    password: Secret = ""
    # Believed from the web front only (it calls with the internal secret); ignored otherwise.
    client_ip: Annotated[str, Field(max_length=64)] = ""
    user_agent: Annotated[str, Field(max_length=400)] = ""
    # Asked for once the account has had many failed logins.
    captcha: Annotated[str, Field(max_length=4000)] = ""


class PasswordResetCompletion(Request):
    token: Annotated[str, Field(max_length=200)]
    password: Secret = ""
    password_confirmation: Secret = ""


class LanguageChoice(Request):
    language: Language


class User(BaseModel):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    language: Language
    email_confirmed: bool


class Confirmed(User):
    """A confirmed address; when it had been registered more than once, a token to choose the
    password with (as a password reset's), since no registrant's password was kept."""

    choose_password_token: str | None = None


class Session(BaseModel):
    token: str
    expires_at: datetime
    user: User


class SessionSummary(BaseModel):
    """One of the user's live sessions, as its list on the account page shows it."""

    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str
    client_ip: str
    current: bool


class Invitation(BaseModel):
    buyer_name: str
    email: str
    first_name: str
    last_name: str


class Accepted(BaseModel):
    """The same answer whether or not the e-mail is known."""

    email: str


Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]


class Reauthentication(Request):
    """The password typed again, with a second-factor code when the user has one on."""

    password: Secret = ""
    code: Code = ""


class PasswordChange(Reauthentication):
    """A new password for the session's user, who gives the current one (and the code)."""

    new_password: Secret = ""
    new_password_confirmation: Secret = ""


class SecondFactorCode(Request):
    code: Code = ""


class SecondStep(Request):
    """A login's second step: the challenge its first step answered, and the code."""

    challenge: Annotated[str, Field(max_length=200)] = ""
    code: Code = ""


class SecondFactorChallenge(BaseModel):
    """The password was right; the login goes on with a code from the user's second factor."""

    challenge: str
    expires_at: datetime


class SecondFactorSetup(BaseModel):
    """Shown once, while setting up: afterwards the secret is never given out again."""

    secret: str
    uri: str


class RecoveryCodes(BaseModel):
    recovery_codes: list[str]


class SecondFactorStatus(BaseModel):
    enabled: bool
    recovery_codes_left: int
