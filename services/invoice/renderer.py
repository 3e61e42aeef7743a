"""The renderer's internal API, as the invoice service calls it."""

from __future__ import annotations

import uuid

import aiohttp

from shared.errors import Conflict
from shared.invoices import Invoice
from shared.sessions import Unavailable


class RendererClient:
    def __init__(self, http: aiohttp.ClientSession, url: str, secret: str) -> None:
        self.http = http
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {secret}"}

    async def preview(self, invoice: Invoice, language: str) -> bytes:
        body = {"invoice": invoice.model_dump(mode="json"), "language": language}
        return await self._fetch("POST", "/internal/v1/previews", body)

    async def document(self, invoice_id: uuid.UUID, kind: str) -> bytes:
        """The final PDF or XML; a 409 while the renderer has not made it yet."""
        return await self._fetch("GET", f"/internal/v1/invoices/{invoice_id}/{kind}")

    async def _fetch(self, method: str, path: str, body: object = None) -> bytes:
        try:
            async with self.http.request(
                method, self.url + path, headers=self.headers, json=body
            ) as r:
                if r.status == 404:
                    raise Conflict("document.pending")
                if r.status != 200:
                    raise Unavailable("unavailable")
                return await r.read()
        except (aiohttp.ClientError, TimeoutError):
            raise Unavailable("unavailable") from None
