"""Rendering pages: the request's language, user and CSRF token in every template."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial, wraps
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from services.web import security
from services.web.texts import TEXTS
from shared import formatting
from shared.client import ServiceClient, ServiceError, ServiceUnavailable
from shared.i18n import COMMON, Language, negotiate, translate
from shared.settings import WebSettings

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", WebSettings)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
IDENTITY = web.AppKey("identity", ServiceClient)
COMPANY = web.AppKey("company", ServiceClient)
INVOICE = web.AppKey("invoice", ServiceClient)

# What the context middleware finds out about each request.
LANGUAGE = web.RequestKey[Language]("language")
USER = web.RequestKey[dict[str, Any] | None]("user")
# The company the user acts for and the user's role in it: a supplier's or a buyer's pages.
MEMBERSHIP = web.RequestKey[dict[str, Any] | None]("membership")
SESSION_TOKEN = web.RequestKey[str]("session_token")
BROWSER_SECRET = web.RequestKey[str]("browser_secret")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def language_of(request: web.Request) -> Language:
    return request[LANGUAGE]


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    language = language_of(request)
    settings = request.app[SETTINGS]
    page = (
        request.app[TEMPLATES]
        .get_template(template)
        .render(
            t=partial(text, request),
            lang=language,
            number=partial(formatting.number, language=language),
            money=partial(formatting.money, language=language),
            day=partial(formatting.day, language=language),
            user=request.get(USER),
            membership=request.get(MEMBERSHIP),
            csrf_token=security.csrf_token(settings.csrf_secret, request[BROWSER_SECRET]),
            path=request.path_qs,
            errors=context.pop("errors", {}),
            values=context.pop("values", {}),
            **context,
        )
    )
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")


async def form_of(request: web.Request) -> dict[str, str]:
    return {
        key: str(value) for key, value in (await request.post()).items() if isinstance(value, str)
    }


def checked_id(text: str) -> str:
    """An id taken from a page's address or a form, as the services write it; anything else names
    a page that does not exist, and never reaches a service."""
    try:
        parsed = str(uuid.UUID(text))
    except ValueError:
        raise web.HTTPNotFound() from None
    if parsed != text.lower():  # braces, `urn:uuid:`, no hyphens: forms the services never write
        raise web.HTTPNotFound()
    return parsed


def login_required(handler: Handler) -> Handler:
    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        if request.get(USER) is None:
            raise web.HTTPSeeOther("/login?" + urlencode({"next": request.path_qs}))
        return await handler(request)

    return guarded


@web.middleware
async def context_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Browser secret, language and user for every page; a CSRF check on every post."""
    settings = request.app[SETTINGS]
    browser_secret = security.csrf_secret_of(request)
    fresh_secret = browser_secret is None
    request[BROWSER_SECRET] = browser_secret or security.new_browser_secret()
    chosen = request.cookies.get(security.LANGUAGE_COOKIE)
    request[LANGUAGE] = negotiate(chosen or request.headers.get("Accept-Language"))
    request[USER] = None
    request[MEMBERSHIP] = None
    token = request.cookies.get(security.SESSION_COOKIE)
    if token:
        request[SESSION_TOKEN] = token
        try:
            user = await request.app[IDENTITY].call(
                "GET", "/v1/sessions/current", language=request[LANGUAGE], token=token
            )
        except ServiceError as error:
            if error.status != 401:
                raise
        else:
            request[USER] = user
            if not chosen:
                request[LANGUAGE] = user["language"]
            request[MEMBERSHIP] = await _membership(request, token)
    if request.method == "POST":
        try:
            form = await request.post()
        except ValueError:  # no form at all: a broken multipart body, bytes that aren't UTF-8
            return message(request, 400, "error.title", "")
        if not security.csrf_valid(request, settings.csrf_secret, str(form.get("csrf_token", ""))):
            return message(request, 403, "csrf.title", text(request, "csrf.lead"))
    response = await handler(request)
    if fresh_secret:
        security.set_cookie(
            response,
            security.CSRF_COOKIE,
            request[BROWSER_SECRET],
            secure=settings.secure_cookies,
        )
    if token and request[USER] is None and security.SESSION_COOKIE not in response.cookies:
        response.del_cookie(security.SESSION_COOKIE, path="/")  # revoked or expired
    return response


async def _membership(request: web.Request, token: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = await request.app[COMPANY].call(
            "GET", "/v1/me/membership", language=request[LANGUAGE], token=token
        )
    except ServiceError as error:
        if error.status != 404:
            raise
        return None
    return found


BUYER_HOME = "/buyer/invoices"


def supplier_required(handler: Handler) -> Handler:
    """A page of a supplier's; a buyer's user is taken to the buyer's pages instead."""

    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        membership = request.get(MEMBERSHIP)
        if membership is not None and membership["kind"] == "buyer":
            raise web.HTTPSeeOther(BUYER_HOME)
        return await handler(request)

    return login_required(guarded)


def buyer_required(handler: Handler) -> Handler:
    """A page of the buyer's, for its users only; anyone else finds no such page."""

    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        if request.get(USER) is None:
            raise web.HTTPSeeOther("/login?" + urlencode({"next": request.path_qs}))
        membership = request.get(MEMBERSHIP)
        if membership is None or membership["kind"] != "buyer":
            raise web.HTTPNotFound()
        return await handler(request)

    return guarded


@web.middleware
async def page_error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure is a page in the user's language; never a trace."""
    # Set again by the context middleware; here so an error page can render before it runs.
    request[LANGUAGE] = negotiate(request.headers.get("Accept-Language"))
    request[BROWSER_SECRET] = security.csrf_secret_of(request) or security.new_browser_secret()
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status == 404:
            return message(request, 404, "not_found.title", "")
        if error.status == 413:
            return message(request, 413, "error.title", text(request, "too_large"))
        raise
    except ServiceError as error:
        return message(request, error.status, "error.title", error.message)
    except ServiceUnavailable:
        unavailable = translate(COMMON, "unavailable", language_of(request))
        return message(request, 503, "error.title", unavailable)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return message(request, 500, "error.title", "")


def text(request: web.Request, key: str, **params: Any) -> str:
    return translate(TEXTS, key, language_of(request), **params)


def message(request: web.Request, status: int, title_key: str, lead: str) -> web.Response:
    """A page with a title and one paragraph, and a way back."""
    return render(request, "message.html", status=status, title=text(request, title_key), lead=lead)
