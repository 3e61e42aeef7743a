"""The renderer's internal API, for the invoice and web services; never for browsers.

Every route asks for the shared internal secret as a bearer token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from services.renderer import db
from services.renderer.failures import Unrenderable
from services.renderer.previews import PreviewCache
from services.renderer.schemas import PreviewRequest
from services.renderer.workers import RenderPool
from shared.errors import FieldErrors, NotFound
from shared.http import read_json, require_bearer
from shared.openapi import documented
from shared.service import FILES, POOL
from shared.settings import RendererSettings

SETTINGS = web.AppKey("settings", RendererSettings)
CLOCK = web.AppKey[Callable[[], datetime]]("clock")
RENDER_POOL = web.AppKey("render_pool", RenderPool)
PREVIEWS = web.AppKey("previews", PreviewCache)

CONTENT_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}

routes = web.RouteTableDef()


def require_internal(request: web.Request) -> None:
    require_bearer(request, request.app[SETTINGS].internal_secret, "internal.unauthorized")


def path_id(request: web.Request, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise NotFound("not_found") from None


@routes.post("/internal/v1/previews")
@documented(body=PreviewRequest, content_type="application/pdf", auth="internal")
async def preview(request: web.Request) -> web.Response:
    """The draft's PDF exactly as the buyer will see it; an unchanged draft comes from memory."""
    require_internal(request)
    form = await read_json(request, PreviewRequest)
    cache = request.app[PREVIEWS]
    key = cache.key(form)
    pdf = cache.get(key)
    outcome = "hit"
    if pdf is None:
        outcome = "miss"
        try:
            pdf = await request.app[RENDER_POOL].pdf(form.invoice, form.language)
        except Unrenderable as error:
            raise FieldErrors(
                [("invoice", "preview.unrenderable", {"reason": error.reason})]
            ) from None
        cache.put(key, pdf)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"X-Preview-Cache": outcome, "Cache-Control": "no-store"},
    )


@routes.get("/internal/v1/invoices/{invoice_id}/{kind:pdf|xml}")
@documented(
    content_type=tuple(CONTENT_TYPES.values()),
    auth="internal",
    path={"invoice_id": uuid.UUID},
)
async def show_document(request: web.Request) -> web.Response:
    """The stored final PDF or Peppol XML; 404 until the invoice is rendered."""
    require_internal(request)
    invoice_id = path_id(request, "invoice_id")
    kind: db.DocumentKind = "pdf" if request.match_info["kind"] == "pdf" else "xml"
    async with request.app[POOL].acquire() as conn:
        sha256 = await db.document_sha256(conn, invoice_id, kind)
    if sha256 is None:
        raise NotFound("not_found")
    content = await request.app[FILES].get(sha256)
    return web.Response(
        body=content,
        content_type=CONTENT_TYPES[kind],
        charset="utf-8" if kind == "xml" else None,
        headers={"ETag": f'"{sha256}"', "Cache-Control": "private, no-cache"},
    )
