"""Request bodies of the renderer's internal API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.i18n import Language
from shared.invoices import Invoice


class PreviewRequest(BaseModel):
    """A draft as the invoice service holds it, and the language the buyer will read it in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    invoice: Invoice
    language: Language = "sv"
