"""An invoice's files for its buyer: the PDF and the Peppol XML from the renderer, and the
supplier's attachments from the invoice service, each checked against what `invoice.rendered` says.

Bytes that do not match the event's SHA-256 (and, for an attachment, its size) will not heal by
retrying and are raised as `DocumentMismatch`, as are more bytes than a file may have (its size,
or `MAX_DOCUMENT_BYTES`), which are not read. Anything else (a service away, slow, answering 5xx,
or not having the document yet) is raised as `DocumentUnavailable`, a `ConnectionError`, which the
consumer retries for as long as the outage lasts instead of dead-lettering the invoice.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

from shared.client import (
    ResponseTooLarge,
    ServiceClient,
    ServiceError,
    ServiceUnavailable,
    api_path,
)
from shared.events.invoice import InvoiceRendered
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
    renderer: ServiceClient
    invoice_service: ServiceClient

    async def fetch(self, event: InvoiceRendered) -> InvoiceFiles:
        """Every file the buyer receives, verified; raises DocumentUnavailable or DocumentMismatch."""
        invoice_id = str(event.invoice_id)
        documents = "/internal/v1/invoices/{}/{}"
        pdf = await _get(self.renderer, api_path(documents, invoice_id, "pdf"), "PDF")
        verify_sha256("PDF", pdf, event.pdf_sha256)
        xml = await _get(self.renderer, api_path(documents, invoice_id, "xml"), "XML")
        verify_sha256("XML", xml, event.xml_sha256)
        attachments = []
        for item in event.attachments:
            path = api_path("/internal/v1/invoices/{}/attachments/{}", invoice_id, str(item.id))
            # One byte more than announced is enough to tell that the file is not the one sent.
            name = f"attachment {item.filename}"
            content = await _get(self.invoice_service, path, name, limit=item.size + 1)
            verify_attachment(item, content)
            attachments.append(
                SuppliedFile(
                    filename=item.filename,
                    content_type=content_type(item.filename),
                    content=content,
                )
            )
        return InvoiceFiles(pdf=pdf, xml=xml, attachments=tuple(attachments))


async def _get(
    service: ServiceClient, path: str, name: str, limit: int = MAX_DOCUMENT_BYTES
) -> bytes:
    try:
        return await service.read("GET", path, limit=limit)
    except ResponseTooLarge:
        raise DocumentMismatch(f"{name}: more than {limit} bytes") from None
    # A 404 too: the renderer commits its documents before announcing them, so a missing one is
    # a replica or a restore lagging behind, not a lost invoice.
    except (ServiceError, ServiceUnavailable) as error:
        raise DocumentUnavailable(f"GET {path}: {error}") from None


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
