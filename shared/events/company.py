"""Events published by the company service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr

from shared.events.base import Event, event
from shared.i18n import Language


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


@event("company.member_invited", 1)
class MemberInvited(Event):
    """Someone was invited to act for a company (a supplier's colleague, or a buyer's user) with a
    role. The token opens a pre-filled registration that makes the new account a member."""

    invitation_id: uuid.UUID
    company_id: uuid.UUID
    company_name: str
    company_kind: Literal["supplier", "buyer"]
    role: Literal["admin", "user"]
    email: EmailStr
    first_name: str
    last_name: str
    language: Language
    invited_by_name: str | None
    invitation_token: str
    expires_at: datetime


@event("company.buyer_users_changed", 1)
class BuyerUsersChanged(Event):
    """The users who act for a buyer, all of them, after one joined or left; newest `revision`
    wins (the buyer's own revision, shared with `company.buyer_changed`)."""

    buyer_id: uuid.UUID
    revision: int
    user_ids: list[uuid.UUID]


class ReferenceRule(BaseModel):
    """How a buyer checks one reference field of an invoice: required, its shape, its message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: Literal["buyer_order_number", "payment_reference", "buyer_reference", "contact_person"]
    required: bool
    pattern: str | None = None
    check: Literal["ocr", "person_name"] | None = None
    message_sv: str
    message_en: str


class Address(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID
    kind: Literal["default", "invoice"]
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str


class BankAccount(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID
    bank_name: str
    bank_country: str
    kind: Literal["bankgiro", "plusgiro", "iban"]
    number: str
    bic: str | None


@event("company.supplier_profile_changed", 1)
class SupplierProfileChanged(Event):
    """The supplier's whole profile after a change: what an invoice is prefilled and checked with.

    `revision` grows with every change, so a consumer keeps the newest whatever the order.
    """

    company_id: uuid.UUID
    revision: int
    name: str
    country: str
    organisation_number: str
    vat_number: str | None
    f_skatt: bool
    addresses: list[Address]
    bank_accounts: list[BankAccount]
    user_ids: list[uuid.UUID]


# How a buyer receives its invoices: e-mail, Peppol through an access point, or its API alone.
Channel = Literal["mail", "peppol", "api"]


@event("company.buyer_changed", 2)
class BuyerChanged(Event):
    """A buyer as invoices address it, with its reference rules and how it receives invoices
    (`channels`; `peppol_id`, its participant id like `0007:5566778899`, when it has one);
    newest `revision` wins."""

    buyer_id: uuid.UUID
    revision: int
    name: str
    country: str
    organisation_number: str
    vat_number: str | None
    email: EmailStr
    street: str
    postal_code: str
    city: str
    reference_rules: list[ReferenceRule]
    terms_version: str
    # Defaults for a buyer a consumer kept from version 1, which knew only mail.
    peppol_id: str | None = None
    channels: list[Channel] = ["mail"]  # noqa: RUF012 - pydantic copies a default


@event("company.buyer_changed", 1)
class BuyerChangedV1(Event):
    """A buyer as invoices address it, with its reference rules; newest `revision` wins."""

    model_config = ConfigDict(title="BuyerChanged")

    buyer_id: uuid.UUID
    revision: int
    name: str
    country: str
    organisation_number: str
    vat_number: str | None
    email: EmailStr
    street: str
    postal_code: str
    city: str
    reference_rules: list[ReferenceRule]
    terms_version: str

    def upcast(self) -> BuyerChanged:
        """The same buyer as version 2 says it: mailed, as every buyer was then."""
        return BuyerChanged.model_validate(self.model_dump())


@event("company.terms_accepted", 1)
class TermsAccepted(Event):
    """A supplier accepted a buyer's terms of use: which terms (version and hash), by whom, when."""

    supplier_id: uuid.UUID
    buyer_id: uuid.UUID
    user_id: uuid.UUID
    terms_version: str
    terms_sha256: str
    accepted_at: datetime


@event("company.connection_established", 1)
class ConnectionEstablished(Event):
    """A supplier connected to a buyer: from now on it can invoice the buyer."""

    supplier_id: uuid.UUID
    buyer_id: uuid.UUID
    user_id: uuid.UUID
    connected_at: datetime


class MaskedBankAccount(BaseModel):
    """A bank account as it may travel and be shown: the number masked to its last digits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bank_name: str
    kind: Literal["bankgiro", "plusgiro", "iban"]
    masked_number: str


@event("company.bank_account_changed", 1)
class BankAccountChanged(Event):
    """A supplier's bank account was added, changed or removed: the account before and after
    (numbers masked), who did it and when, and the address of every user of the company, each of
    whom is told."""

    company_id: uuid.UUID
    company_name: str
    account_id: uuid.UUID
    action: Literal["added", "changed", "removed"]
    before: MaskedBankAccount | None
    after: MaskedBankAccount | None
    changed_by_user_id: uuid.UUID
    changed_by_email: str
    changed_by_name: str
    changed_at: datetime
    recipients: list[str]
