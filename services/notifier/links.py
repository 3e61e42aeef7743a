"""Links into the web front that e-mails carry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Links:
    public_url: str

    @property
    def base(self) -> str:
        return self.public_url.rstrip("/")

    def email_confirmation(self, token: str) -> str:
        return f"{self.base}/confirm?token={quote(token, safe='')}"

    def password_reset(self, token: str) -> str:
        return f"{self.base}/password/reset?token={quote(token, safe='')}"

    def registration(self, invitation_token: str) -> str:
        return f"{self.base}/register?invitation={quote(invitation_token, safe='')}"

    def login(self) -> str:
        return f"{self.base}/login"

    def invoice(self, invoice_id: uuid.UUID) -> str:
        return f"{self.base}/invoices/{invoice_id}"

    def audit_log(self) -> str:
        return f"{self.base}/company/audit-log"
