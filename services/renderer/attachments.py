"""The supplier's attachments, fetched from the invoice service that stores them.

The event carries each file's size and SHA-256; bytes that do not match are refused, so the
buyer receives exactly the files the supplier sent. A mismatch will not heal by retrying and is
reported as `Unrenderable`; the invoice service being away is transient and raised as
`ServiceUnavailable`, a `ConnectionError`, which the consumer keeps retrying, however long the
outage lasts.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from services.renderer.failures import Unrenderable
from shared.client import (
    ResponseTooLarge,
    ServiceClient,
    ServiceError,
    ServiceUnavailable,
    api_path,
)
from shared.invoices import Attachment, Invoice


@dataclass(frozen=True)
class AttachmentSource:
    invoice_service: ServiceClient

    async def fetch_all(self, invoice: Invoice) -> list[tuple[Attachment, bytes]]:
        return [(item, await self.fetch(invoice.id, item)) for item in invoice.attachments]

    async def fetch(self, invoice_id: uuid.UUID, attachment: Attachment) -> bytes:
        path = api_path(
            "/internal/v1/invoices/{}/attachments/{}", str(invoice_id), str(attachment.id)
        )
        try:
            # One byte more than announced is enough to tell that the file is not the one sent.
            content = await self.invoice_service.read("GET", path, limit=attachment.size + 1)
        except ResponseTooLarge:
            raise Unrenderable(
                f"attachment {attachment.filename}: more than {attachment.size} bytes"
            ) from None
        except ServiceError as error:
            if error.status == 404:
                raise Unrenderable(f"attachment {attachment.filename}: not found") from None
            raise ServiceUnavailable(f"attachment {attachment.id}: HTTP {error.status}") from None
        verify(attachment, content)
        return content


def verify(attachment: Attachment, content: bytes) -> None:
    if len(content) != attachment.size:
        raise Unrenderable(
            f"attachment {attachment.filename}: {len(content)} bytes, expected {attachment.size}"
        )
    if hashlib.sha256(content).hexdigest() != attachment.sha256.lower():
        raise Unrenderable(f"attachment {attachment.filename}: SHA-256 does not match")
