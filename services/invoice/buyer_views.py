"""The invoice service's routes for a buyer's own users, with their session: what the buyer
received, the statuses it gives, its API keys and webhooks. Each finds the caller's buyer first,
and nothing of any other buyer's."""

from __future__ import annotations

import uuid
from typing import Literal

from aiohttp import web

from services.invoice import buyer_statuses, buyer_users, webhooks
from services.invoice.schemas import (
    BuyerKeyInfo,
    InvoiceResponse,
    KeyForm,
    ReceivedDetail,
    ReceivedSearch,
    RegisteredWebhook,
    StatusChange,
    WebhookDeliveries,
    WebhookForm,
    Webhooks,
)
from services.invoice.views import (
    ATTACHMENT,
    DOCUMENT_TYPES,
    INVOICE,
    RENDERER,
    SETTINGS,
    WEBHOOK,
    deps,
    page_number,
    path_id,
    pdf_response,
    principal,
    search_text,
)
from shared.http import json_response, read_json
from shared.openapi import documented

routes = web.RouteTableDef()
KEY = {"key_id": uuid.UUID}


async def buyer_id(request: web.Request) -> uuid.UUID:
    return await buyer_users.buyer_of(deps(request), await principal(request))


@routes.get("/v1/me/received")
@documented(
    response=ReceivedSearch,
    auth="session",
    query={
        "q": str,
        "status": Literal["new", "received", "approved", "rejected", "paid"],
        "page": int,
    },
)
async def received_invoices(request: web.Request) -> web.Response:
    """The invoices the caller's buyer received, newest first: `q` matches the start of the
    number or part of the supplier's name, `status` the buyer's newest status (`new`: none)."""
    buyer = await buyer_id(request)
    status = request.query.get("status") or None
    found = await buyer_users.search(
        deps(request), buyer, search_text(request), status, page_number(request)
    )
    return json_response(found)


@routes.get("/v1/me/received/{invoice_id}")
@documented(response=ReceivedDetail, auth="session", path=INVOICE)
async def received_invoice(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    return json_response(await buyer_users.detail(deps(request), buyer, path_id(request)))


@routes.get("/v1/me/received/{invoice_id}/{kind:pdf|xml}")
@documented(content_type=DOCUMENT_TYPES, auth="session", path=INVOICE)
async def received_document(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    found = await buyer_users.detail(deps(request), buyer, path_id(request))
    kind = request.match_info["kind"]
    content = await request.app[RENDERER].document(found.document.id, kind)
    content_type = "application/pdf" if kind == "pdf" else "application/xml"
    return pdf_response(content, f"faktura-{found.document.number}.{kind}", content_type)


@routes.get("/v1/me/received/{invoice_id}/attachments/{attachment_id}")
@documented(content_type="application/pdf", auth="session", path=ATTACHMENT)
async def received_attachment(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    name, content = await buyer_users.attachment(
        deps(request), buyer, path_id(request), path_id(request, "attachment_id")
    )
    return pdf_response(content, name)


@routes.post("/v1/me/received/{invoice_id}/status")
@documented(body=StatusChange, response=InvoiceResponse, auth="session", path=INVOICE)
async def received_status(request: web.Request) -> web.Response:
    """Give the invoice a status, as `POST /v1/buyer/invoices/{id}/status` does with a key."""
    who = await principal(request)
    buyer = await buyer_users.buyer_of(deps(request), who)
    change = await read_json(request, StatusChange)
    response = await buyer_statuses.set_status(
        deps(request),
        buyer,
        path_id(request),
        change.status,
        change.reason,
        change.reason_code,
        set_by_user=who.user_id,
    )
    return json_response(response)


@routes.get("/v1/me/buyer-keys")
@documented(response=list[BuyerKeyInfo], auth="session")
async def list_keys(request: web.Request) -> web.Response:
    """The buyer's API keys, those in use first, each with when it was last used."""
    found = await buyer_users.keys(deps(request), await buyer_id(request))
    return web.json_response([k.model_dump(mode="json") for k in found])


@routes.post("/v1/me/buyer-keys")
@documented(body=KeyForm, response=dict[str, str], status=201, auth="session")
async def create_key(request: web.Request) -> web.Response:
    """A new named key; the answer's `key` is shown only here."""
    who = await principal(request)
    buyer = await buyer_users.buyer_of(deps(request), who)
    form = await read_json(request, KeyForm)
    return web.json_response(
        await buyer_users.create_key(deps(request), buyer, form.name, who), status=201
    )


@routes.delete("/v1/me/buyer-keys/{key_id}")
@documented(status=204, auth="session", path=KEY)
async def revoke_key(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    await buyer_users.revoke_key(deps(request), buyer, path_id(request, "key_id"))
    return web.Response(status=204)


@routes.get("/v1/me/webhooks")
@documented(response=Webhooks, auth="session")
async def list_webhooks(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    return json_response(Webhooks(webhooks=await webhooks.endpoints(deps(request), buyer)))


@routes.post("/v1/me/webhooks")
@documented(body=WebhookForm, response=RegisteredWebhook, status=201, auth="session")
async def register_webhook(request: web.Request) -> web.Response:
    """Register a webhook as `POST /v1/buyer/webhooks` does; the secret is shown only here."""
    who = await principal(request)
    buyer = await buyer_users.buyer_of(deps(request), who)
    form = await read_json(request, WebhookForm)
    allow = request.app[SETTINGS].webhook_allow_private
    registered = await webhooks.register(
        deps(request), buyer, form, allow_private=allow, created_by=who.user_id
    )
    return json_response(registered, status=201)


@routes.delete("/v1/me/webhooks/{webhook_id}")
@documented(status=204, auth="session", path=WEBHOOK)
async def delete_webhook(request: web.Request) -> web.Response:
    buyer = await buyer_id(request)
    await webhooks.delete(deps(request), buyer, path_id(request, "webhook_id"))
    return web.Response(status=204)


@routes.get("/v1/me/webhooks/{webhook_id}/deliveries")
@documented(response=WebhookDeliveries, auth="session", path=WEBHOOK)
async def webhook_deliveries(request: web.Request) -> web.Response:
    """The webhook's delivery log, the newest first."""
    buyer = await buyer_id(request)
    limit = webhooks.log_limit(request.query.get("limit"))
    found = await webhooks.deliveries(deps(request), buyer, path_id(request, "webhook_id"), limit)
    return json_response(WebhookDeliveries(deliveries=found))
