"""Företag: company information, customer connections with their terms, the profile."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from services.web.dates import written_moment
from services.web.pages import (
    COMPANY,
    IDENTITY,
    LANGUAGE,
    SESSION_TOKEN,
    checked_id,
    form_of,
    render,
    supplier_required,
)
from shared.client import ServiceError, api_path
from shared.countries import countries

routes = web.RouteTableDef()

ADDRESS_FIELDS = ("kind", "name", "street", "postal_code", "city", "country", "phone")
# The password and code are asked again before any bank account changes.
ACCOUNT_FIELDS = ("bank_name", "bank_country", "kind", "number", "bic", "password", "code")


async def company(request: web.Request, method: str, path: str, **kwargs: Any) -> Any:
    return await request.app[COMPANY].call(
        method, path, language=request[LANGUAGE], token=request[SESSION_TOKEN], **kwargs
    )


async def company_or_none(request: web.Request) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = await company(request, "GET", "/v1/me/company")
    except ServiceError as error:
        if error.status == 404:
            return None
        raise
    return found


def invalid_only(error: ServiceError) -> ServiceError:
    """Let a 4xx with field messages through to the form; anything else is the page's error."""
    if error.status not in (409, 422) or not error.fields:
        raise error
    return error


@routes.get("/company")
@supplier_required
async def company_form(request: web.Request) -> web.StreamResponse:
    current = await company_or_none(request)
    values = {"country": "SE"}
    if current:
        values |= {
            k: str(current[k] or "")
            for k in ("name", "country", "organisation_number", "vat_number")
        }
        values |= {
            "no_vat_number": "" if current["vat_number"] else "yes",
            "f_skatt": "yes" if current["f_skatt"] else "",
        }
    return render(
        request,
        "company.html",
        values=values,
        countries=countries(request[LANGUAGE]),
        first=current is None,
    )


@routes.post("/company")
@supplier_required
async def save_company(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    body = {
        "name": form.get("name", ""),
        "country": form.get("country", "SE"),
        "organisation_number": form.get("organisation_number", ""),
        "vat_number": "" if form.get("no_vat_number") == "yes" else form.get("vat_number", ""),
        "no_vat_number": form.get("no_vat_number") == "yes",
        "f_skatt": form.get("f_skatt") == "yes",
    }
    try:
        await company(request, "PUT", "/v1/me/company", json=body)
    except ServiceError as error:
        invalid_only(error)
        return render(
            request,
            "company.html",
            status=422,
            values=form,
            errors=error.fields,
            countries=countries(request[LANGUAGE]),
            first=False,
        )
    raise web.HTTPSeeOther("/connections")


@routes.get("/connections")
@supplier_required
async def connections(request: web.Request) -> web.StreamResponse:
    try:
        found = await company(request, "GET", "/v1/me/connections")
    except ServiceError as error:
        if error.code == "company.missing":
            raise web.HTTPSeeOther("/company") from None
        raise
    return render(
        request, "connections.html", connections=found, failure=request.query.get("failure")
    )


@routes.post("/connections/{buyer_id}/connect")
@supplier_required
async def connect(request: web.Request) -> web.StreamResponse:
    buyer_id = checked_id(request.match_info["buyer_id"])
    try:
        await company(request, "POST", api_path("/v1/me/connections/{}/connect", buyer_id))
    except ServiceError as error:
        if error.status != 409:
            raise
        found = await company(request, "GET", "/v1/me/connections")
        return render(
            request,
            "connections.html",
            status=409,
            connections=found,
            failure=error.message,
            failed=buyer_id,
        )
    raise web.HTTPSeeOther("/connections")


@routes.get("/connections/{buyer_id}/setup")
@supplier_required
async def setup(request: web.Request) -> web.StreamResponse:
    found = await _connection(request, checked_id(request.match_info["buyer_id"]))
    return render(request, "setup.html", connection=found, accepted=False)


async def _connection(request: web.Request, buyer_id: str) -> Any:
    return await company(request, "GET", api_path("/v1/me/connections/{}", buyer_id))


@routes.post("/connections/{buyer_id}/setup")
@supplier_required
async def accept_terms(request: web.Request) -> web.StreamResponse:
    buyer_id = checked_id(request.match_info["buyer_id"])
    form = await form_of(request)
    try:
        found = await company(
            request,
            "POST",
            api_path("/v1/me/connections/{}/terms-acceptance", buyer_id),
            json={"confirmed": form.get("confirmed") == "yes"},
        )
    except ServiceError as error:
        invalid_only(error)
        found = await _connection(request, buyer_id)
        return render(
            request, "setup.html", status=422, connection=found, accepted=False, errors=error.fields
        )
    return render(request, "setup.html", connection=found, accepted=True)


@routes.get("/connections/{buyer_id}/terms.pdf")
@supplier_required
async def terms(request: web.Request) -> web.StreamResponse:
    buyer_id = checked_id(request.match_info["buyer_id"])
    pdf = await request.app[COMPANY].read(
        "GET",
        api_path("/v1/me/connections/{}/terms", buyer_id),
        language=request[LANGUAGE],
        token=request[SESSION_TOKEN],
    )
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="anvandarvillkor.pdf"'},
    )


async def second_factor_on(request: web.Request) -> bool:
    """Whether a bank account change also asks for a code."""
    status = await request.app[IDENTITY].call(
        "GET",
        "/v1/users/me/second-factor",
        language=request[LANGUAGE],
        token=request[SESSION_TOKEN],
    )
    return bool(status["enabled"])


