"""The buyer's pages, for its users: Mottagna fakturor (received invoices, opened, downloaded and
given a status), API-nycklar and webhooks with their delivery log."""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web

from services.web.company_pages import invalid_only
from services.web.dates import written_moment
from services.web.invoice_pages import invoice_api, invoice_file, page_links
from services.web.pages import (
    BUYER_HOME,
    LANGUAGE,
    buyer_required,
    checked_id,
    form_of,
    render,
)
from shared.client import ServiceError, api_path
from shared.invoice_response import REJECTION_REASONS

routes = web.RouteTableDef()

FILTERS = ("new", "received", "approved", "rejected", "paid")
STATUSES = ("received", "approved", "rejected", "paid")


@routes.get("/buyer")
@buyer_required
async def buyer_home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(BUYER_HOME)


@routes.get("/buyer/invoices")
@buyer_required
async def received_list(request: web.Request) -> web.StreamResponse:
    params = {k: request.query[k] for k in ("q", "status", "page") if request.query.get(k)}
    if params.get("status") not in (None, *FILTERS):
        params.pop("status")
    found = await invoice_api(request, "GET", "/v1/me/received", params=params)
    pages = max(1, math.ceil(found["total"] / found["page_size"]))
    return render(
        request,
        "buyer_invoices.html",
        page=found,
        pages=pages,
        page_links=page_links(found["page"], pages),
        query=params,
        filters=FILTERS,
    )


async def _received(request: web.Request, invoice_id: str) -> Any:
    return await invoice_api(request, "GET", api_path("/v1/me/received/{}", invoice_id))


def _reasons(language: str) -> list[tuple[str, str]]:
    return [(code, words[language]) for code, words in REJECTION_REASONS.items()]


async def _invoice_page(
    request: web.Request, invoice_id: str, status: int = 200, **context: Any
) -> web.Response:
    invoice = await _received(request, invoice_id)
    language = request[LANGUAGE]
    for response in invoice["responses"]:
        response["at"] = written_moment(response["set_at"], language)
        if response["reason_code"]:
            response["reason_label"] = REJECTION_REASONS[response["reason_code"]][language]
    context.setdefault("values", {"status": "approved"})
    return render(
        request,
        "buyer_invoice.html",
        status=status,
        invoice=invoice,
        statuses=STATUSES,
        reasons=_reasons(language),
        notice=request.query.get("notice"),
        **context,
    )


@routes.get("/buyer/invoices/{invoice_id}")
@buyer_required
async def received_invoice(request: web.Request) -> web.StreamResponse:
    return await _invoice_page(request, checked_id(request.match_info["invoice_id"]))


@routes.post("/buyer/invoices/{invoice_id}/status")
@buyer_required
async def give_status(request: web.Request) -> web.StreamResponse:
    invoice_id = checked_id(request.match_info["invoice_id"])
    form = await form_of(request)
    status = form.get("status", "")
    body: dict[str, Any] = {"status": status}
    if status == "rejected":
        body |= {"reason": form.get("reason", ""), "reason_code": form.get("reason_code") or None}
    try:
        await invoice_api(
            request, "POST", api_path("/v1/me/received/{}/status", invoice_id), json=body
        )
    except ServiceError as error:
        if error.status == 409:
            return await _invoice_page(
                request, invoice_id, status=409, failure=error.message, values=form
            )
        invalid_only(error)
        return await _invoice_page(
            request, invoice_id, status=422, errors=error.fields, values=form
        )
    raise web.HTTPSeeOther(f"/buyer/invoices/{invoice_id}?notice=status")


