"""The supplier's attachments, read from the file store where the invoice service put them before
it announced the invoice (`shared.file_store`).

The event carries each file's size and SHA-256; a file that does not match will not heal by
retrying and is reported as `Unrenderable`, so the buyer receives exactly the files the supplier
sent. A file not in the store yet (`FileMissing`), or the store away, is transient: a
`ConnectionError`, which the consumer keeps retrying, however long it lasts.
"""

from __future__ import annotations

from services.renderer.failures import Unrenderable
from shared.file_store import FileMismatch, FileStore
from shared.invoices import Attachment, Invoice


async def attachments_of(invoice: Invoice, files: FileStore) -> list[tuple[Attachment, bytes]]:
    return [(item, await _read(item, files)) for item in invoice.attachments]


async def _read(attachment: Attachment, files: FileStore) -> bytes:
    try:
        return await files.get(attachment.sha256, attachment.size)
    except FileMismatch as error:
        raise Unrenderable(f"attachment {attachment.filename}: {error}") from None
