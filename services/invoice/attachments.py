"""What a supplier may attach: PDF files, told apart by their content, not their names."""

from __future__ import annotations

import re
from urllib.parse import unquote

MAX_BYTES = 10 * 1024 * 1024
MAX_COUNT = 10
# The name ends at whitespace or a delimiter: `/Encrypt 5 0 R`, and `/Encrypt<<…>>` as compact
# writers put it; `/EncryptMetadata` is another name.
_ENCRYPT = re.compile(rb"/Encrypt(?=[\s()<>\[\]{}/%])")


def pdf_problem(content: bytes) -> str | None:
    """The reason `content` is not an acceptable PDF, or None."""
    if len(content) > MAX_BYTES:
        return "attachment.too_large"
    if not content.startswith(b"%PDF-"):
        return "attachment.not_pdf"
    if b"%%EOF" not in content[-2048:]:
        return "attachment.damaged"
    if _ENCRYPT.search(content):
        return "attachment.encrypted"
    return None


def safe_filename(name: str) -> str:
    """The base name without path or control characters, ending in .pdf."""
    # Some clients percent-encode the name (RFC 7578 allows it); browsers send it as UTF-8.
    base = re.split(r"[\\/]", unquote(name))[-1]
    cleaned = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", base).strip() or "bilaga"
    cleaned = cleaned[:120]
    return cleaned if cleaned.lower().endswith(".pdf") else cleaned + ".pdf"
