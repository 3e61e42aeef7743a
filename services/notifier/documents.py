"""An invoice's files for its buyer: the PDF and the Peppol XML from the renderer, and the
supplier's attachments from the invoice service, each checked against what `invoice.rendered` says.

Bytes that do not match the event's SHA-256 (and, for an attachment, its size) will not heal by
retrying and are raised as `DocumentMismatch`. Anything else (a service away, slow, answering 5xx,
or not having the document yet) is raised as `DocumentUnavailable`, a `ConnectionError`, which the
consumer retries for as long as the outage lasts instead of dead-lettering the invoice.
"""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from dataclasses import dataclass

import aiohttp

from shared.context import CORRELATION_HEADER, current_correlation_id
from shared.events.invoice import InvoiceRendered
from shared.fetching import read_at_most
from shared.invoices import Attachment

# Far above any PDF or XML the renderer makes; a larger body is not held in memory whole.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class DocumentUnavailable(ConnectionError):
    """A document could not be fetched now; try again later."""


class DocumentMismatch(Exception):
    """A document's bytes are not the ones the event announced."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SuppliedFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InvoiceFiles:
    pdf: bytes
    xml: bytes
    attachments: tuple[SuppliedFile, ...]


@dataclass(frozen=True)
class DocumentSource:
    http: aiohttp.ClientSession
    renderer_url: str
    invoice_url: str
    internal_secret: str

    def document_url(self, invoice_id: uuid.UUID, kind: str) -> str:
        return f"{self.renderer_url.rstrip('/')}/internal/v1/invoices/{invoice_id}/{kind}"

    def attachment_url(self, invoice_id: uuid.UUID, attachment_id: uuid.UUID) -> str:
        base = self.invoice_url.rstrip("/")
        return f"{base}/internal/v1/invoices/{invoice_id}/attachments/{attachment_id}"

    async def fetch(self, event: InvoiceRendered) -> InvoiceFiles:
        """Every file the buyer receives, verified; raises DocumentUnavailable or DocumentMismatch."""
        pdf = await self._get(self.document_url(event.invoice_id, "pdf"), MAX_DOCUMENT_BYTES)
        verify_sha256("PDF", pdf, event.pdf_sha256)
        xml = await self._get(self.document_url(event.invoice_id, "xml"), MAX_DOCUMENT_BYTES)
        verify_sha256("XML", xml, event.xml_sha256)
        attachments = []
        for item in event.attachments:
            url = self.attachment_url(event.invoice_id, item.id)
            # One byte more than announced is enough to tell that the file is not the one sent.
            content = await self._get(url, item.size + 1)
            verify_attachment(item, content)
            attachments.append(
                SuppliedFile(
                    filename=item.filename,
                    content_type=content_type(item.filename),
                    content=content,
                )
            )
        return InvoiceFiles(pdf=pdf, xml=xml, attachments=tuple(attachments))

    async def _get(self, url: str, limit: int) -> bytes:
        headers = {"Authorization": f"Bearer {self.internal_secret}"}
        correlation = current_correlation_id.get()
        if correlation:
            headers[CORRELATION_HEADER] = correlation
        try:
            async with self.http.get(url, headers=headers) as response:
                # A 404 too: the renderer commits its documents before announcing them, so a
                # missing one is a replica or a restore lagging behind, not a lost invoice.
                if response.status != 200:
                    raise DocumentUnavailable(f"GET {url}: HTTP {response.status}")
                return await read_at_most(response, limit)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DocumentUnavailable(f"GET {url}: {error!r}") from error


def verify_sha256(name: str, content: bytes, expected: str) -> None:
    if hashlib.sha256(content).hexdigest() != expected.lower():
        raise DocumentMismatch(f"{name}: SHA-256 does not match")


def verify_attachment(attachment: Attachment, content: bytes) -> None:
    if len(content) != attachment.size:
        raise DocumentMismatch(
            f"attachment {attachment.filename}: {len(content)} bytes, expected {attachment.size}"
        )
    verify_sha256(f"attachment {attachment.filename}", content, attachment.sha256)


def content_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"
