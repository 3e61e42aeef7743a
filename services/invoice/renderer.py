"""The renderer's internal API, as the invoice service calls it."""

from __future__ import annotations

import uuid

from shared.client import ServiceClient, ServiceError, ServiceUnavailable, api_path
from shared.errors import Conflict
from shared.invoices import Invoice

# Far above any PDF or XML the renderer makes.
DOCUMENT_LIMIT = 64 * 1024 * 1024


class RendererClient:
    def __init__(self, renderer: ServiceClient) -> None:
        self.renderer = renderer

    async def preview(self, invoice: Invoice, language: str) -> bytes:
        body = {"invoice": invoice.model_dump(mode="json"), "language": language}
        return await self._read("POST", "/internal/v1/previews", body)

    async def document(self, invoice_id: uuid.UUID, kind: str) -> bytes:
        """The final PDF or XML; a 409 while the renderer has not made it yet."""
        path = api_path("/internal/v1/invoices/{}/{}", str(invoice_id), kind)
        return await self._read("GET", path)

    async def _read(self, method: str, path: str, body: object = None) -> bytes:
        try:
            return await self.renderer.read(method, path, json=body, limit=DOCUMENT_LIMIT)
        except ServiceError as error:
            if error.status == 404:
                raise Conflict("document.pending") from None
            raise ServiceUnavailable(
                f"the renderer refused {method} {path}: {error.status}"
            ) from None
