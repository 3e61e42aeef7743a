"""The pages of the supplier's journey, from the welcome page to the first login."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from services.web import security
from services.web.company_pages import company
from services.web.pages import (
    IDENTITY,
    LANGUAGE,
    MEMBERSHIP,
    SESSION_TOKEN,
    SETTINGS,
    USER,
    checked_id,
    form_of,
    language_of,
    login_required,
    message,
    render,
    text,
)
from shared.client import ServiceError, api_path
from shared.i18n import LANGUAGES
from shared.policy import PRIVACY_POLICY_VERSION

routes = web.RouteTableDef()

HOME = "/connections"
# The portal's suppliers are Swedish: times are shown as the clock on their wall shows them.
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


async def identity(request: web.Request, method: str, path: str, **kwargs: Any) -> Any:
    return await request.app[IDENTITY].call(method, path, language=language_of(request), **kwargs)


def local_time(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def see_other(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


@routes.get("/")
async def welcome(request: web.Request) -> web.StreamResponse:
    if request[USER]:
        raise see_other(HOME)
    return render(request, "welcome.html")


@routes.get("/privacy")
async def privacy(request: web.Request) -> web.StreamResponse:
    return render(
        request, f"privacy.{language_of(request)}.html", privacy_version=PRIVACY_POLICY_VERSION
    )


@routes.get("/accessibility")
async def accessibility(request: web.Request) -> web.StreamResponse:
    """The accessibility statement the law on accessible public digital services asks for."""
    return render(request, f"accessibility.{language_of(request)}.html")


@routes.post("/language")
async def choose_language(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    language = form.get("language", "")
    response = see_other(security.safe_next(form.get("next")))
    if language in LANGUAGES:
        settings = request.app[SETTINGS]
        security.set_cookie(
            response,
            security.LANGUAGE_COOKIE,
            language,
            secure=settings.secure_cookies,
            max_age=security.YEAR,
        )
        if request[USER]:
            await identity(
                request,
                "PUT",
                "/v1/users/me/language",
                token=request[SESSION_TOKEN],
                json={"language": language},
            )
    raise response


@routes.get("/captcha/challenge")
async def captcha_challenge(request: web.Request) -> web.StreamResponse:
    challenge = await identity(request, "POST", "/v1/captcha/challenges")
    return web.json_response(challenge)


@routes.get("/register")
async def registration_form(request: web.Request) -> web.StreamResponse:
    invitation, values, errors = await _invitation(request, request.query.get("invitation", ""))
    return render(request, "register.html", invitation=invitation, values=values, errors=errors)


@routes.post("/register")
async def register(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    token = form.get("invitation", "")
    invitation, prefill, _ = await _invitation(request, token)
    values = {k: form.get(k, "") for k in ("email", "first_name", "last_name")} | prefill
    try:
        accepted = await identity(
            request,
            "POST",
            "/v1/registrations",
            json={
                **values,
                "password": form.get("password", ""),
                "password_confirmation": form.get("password_confirmation", ""),
                "captcha": form.get("captcha", ""),
                "privacy_policy_accepted": form.get("privacy_policy_accepted") == "yes",
                "language": language_of(request),
                "invitation_token": token or None,
            },
        )
    except ServiceError as error:
        if error.status != 422:
            raise
        values["privacy_policy_accepted"] = form.get("privacy_policy_accepted", "")
        return render(
            request,
            "register.html",
            status=422,
            invitation=invitation,
            values=values,
            errors=error.fields,
        )
    raise _to_confirmation(request, accepted["email"])


async def _invitation(
    request: web.Request, token: str
) -> tuple[dict[str, str] | None, dict[str, str], dict[str, list[str]]]:
    """The invitation behind `token` with the fields it fills in, or an error at the e-mail."""
    if not token:
        return None, {}, {}
    try:
        invitation = await identity(request, "GET", api_path("/v1/invitations/{}", token))
    except ServiceError as error:
        if error.status != 404:
            raise
        return None, {}, {"email": [error.message]}
    invitation["token"] = token
    prefill = {k: invitation[k] for k in ("email", "first_name", "last_name")}
    return invitation, prefill, {}


def _to_confirmation(request: web.Request, email: str) -> web.HTTPSeeOther:
    response = see_other("/register/sent")
    settings = request.app[SETTINGS]
    security.set_cookie(
        response,
        security.PENDING_EMAIL_COOKIE,
        quote(email),
        secure=settings.secure_cookies,
        max_age=86400,
    )
    return response


def _pending_email(request: web.Request) -> str:
    return unquote(request.cookies.get(security.PENDING_EMAIL_COOKIE, ""))


@routes.get("/register/sent")
async def confirmation_sent(request: web.Request) -> web.StreamResponse:
    return render(request, "sent.html", email=_pending_email(request), values={}, notice=None)


@routes.post("/register/confirm")
async def confirm_by_code(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    email = form.get("email") or _pending_email(request)
    try:
        confirmed = await identity(
            request,
            "POST",
            "/v1/confirmations/code",
            json={"email": email, "code": form.get("code", "")},
        )
    except ServiceError as error:
        if error.status >= 500:
            raise
        errors = error.fields or {"code": [error.message]}
        return render(
            request, "sent.html", status=422, email=email, values=form, errors=errors, notice=None
        )
    response = see_other(_after_confirmation(confirmed))
    response.del_cookie(security.PENDING_EMAIL_COOKIE, path="/")
    raise response


@routes.post("/register/resend")
async def resend_confirmation(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    email = form.get("email") or _pending_email(request)
    await identity(request, "POST", "/v1/confirmations/resend", json={"email": email})
    return render(request, "sent.html", email=email, values={}, notice=text(request, "sent.resent"))


@routes.get("/confirm")
async def confirm_by_link(request: web.Request) -> web.StreamResponse:
    try:
        confirmed = await identity(
            request,
            "POST",
            "/v1/confirmations/link",
            json={"token": request.query.get("token", "")},
        )
    except ServiceError as error:
        if error.status >= 500:
            raise
        return render(request, "confirm_failed.html", status=410, lead=error.message)
    raise see_other(_after_confirmation(confirmed))


def _after_confirmation(confirmed: dict[str, Any]) -> str:
    """The confirmed page; or, for an address registered more than once, the page to choose
    the password on, since no registrant's password was kept."""
    token = confirmed.get("choose_password_token")
    return (
        f"/password/reset?{urlencode({'token': token, 'chosen': '1'})}" if token else "/confirmed"
    )


