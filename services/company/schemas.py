"""Request and response bodies of the company API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.events.company import Channel, ReferenceRule
from shared.i18n import Language
from shared.text import OneLine

Text = Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=200)]
Short = Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=40)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompanyForm(Request):
    name: Text = ""
    country: Short = "SE"
    organisation_number: Short = ""
    vat_number: Short = ""
    no_vat_number: bool = False
    f_skatt: bool = False


class Company(BaseModel):
    id: uuid.UUID
    name: str
    country: str
    organisation_number: str
    vat_number: str | None
    f_skatt: bool


class AddressForm(Request):
    kind: Literal["default", "invoice"] = "default"
    name: Text = ""
    street: Text = ""
    postal_code: Short = ""
    city: Text = ""
    country: Short = "SE"
    phone: Short = ""


class Reauthentication(Request):
    """The user's password typed again, and the second-factor code when the user has one on:
    asked before any bank account is added, changed or removed."""

    password: Annotated[str, Field(max_length=1000)] = ""
    code: Short = ""


class BankAccountForm(Reauthentication):
    bank_name: Text = ""
    bank_country: Short = "SE"
    kind: Literal["bankgiro", "plusgiro", "iban"] | Literal[""] = ""
    number: Short = ""
    bic: Short = ""


class Connection(BaseModel):
    buyer_id: uuid.UUID
    buyer_name: str
    # `terms_changed`: the buyer put new terms in place since the supplier accepted its terms.
    state: Literal["invited", "terms_accepted", "terms_changed", "connected"]
    invited_at: datetime
    terms_version: str
    terms_accepted_at: datetime | None
    connected_at: datetime | None


class TermsAcceptance(Request):
    confirmed: bool = False


class BuyerForm(Request):
    name: Text = ""
    country: Short = "SE"
    organisation_number: Short = ""
    vat_number: Short = ""
    email: Text = ""
    street: Text = ""
    postal_code: Short = ""
    city: Text = ""
    terms_pdf_base64: Annotated[str, Field(max_length=14_000_000)] = ""
    terms_version: Short = ""
    rules_preset: Short = ""
    reference_rules: list[ReferenceRule] | None = None
    peppol_id: Short = ""
    channels: Annotated[list[Channel], Field(max_length=3)] = ["mail"]


class ChannelsForm(Request):
    """How a buyer receives its invoices: `channels`, one or more of `mail`, `peppol` (which
    needs `peppol_id`) and `api` (nothing is pushed; the buyer fetches through its API)."""

    channels: Annotated[list[Channel], Field(max_length=3)] = []
    peppol_id: Short = ""


class Buyer(BaseModel):
    id: uuid.UUID
    name: str
    country: str
    organisation_number: str
    vat_number: str | None
    email: str
    terms_version: str
    terms_sha256: str
    reference_rules: list[ReferenceRule]
    peppol_id: str | None = None
    channels: list[Channel] = ["mail"]


class InvitationForm(Request):
    email: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    language: Language = "sv"


class Invitation(BaseModel):
    invitation_id: uuid.UUID
    link: str
    expires_at: datetime


Role = Literal["admin", "user"]


class MemberForm(Request):
    email: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    language: Language = "sv"
    role: Role = "user"


class RoleForm(Request):
    role: Role


class MemberInvitation(BaseModel):
    invitation_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: Role
    expires_at: datetime
    # Only in the answer to the invitation itself: the token is not kept.
    link: str | None = None


class Member(BaseModel):
    user_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: Role
    joined_at: datetime | None


class Members(BaseModel):
    members: list[Member]
    invitations: list[MemberInvitation]


class Membership(BaseModel):
    """The company a user acts for, and how."""

    company_id: uuid.UUID
    company_name: str
    kind: Literal["supplier", "buyer"]
    role: Role


class AuditEntry(BaseModel):
    """One change, as the audit log shows it; account numbers are masked in `before` and `after`."""

    id: int
    occurred_at: datetime
    user_id: uuid.UUID
    user_email: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


SupplierState = Literal[
    "not_registered", "expired", "invited", "terms_accepted", "terms_changed", "connected"
]


class BuyerSupplier(BaseModel):
    """A supplier as its buyer sees it: a company connected or invited, or an invitation to an
    address that has no company yet (`not_registered`, `expired` once its link no longer works)."""

    supplier_id: uuid.UUID | None
    invitation_id: uuid.UUID | None
    name: str
    email: str
    state: SupplierState
    invited_at: datetime
    expires_at: datetime | None


class InvitationImport(Request):
    """A CSV file's text: email, first name, last name, language; `;` or `,` between them."""

    csv: Annotated[str, StringConstraints(max_length=1_000_000)] = ""


class InvitationsSent(BaseModel):
    invited: int


class BuyerTerms(BaseModel):
    version: str
    sha256: str
    changed_at: datetime


class TermsForm(Request):
    version: Short = ""
    pdf_base64: Annotated[str, StringConstraints(max_length=14_000_000)] = ""


class RuleForm(Request):
    field: Short = ""
    required: bool = False
    pattern: Annotated[OneLine, StringConstraints(max_length=400)] = ""
    check: Short = ""
    message_sv: Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=400)] = ""
    message_en: Annotated[OneLine, StringConstraints(strip_whitespace=True, max_length=400)] = ""


class RulesForm(Request):
    rules: Annotated[list[RuleForm], Field(max_length=20)] = []


class RuleTrial(Request):
    field: Short = ""
    value: Text = ""


class RuleVerdict(BaseModel):
    accepted: bool
    message_sv: str | None
    message_en: str | None
