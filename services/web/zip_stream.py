"""A ZIP file written to an HTTP response as it is made, one entry at a time, so that an export
of thousands of invoices never sits whole in memory."""

from __future__ import annotations

import asyncio
import re
import zipfile
from datetime import datetime

from aiohttp import web

# Names that could climb out of the folder they are unpacked in, or that some file systems refuse.
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_name(name: str, fallback: str) -> str:
    """`name` as one path segment, without separators, control characters or leading dots."""
    cleaned = UNSAFE.sub("_", name).strip(" .")
    return cleaned[:120] or fallback


class _Pending:
    """What `ZipFile` writes, kept until it is sent; it cannot seek, so entries carry their
    sizes after their data (ZIP data descriptors) and nothing is written twice."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes, /) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        taken, self.parts = b"".join(self.parts), []
        return taken


class ZipStream:
    def __init__(self, response: web.StreamResponse, made_at: datetime) -> None:
        self.response = response
        self.pending = _Pending()
        self.archive = zipfile.ZipFile(self.pending, mode="w")
        self.date_time = made_at.timetuple()[:6]

    async def add(self, name: str, content: bytes) -> None:
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        # PDFs are compressed already; squeezing them again costs time and gains nothing.
        entry.compress_type = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
        await asyncio.to_thread(self.archive.writestr, entry, content)
        await self.response.write(self.pending.take())

    async def close(self) -> None:
        self.archive.close()
        await self.response.write(self.pending.take())
        await self.response.write_eof()