@routes.get("/confirmed")
async def confirmed(request: web.Request) -> web.StreamResponse:
    return render(request, "confirmed.html")


@routes.get("/login")
async def login_form(request: web.Request) -> web.StreamResponse:
    if request[USER]:
        raise see_other(HOME)
    notice = text(request, "logged_out") if "logged_out" in request.query else None
    next_page = security.safe_next(request.query.get("next"), "")
    return render(request, "login.html", values={}, notice=notice, next=next_page)


@routes.post("/login")
async def log_in(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    values = {"email": form.get("email", "")}
    next_page = security.safe_next(form.get("next"), HOME)
    try:
        # With the internal secret: identity believes the browser's address from us alone.
        session = await identity(
            request,
            "POST",
            "/v1/sessions",
            token=request.app[SETTINGS].internal_secret,
            json={
                "email": form.get("email", ""),
                "password": form.get("password", ""),
                "client_ip": request.remote or "",
                "user_agent": request.headers.get("User-Agent", "")[:400],
                "captcha": form.get("captcha", ""),
            },
        )
    except ServiceError as error:
        if error.status >= 500:
            raise
        unconfirmed = error.code == "login.unconfirmed"
        response = render(
            request,
            "login.html",
            status=error.status,
            values=values,
            errors=error.fields,
            failure=error.message if not error.fields else None,
            unconfirmed=unconfirmed,
            notice=None,
            next=security.safe_next(form.get("next"), ""),
        )
        if unconfirmed:
            settings = request.app[SETTINGS]
            security.set_cookie(
                response,
                security.PENDING_EMAIL_COOKIE,
                quote(values["email"]),
                secure=settings.secure_cookies,
            )
        return response
    if "challenge" in session:  # a second factor is on: its code is asked for next
        response = see_other("/login/code?" + urlencode({"next": next_page}))
        security.set_cookie(
            response,
            security.LOGIN_CHALLENGE_COOKIE,
            session["challenge"],
            secure=request.app[SETTINGS].secure_cookies,
            max_age=security.seconds_until(session["expires_at"]),
        )
        raise response
    raise logged_in(request, session, next_page)


def logged_in(request: web.Request, session: dict[str, Any], next_page: str) -> web.HTTPSeeOther:
    """On to `next_page` with the new session's cookie."""
    response = see_other(next_page)
    settings = request.app[SETTINGS]
    security.set_cookie(
        response,
        security.SESSION_COOKIE,
        session["token"],
        secure=settings.secure_cookies,
        max_age=security.seconds_until(session["expires_at"]),
    )
    if not request.cookies.get(security.LANGUAGE_COOKIE):
        request[LANGUAGE] = session["user"]["language"]
    return response


@routes.post("/logout")
async def log_out(request: web.Request) -> web.StreamResponse:
    token = request.get(SESSION_TOKEN)
    if token:
        try:
            await identity(request, "DELETE", "/v1/sessions/current", token=token)
        except ServiceError as error:
            if error.status != 401:
                raise
    response = see_other("/login?logged_out=1")
    response.del_cookie(security.SESSION_COOKIE, path="/")
    raise response


@routes.get("/password/forgot")
async def forgot_form(request: web.Request) -> web.StreamResponse:
    return render(request, "forgot.html", values={}, sent_to=None)


@routes.post("/password/forgot")
async def forgot(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    email = form.get("email", "").strip()
    if not email:
        return render(
            request,
            "forgot.html",
            status=422,
            values=form,
            errors={"email": [text(request, "required")]},
            sent_to=None,
        )
    await identity(request, "POST", "/v1/password-resets", json={"email": email})
    return render(request, "forgot.html", values={}, sent_to=email)


@routes.get("/password/reset")
async def reset_form(request: web.Request) -> web.StreamResponse:
    return render(
        request,
        "reset.html",
        token=request.query.get("token", ""),
        done=False,
        confirmed=request.query.get("chosen") == "1",
    )


@routes.post("/password/reset")
async def reset(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    try:
        await identity(
            request,
            "POST",
            "/v1/password-resets/complete",
            json={k: form.get(k, "") for k in ("token", "password", "password_confirmation")},
        )
    except ServiceError as error:
        if error.status >= 500:
            raise
        errors = error.fields or {"password": [error.message]}
        return render(
            request,
            "reset.html",
            status=error.status,
            token=form.get("token", ""),
            errors=errors,
            done=False,
        )
    response = render(request, "reset.html", token="", done=True)
    response.del_cookie(security.SESSION_COOKIE, path="/")
    return response


@routes.get("/account")
@login_required
async def account(request: web.Request) -> web.StreamResponse:
    notice = (
        text(request, "second_factor.turned_off") if "second_factor_off" in request.query else None
    )
    password_notice = (
        text(request, "account.password_changed") if "password_changed" in request.query else None
    )
    return await account_page(request, notice=notice, password_notice=password_notice)


async def account_page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    """Mitt konto: the user, the password, the second factor, the sessions, and deleting it all."""
    token = request[SESSION_TOKEN]
    sessions = await identity(request, "GET", "/v1/sessions", token=token)
    for session in sessions:
        for moment in ("created_at", "last_used_at"):
            session[moment] = local_time(session[moment])
    second_factor = await identity(request, "GET", "/v1/users/me/second-factor", token=token)
    return render(
        request,
        "account.html",
        status=status,
        sessions=sessions,
        second_factor=second_factor,
        deletion_standing=await deletion_standing(request),
        **context,
    )


async def deletion_standing(request: web.Request) -> str | None:
    """What the company says to the user's leaving: `last_admin` when the user is its only admin
    while it has other members (a company with members keeps an admin, so the role is handed to
    a colleague first; the company service would otherwise pick the earliest-joined colleague,
    whom nobody chose); `last_member` when nobody else can log in for it afterwards (its records
    stay, so the user is told to export them first); None otherwise."""
    membership = request.get(MEMBERSHIP)
    if membership is None or membership["role"] != "admin":
        return None
    members = (await company(request, "GET", "/v1/me/members"))["members"]
    if len(members) == 1:
        return "last_member"
    if sum(m["role"] == "admin" for m in members) == 1:
        return "last_admin"
    return None


@routes.post("/account/sessions/{session_id}/end")
@login_required
async def end_session(request: web.Request) -> web.StreamResponse:
    try:
        await identity(
            request,
            "DELETE",
            api_path("/v1/sessions/{}", checked_id(request.match_info["session_id"])),
            token=request[SESSION_TOKEN],
        )
    except ServiceError as error:
        if error.status == 404:  # none of this user's: as if there were no such page
            raise web.HTTPNotFound() from None
        raise
    # Ending this very session leads on to the login page, its cookie deleted.
    raise see_other("/account")


@routes.post("/account/password")
@login_required
async def change_password(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    fields = ("password", "code", "new_password", "new_password_confirmation")
    try:
        await identity(
            request,
            "PUT",
            "/v1/users/me/password",
            token=request[SESSION_TOKEN],
            json={k: form.get(k, "") for k in fields},
        )
    except ServiceError as error:
        if error.status not in (422, 429):  # asked again too often: said at the password
            raise
        shown = error.fields or {"password": [error.message]}
        errors = {f"change.{k}": v for k, v in shown.items()}
        return await account_page(
            request, status=error.status, errors=errors, changing_password=True
        )
    raise see_other("/account?password_changed=1")


@routes.post("/account/delete")
@login_required
async def delete_account(request: web.Request) -> web.StreamResponse:
    """Radera konto: with the password (and the code), unless the user is the company's last
    admin among colleagues; then the deleted page, the session's cookie gone."""
    form = await form_of(request)
    if await deletion_standing(request) == "last_admin":
        return await account_page(request, status=409, deleting=True)
    try:
        await identity(
            request,
            "POST",
            "/v1/users/me/deletion",
            token=request[SESSION_TOKEN],
            json={"password": form.get("password", ""), "code": form.get("code", "")},
        )
    except ServiceError as error:
        if error.status not in (422, 429):  # asked again too often: said at the password
            raise
        shown = error.fields or {"password": [error.message]}
        errors = {f"delete.{k}": v for k, v in shown.items()}
        return await account_page(request, status=error.status, errors=errors, deleting=True)
    # Shown as to a visitor: the account, and with it the user and the company, are gone.
    request[USER] = None
    request[MEMBERSHIP] = None
    response = message(
        request, 200, "delete_account.deleted_title", text(request, "delete_account.deleted_lead")
    )
    response.del_cookie(security.SESSION_COOKIE, path="/")
    return response