@routes.get("/buyer/invoices/{invoice_id}/{file:invoice.pdf|invoice.xml}")
@buyer_required
async def received_document(request: web.Request) -> web.StreamResponse:
    invoice_id, name = checked_id(request.match_info["invoice_id"]), request.match_info["file"]
    kind = "xml" if name.endswith(".xml") else "pdf"
    content = await invoice_file(request, api_path("/v1/me/received/{}/{}", invoice_id, kind))
    disposition = "attachment" if kind == "xml" else "inline"
    return web.Response(
        body=content,
        content_type="application/xml" if kind == "xml" else "application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@routes.get("/buyer/invoices/{invoice_id}/attachments/{attachment_id}")
@buyer_required
async def received_attachment(request: web.Request) -> web.StreamResponse:
    path = api_path(
        "/v1/me/received/{}/attachments/{}",
        checked_id(request.match_info["invoice_id"]),
        checked_id(request.match_info["attachment_id"]),
    )
    return web.Response(
        body=await invoice_file(request, path),
        content_type="application/pdf",
        headers={"Content-Disposition": "inline"},
    )


async def _keys_page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    keys = await invoice_api(request, "GET", "/v1/me/buyer-keys")
    language = request[LANGUAGE]
    for key in keys:
        for moment in ("created_at", "last_used_at", "revoked_at"):
            key[moment] = key[moment] and written_moment(key[moment], language)
    return render(request, "buyer_keys.html", status=status, keys=keys, **context)


@routes.get("/buyer/keys")
@buyer_required
async def keys(request: web.Request) -> web.StreamResponse:
    return await _keys_page(request)


@routes.post("/buyer/keys")
@buyer_required
async def create_key(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    try:
        issued = await invoice_api(
            request, "POST", "/v1/me/buyer-keys", json={"name": form.get("name", "")}
        )
    except ServiceError as error:
        invalid_only(error)
        return await _keys_page(request, status=422, errors=error.fields, values=form)
    # The key is shown on this answer only: never in an address, never kept.
    return await _keys_page(request, issued=issued)


@routes.post("/buyer/keys/{key_id}/revoke")
@buyer_required
async def revoke_key(request: web.Request) -> web.StreamResponse:
    key_id = checked_id(request.match_info["key_id"])
    await invoice_api(request, "DELETE", api_path("/v1/me/buyer-keys/{}", key_id))
    raise web.HTTPSeeOther("/buyer/keys")


async def _webhooks_page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    found = await invoice_api(request, "GET", "/v1/me/webhooks")
    return render(
        request, "buyer_webhooks.html", status=status, webhooks=found["webhooks"], **context
    )


@routes.get("/buyer/webhooks")
@buyer_required
async def webhooks(request: web.Request) -> web.StreamResponse:
    return await _webhooks_page(request)


@routes.post("/buyer/webhooks")
@buyer_required
async def register_webhook(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    body = {"url": form.get("url", ""), "description": form.get("description", "")}
    try:
        registered = await invoice_api(request, "POST", "/v1/me/webhooks", json=body)
    except ServiceError as error:
        invalid_only(error)
        return await _webhooks_page(request, status=422, errors=error.fields, values=form)
    return await _webhooks_page(request, registered=registered)


@routes.post("/buyer/webhooks/{webhook_id}/delete")
@buyer_required
async def delete_webhook(request: web.Request) -> web.StreamResponse:
    webhook_id = checked_id(request.match_info["webhook_id"])
    await invoice_api(request, "DELETE", api_path("/v1/me/webhooks/{}", webhook_id))
    raise web.HTTPSeeOther("/buyer/webhooks")


@routes.get("/buyer/webhooks/{webhook_id}")
@buyer_required
async def webhook_log(request: web.Request) -> web.StreamResponse:
    webhook_id = checked_id(request.match_info["webhook_id"])
    found = await invoice_api(request, "GET", "/v1/me/webhooks")
    webhook = next((w for w in found["webhooks"] if w["id"] == webhook_id), None)
    if webhook is None:
        raise web.HTTPNotFound()
    log = await invoice_api(request, "GET", api_path("/v1/me/webhooks/{}/deliveries", webhook_id))
    language = request[LANGUAGE]
    for delivery in log["deliveries"]:
        for moment in ("created_at", "last_attempt_at", "next_attempt_at"):
            if delivery.get(moment):
                delivery[moment] = written_moment(delivery[moment], language)
    return render(request, "buyer_webhook.html", webhook=webhook, deliveries=log["deliveries"])
