"""Företag → Användare: a company's people, a supplier's or a buyer's alike. Every member sees
them; an admin invites colleagues, changes their roles and ends their memberships."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from services.web.company_pages import company
from services.web.dates import written_moment
from services.web.pages import (
    LANGUAGE,
    MEMBERSHIP,
    USER,
    checked_id,
    form_of,
    login_required,
    render,
)
from shared.client import ServiceError, api_path

routes = web.RouteTableDef()

MEMBER_FIELDS = ("email", "first_name", "last_name", "language", "role")


async def _page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    membership = request.get(MEMBERSHIP)
    if membership is None:
        raise web.HTTPSeeOther("/company")
    found = await company(request, "GET", "/v1/me/members")
    language = request[LANGUAGE]
    for invitation in found["invitations"]:
        invitation["expires"] = written_moment(invitation["expires_at"], language)
    context.setdefault("values", {"role": "user", "language": language})
    return render(
        request,
        "members.html",
        status=status,
        members=found["members"],
        invitations=found["invitations"],
        admin=membership["role"] == "admin",
        me=(request.get(USER) or {}).get("id"),
        **context,
    )


@routes.get("/company/users")
@login_required
async def members(request: web.Request) -> web.StreamResponse:
    return await _page(request, notice=request.query.get("notice"))


@routes.post("/company/users")
@login_required
async def invite(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    body = {k: form.get(k, "") for k in MEMBER_FIELDS}
    try:
        await company(request, "POST", "/v1/me/members", json=body)
    except ServiceError as error:
        if error.status != 422 or not error.fields:
            raise
        return await _page(request, status=422, errors=error.fields, values=form)
    raise web.HTTPSeeOther("/company/users?notice=invited")


@routes.post("/company/users/{user_id}")
@login_required
async def change(request: web.Request) -> web.StreamResponse:
    user_id = checked_id(request.match_info["user_id"])
    form = await form_of(request)
    path = api_path("/v1/me/members/{}", user_id)
    try:
        if form.get("action") == "remove":
            await company(request, "DELETE", path)
        else:
            await company(request, "PUT", path, json={"role": form.get("role", "")})
    except ServiceError as error:
        if error.status not in (409, 422):
            raise
        return await _page(request, status=error.status, failure=error.message)
    raise web.HTTPSeeOther("/company/users?notice=changed")
