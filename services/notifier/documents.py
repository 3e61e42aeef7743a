"""An invoice's files for its buyer, read from the file store by the hashes `invoice.rendered`
carries: the PDF and the Peppol XML the renderer put there, and the supplier's attachments the
invoice service put there (`shared.file_store`). Nothing is fetched back from those services.

A file that is not the one announced (its size or its bytes differ) will not heal by retrying
and is raised as `DocumentMismatch`. A file not in the store yet, or the store away, is raised as
a `ConnectionError` (`FileMissing`, or the database's own), which the consumer retries for as
long as it lasts instead of dead-lettering the invoice.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from shared.events.invoice import InvoiceRendered
from shared.file_store import FileMismatch, FileStore


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
    files: FileStore

    async def fetch(self, event: InvoiceRendered) -> InvoiceFiles:
        """Every file the buyer receives, verified; raises DocumentMismatch or ConnectionError."""
        pdf = await self._read("PDF", event.pdf_sha256)
        xml = await self._read("XML", event.xml_sha256)
        attachments = [
            SuppliedFile(
                filename=item.filename,
                content_type=content_type(item.filename),
                content=await self._read(f"attachment {item.filename}", item.sha256, item.size),
            )
            for item in event.attachments
        ]
        return InvoiceFiles(pdf=pdf, xml=xml, attachments=tuple(attachments))

    async def _read(self, name: str, sha256: str, size: int | None = None) -> bytes:
        try:
            return await self.files.get(sha256, size)
        except FileMismatch as error:
            raise DocumentMismatch(f"{name}: {error}") from None


def content_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"
