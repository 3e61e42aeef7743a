"""What a supplier may attach: PDF files, told apart by what a PDF parser finds in them, not by
their names or byte patterns.

A file passes when qpdf opens it, it is not encrypted, it holds no active content (scripts,
actions, embedded files, XFA forms, media) and its streams decode to at most `MAX_INFLATED`
together. qpdf reads the hostile bytes in a process of its own (`pdf_inspection`) with a
wall-clock timeout and a memory limit; a process that dies or runs out of time refuses the file.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from urllib.parse import unquote

from services.invoice.pdf_inspection import MAX_INFLATED, PROBLEMS

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_COUNT = 10
# Refusing a gigabyte bomb takes under a second, the process starting included; the slowest
# honest case, 10 MB of LZW decoded in Python, some 10 s. The process peaks at about 50 MB of
# address space (decoding holds a megabyte of each filter at a time); the rest is room for qpdf
# reading a 10 MB file of many objects.
CHECK_SECONDS = 20.0
CHECK_MEMORY = 512 * 1024 * 1024
# Checks at once, each a process of its own: one per core keeps a burst of uploads from
# starving the service of CPU, and from pushing each other past the timeout.
CHECKS = os.cpu_count() or 1


async def pdf_problem(
    content: bytes, *, seconds: float = CHECK_SECONDS, memory: int = CHECK_MEMORY
) -> str | None:
    """The reason `content` is not an acceptable PDF, or None."""
    if not content:
        return "attachment.missing"
    if len(content) > MAX_BYTES:
        return "attachment.too_large"
    if not content.startswith(b"%PDF-"):
        return "attachment.not_pdf"
    if b"%%EOF" not in content[-2048:]:
        return "attachment.damaged"
    return await _inspected(content, seconds, memory)


async def _inspected(content: bytes, seconds: float, memory: int) -> str | None:
    """What `pdf_inspection` answers in a child process; a child that fails answers "damaged"."""
    inspection = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "services.invoice.pdf_inspection"),
        *(str(MAX_INFLATED), str(memory)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    answer = b""
    try:
        answer, _ = await asyncio.wait_for(inspection.communicate(content), seconds)
    except TimeoutError:
        log.warning("pdf inspection took longer than %s s", seconds)
    finally:
        # Timed out, or the request was cancelled: the child goes with it.
        if inspection.returncode is None:
            inspection.kill()
            await inspection.wait()
    code = answer.decode("ascii", "replace")
    if code == "ok" and inspection.returncode == 0:
        return None
    if code in PROBLEMS:
        return code
    log.warning("pdf inspection failed with exit status %s", inspection.returncode)
    return "attachment.damaged"


def megabytes(size: int) -> str:
    """A size as the messages show it, in whole megabytes."""
    return f"{size // (1024 * 1024)} MB"


def safe_filename(name: str) -> str:
    """The base name without path or control characters, ending in .pdf."""
    # Some clients percent-encode the name (RFC 7578 allows it); browsers send it as UTF-8.
    base = re.split(r"[\\/]", unquote(name))[-1]
    cleaned = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", base).strip() or "bilaga"
    cleaned = cleaned[:120]
    return cleaned if cleaned.lower().endswith(".pdf") else cleaned + ".pdf"
