"""Events as identity, company and the renderer publish them, with defaults a test can override."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.events.company import SupplierInvited
from shared.events.identity import (
    EmailConfirmationRequested,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
    UserDeleted,
)
from shared.events.invoice import InvoiceRendered, InvoiceStatusChanged
from shared.invoices import Attachment

# The renderer's documents and a supplier's attachment, as bytes the event's hashes describe.
INVOICE_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% Faktura 2026-0042\n%%EOF\n"
INVOICE_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
    b'<cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    b"2026-0042</cbc:ID></Invoice>\n"
)
TIMESHEET_PDF = b"%PDF-1.4\n% Tidrapport mars 2026, sp\xc3\xa5r 3 Hallsberg\n%%EOF\n"


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


def user_deleted(**changes: Any) -> UserDeleted:
    values: dict[str, Any] = {
        "user_id": uuid.uuid4(),
        "email": "anna@example.se",
        "first_name": "Anna",
        "language": "sv",
        "deleted_at": datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
    }
    return UserDeleted(**(values | changes))


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


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachment(filename: str = "tidrapport-mars.pdf", content: bytes = TIMESHEET_PDF) -> Attachment:
    return Attachment(id=uuid.uuid4(), filename=filename, size=len(content), sha256=sha256(content))


def invoice_rendered(**changes: Any) -> InvoiceRendered:
    """An invoice from a track-maintenance supplier to Infranord, with one attached time sheet."""
    values: dict[str, Any] = {
        "invoice_id": uuid.uuid4(),
        "kind": "invoice",
        "number": "2026-0042",
        "seller_name": "Ek Spårteknik AB",
        "buyer_name": "Infranord AB",
        "buyer_email": "faktura@infranord.example",
        "sender_email": "karin.berg@ekspar.example",
        "language": "sv",
        "payable": Decimal("12345.50"),
        "currency": "SEK",
        "due_date": date(2026, 4, 30),
        "attachments": [attachment()],
        "pdf_sha256": sha256(INVOICE_PDF),
        "xml_sha256": sha256(INVOICE_XML),
        "rendered_at": datetime(2026, 3, 31, 9, 15, tzinfo=UTC),
        "channels": ["mail"],
        "peppol_sender": None,
        "peppol_receiver": None,
    }
    return InvoiceRendered(**(values | changes))


def invoice_status_changed(**changes: Any) -> InvoiceStatusChanged:
    """Infranord rejects the supplier's invoice 2026-0042 for a missing order number."""
    values: dict[str, Any] = {
        "invoice_id": uuid.uuid4(),
        "supplier_id": uuid.uuid4(),
        "buyer_id": uuid.uuid4(),
        "kind": "invoice",
        "number": "2026-0042",
        "buyer_name": "Infranord AB",
        "status": "rejected",
        "reason": "Ordernumret 4500098765 finns inte hos oss.",
        "reason_code": "REF",
        "changed_at": datetime(2026, 4, 2, 12, 30, tzinfo=UTC),
        "response_id": uuid.uuid4(),
        "sender_email": "karin.berg@ekspar.example",
        "language": "sv",
    }
    return InvoiceStatusChanged(**(values | changes))
