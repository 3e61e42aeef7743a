"""Two-step verification: turned on and off under Mitt konto, and a login's second step."""

from __future__ import annotations

from aiohttp import web

from services.web import security
from services.web.identity_pages import HOME, account_page, identity, logged_in, see_other
from services.web.pages import SESSION_TOKEN, form_of, login_required, render
from shared.client import ServiceError

routes = web.RouteTableDef()

FACTOR = "/v1/users/me/second-factor"


@routes.get("/login/code")
async def code_form(request: web.Request) -> web.StreamResponse:
    if not request.cookies.get(security.LOGIN_CHALLENGE_COOKIE):
        raise see_other("/login")
    next_page = security.safe_next(request.query.get("next"), "")
    return render(request, "login_code.html", next=next_page, failure=None)


@routes.post("/login/code")
async def log_in_with_code(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    next_page = security.safe_next(form.get("next"), HOME)
    try:
        session = await identity(
            request,
            "POST",
            "/v1/sessions/second-factor",
            json={
                "challenge": request.cookies.get(security.LOGIN_CHALLENGE_COOKIE, ""),
                "code": form.get("code", ""),
            },
        )
    except ServiceError as error:
        if error.status >= 500:
            raise
        if error.status == 401:  # too late, or done already: from the start again
            return render(
                request,
                "login.html",
                status=401,
                values={},
                failure=error.message,
                notice=None,
                next=security.safe_next(form.get("next"), ""),
            )
        return render(
            request,
            "login_code.html",
            status=error.status,
            errors=error.fields,
            failure=None if error.fields else error.message,
            next=security.safe_next(form.get("next"), ""),
        )
    response = logged_in(request, session, next_page)
    response.del_cookie(security.LOGIN_CHALLENGE_COOKIE, path="/")
    raise response


@routes.post("/account/second-factor")
@login_required
async def begin(request: web.Request) -> web.StreamResponse:
    try:
        setup = await identity(request, "POST", FACTOR, token=request[SESSION_TOKEN])
    except ServiceError as error:
        if error.status != 409:  # on already
            raise
        raise see_other("/account") from None
    return render(request, "second_factor_setup.html", setup=setup)


@routes.post("/account/second-factor/confirm")
@login_required
async def confirm(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    try:
        confirmed = await identity(
            request,
            "POST",
            FACTOR + "/confirmation",
            token=request[SESSION_TOKEN],
            json={"code": form.get("code", "")},
        )
    except ServiceError as error:
        if error.status == 409:
            raise see_other("/account") from None
        if error.status != 422:
            raise
        # The key as the browser was shown it, shown again: identity never gives it out twice.
        setup = {"secret": form.get("secret", ""), "uri": form.get("uri", "")}
        return render(
            request, "second_factor_setup.html", status=422, setup=setup, errors=error.fields
        )
    return render(request, "second_factor_codes.html", codes=confirmed["recovery_codes"])


@routes.post("/account/second-factor/off")
@login_required
async def turn_off(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    try:
        await identity(
            request,
            "DELETE",
            FACTOR,
            token=request[SESSION_TOKEN],
            json={"password": form.get("password", ""), "code": form.get("code", "")},
        )
    except ServiceError as error:
        if error.status not in (422, 429):
            raise
        errors = error.fields or {"code": [error.message]}
        return await account_page(request, status=error.status, errors=errors)
    raise see_other("/account?second_factor_off=1")
