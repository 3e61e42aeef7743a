"""The supplier's attachments, fetched from the invoice service that stores them.

The event carries each file's size and SHA-256; bytes that do not match are refused, so the
buyer receives exactly the files the supplier sent. A mismatch will not heal by retrying and is
reported as `Unrenderable`; the invoice service being away is transient and raised as a
`ConnectionError`, which the consumer keeps retrying, however long the outage lasts.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import aiohttp

from services.renderer.failures import Unrenderable
from shared.context import CORRELATION_HEADER, current_correlation_id
from shared.fetching import read_at_most
from shared.invoices import Attachment, Invoice


class InvoiceServiceUnavailable(ConnectionError):
    """The invoice service did not answer, or not usefully; try again later."""


@dataclass(frozen=True)
class AttachmentSource:
    http: aiohttp.ClientSession
    invoice_url: str
    internal_secret: str

    def url(self, invoice_id: uuid.UUID, attachment_id: uuid.UUID) -> str:
        base = self.invoice_url.rstrip("/")
        return f"{base}/internal/v1/invoices/{invoice_id}/attachments/{attachment_id}"

    async def fetch_all(self, invoice: Invoice) -> list[tuple[Attachment, bytes]]:
        return [(item, await self.fetch(invoice.id, item)) for item in invoice.attachments]

    async def fetch(self, invoice_id: uuid.UUID, attachment: Attachment) -> bytes:
        headers = {"Authorization": f"Bearer {self.internal_secret}"}
        # The invoice service's log lines then carry the correlation of the sending.
        correlation = current_correlation_id.get()
        if correlation:
            headers[CORRELATION_HEADER] = correlation
        try:
            async with self.http.get(self.url(invoice_id, attachment.id), headers=headers) as r:
                if r.status == 404:
                    raise Unrenderable(f"attachment {attachment.filename}: not found")
                if r.status != 200:
                    raise InvoiceServiceUnavailable(f"attachment {attachment.id}: HTTP {r.status}")
                content = await read_at_most(r, attachment.size + 1)
        except aiohttp.ClientError as error:
            raise InvoiceServiceUnavailable(f"attachment {attachment.id}: {error!r}") from error
        verify(attachment, content)
        return content


def verify(attachment: Attachment, content: bytes) -> None:
    if len(content) != attachment.size:
        raise Unrenderable(
            f"attachment {attachment.filename}: {len(content)} bytes, expected {attachment.size}"
        )
    if hashlib.sha256(content).hexdigest() != attachment.sha256.lower():
        raise Unrenderable(f"attachment {attachment.filename}: SHA-256 does not match")
