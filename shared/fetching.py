"""Reading what another service sends, no more of it than expected."""

from __future__ import annotations

import aiohttp

CHUNK = 64 * 1024


async def read_at_most(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body, or its first `limit` bytes: a file far larger than announced is not held whole."""
    content = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        content += chunk
        if len(content) >= limit:
            break
    return bytes(content[:limit])