async def _profile(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    if await company_or_none(request) is None:
        raise web.HTTPSeeOther("/company")
    return render(
        request,
        "profile.html",
        status=status,
        addresses=await company(request, "GET", "/v1/me/addresses"),
        accounts=await company(request, "GET", "/v1/me/bank-accounts"),
        countries=countries(request[LANGUAGE]),
        second_factor_on=await second_factor_on(request),
        **{
            "address": {"kind": "default", "country": "SE"},
            "account": {"bank_country": "SE"},
            **context,
        },
    )


@routes.get("/profile")
@supplier_required
async def profile(request: web.Request) -> web.StreamResponse:
    return await _profile(request, saved=request.query.get("saved"))


@routes.get("/profile/addresses/{item_id}")
@supplier_required
async def edit_address(request: web.Request) -> web.StreamResponse:
    item_id = checked_id(request.match_info["item_id"])
    found = [a for a in await company(request, "GET", "/v1/me/addresses") if a["id"] == item_id]
    if not found:
        raise web.HTTPNotFound()
    return await _profile(request, address=found[0], editing_address=item_id)


@routes.get("/profile/bank-accounts/{item_id}")
@supplier_required
async def edit_account(request: web.Request) -> web.StreamResponse:
    item_id = checked_id(request.match_info["item_id"])
    found = [a for a in await company(request, "GET", "/v1/me/bank-accounts") if a["id"] == item_id]
    if not found:
        raise web.HTTPNotFound()
    account = {**found[0], "bic": found[0]["bic"] or ""}
    return await _profile(request, account=account, editing_account=item_id)


@routes.post("/profile/addresses")
@routes.post("/profile/addresses/{item_id}")
@supplier_required
async def save_address(request: web.Request) -> web.StreamResponse:
    return await _save(request, "addresses", "address", ADDRESS_FIELDS)


@routes.post("/profile/bank-accounts")
@routes.post("/profile/bank-accounts/{item_id}")
@supplier_required
async def save_account(request: web.Request) -> web.StreamResponse:
    return await _save(request, "bank-accounts", "account", ACCOUNT_FIELDS)


async def _save(
    request: web.Request, collection: str, name: str, fields: tuple[str, ...]
) -> web.StreamResponse:
    form = await form_of(request)
    item_id = checked_id(request.match_info["item_id"]) if "item_id" in request.match_info else None
    body = {k: form.get(k, "") for k in fields}
    try:
        if item_id:
            path = api_path("/v1/me/{}/{}", collection, item_id)
            await company(request, "PUT", path, json=body)
        else:
            await company(request, "POST", api_path("/v1/me/{}", collection), json=body)
    except ServiceError as error:
        if error.status != 429:  # asked again too often: said at the code
            invalid_only(error)
        shown = error.fields or {"code": [error.message]}
        errors = {f"{name}.{k}": v for k, v in shown.items()}
        return await _profile(
            request, status=error.status, errors=errors, **{name: body, f"editing_{name}": item_id}
        )
    raise web.HTTPSeeOther(f"/profile?saved={name}#{collection}")


@routes.post("/profile/addresses/{item_id}/delete")
@supplier_required
async def delete_address(request: web.Request) -> web.StreamResponse:
    item_id = checked_id(request.match_info["item_id"])
    await company(request, "DELETE", api_path("/v1/me/addresses/{}", item_id))
    raise web.HTTPSeeOther("/profile#addresses")


async def _account_deletion(
    request: web.Request, item_id: str, status: int = 200, **context: Any
) -> web.Response:
    """The page that asks for the password (and code) before a bank account is deleted."""
    found = [a for a in await company(request, "GET", "/v1/me/bank-accounts") if a["id"] == item_id]
    if not found:
        raise web.HTTPNotFound()
    return render(
        request,
        "bank_account_delete.html",
        status=status,
        account=found[0],
        second_factor_on=await second_factor_on(request),
        **context,
    )


@routes.get("/profile/bank-accounts/{item_id}/delete")
@supplier_required
async def confirm_account_deletion(request: web.Request) -> web.StreamResponse:
    return await _account_deletion(request, checked_id(request.match_info["item_id"]))


@routes.post("/profile/bank-accounts/{item_id}/delete")
@supplier_required
async def delete_account(request: web.Request) -> web.StreamResponse:
    item_id = checked_id(request.match_info["item_id"])
    form = await form_of(request)
    proof = {"password": form.get("password", ""), "code": form.get("code", "")}
    try:
        await company(request, "DELETE", api_path("/v1/me/bank-accounts/{}", item_id), json=proof)
    except ServiceError as error:
        if error.status != 429:
            invalid_only(error)
        errors = error.fields or {"code": [error.message]}
        return await _account_deletion(request, item_id, status=error.status, errors=errors)
    raise web.HTTPSeeOther("/profile#bank-accounts")


@routes.get("/company/audit-log")
@supplier_required
async def audit_log(request: web.Request) -> web.StreamResponse:
    if await company_or_none(request) is None:
        raise web.HTTPSeeOther("/company")
    entries = await company(request, "GET", "/v1/me/audit-log")
    for entry in entries:
        entry["occurred_at"] = written_moment(entry["occurred_at"], request[LANGUAGE])
    return render(request, "audit_log.html", entries=entries)
