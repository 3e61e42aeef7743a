"""The identity service's JSON API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from services.identity import accounts, captcha, second_factor
from services.identity.passwords import Hashing
from services.identity.schemas import (
    Accepted,
    CodeConfirmation,
    Confirmed,
    EmailOnly,
    Invitation,
    LanguageChoice,
    LinkConfirmation,
    Login,
    PasswordChange,
    PasswordResetCompletion,
    Reauthentication,
    RecoveryCodes,
    Registration,
    SecondFactorChallenge,
    SecondFactorCode,
    SecondFactorSetup,
    SecondFactorStatus,
    SecondStep,
    Session,
    SessionSummary,
    User,
)
from shared.errors import Unauthorized
from shared.http import json_response, read_json, require_bearer
from shared.openapi import documented
from shared.service import POOL
from shared.settings import IdentitySettings

SETTINGS = web.AppKey("settings", IdentitySettings)
CLOCK = web.AppKey[Callable[[], datetime]]("clock")
HASHING = web.AppKey("hashing", Hashing)

routes = web.RouteTableDef()


def deps(request: web.Request) -> accounts.Deps:
    app = request.app
    return accounts.Deps(
        pool=app[POOL], settings=app[SETTINGS], hashing=app[HASHING], now=app[CLOCK]()
    )


def bearer_token(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("session.invalid")
    return token.strip()


def not_stored(response: web.Response) -> web.Response:
    """A secret shown once: kept by no cache on the way."""
    response.headers["Cache-Control"] = "no-store"
    return response


def from_the_web(request: web.Request) -> bool:
    """Whether the web front sent this, with the internal secret: only it knows the browser."""
    try:
        require_bearer(request, request.app[SETTINGS].internal_secret)
    except Unauthorized:
        return False
    return True


@routes.post("/v1/captcha/challenges")
@documented(response=dict[str, Any], status=201)
async def create_captcha_challenge(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    challenge = captcha.create_challenge(settings.token_secret, settings.captcha_max_number)
    return web.json_response(challenge, status=201, headers={"Cache-Control": "no-store"})


@routes.get("/v1/invitations/{token}")
@documented(response=Invitation)
async def show_invitation(request: web.Request) -> web.Response:
    return json_response(await accounts.invitation(deps(request), request.match_info["token"]))


@routes.post("/v1/registrations")
@documented(body=Registration, response=Accepted, status=202)
async def register(request: web.Request) -> web.Response:
    form = await read_json(request, Registration)
    email = await accounts.register(deps(request), form)
    return json_response(Accepted(email=email), status=202)


@routes.post("/v1/confirmations/link")
@documented(body=LinkConfirmation, response=Confirmed)
async def confirm_by_link(request: web.Request) -> web.Response:
    form = await read_json(request, LinkConfirmation)
    return json_response(await accounts.confirm_by_link(deps(request), form.token))


@routes.post("/v1/confirmations/code")
@documented(body=CodeConfirmation, response=Confirmed)
async def confirm_by_code(request: web.Request) -> web.Response:
    form = await read_json(request, CodeConfirmation)
    return json_response(await accounts.confirm_by_code(deps(request), form))


@routes.post("/v1/confirmations/resend")
@documented(body=EmailOnly, response=Accepted, status=202)
async def resend_confirmation(request: web.Request) -> web.Response:
    form = await read_json(request, EmailOnly)
    await accounts.resend_confirmation(deps(request), form.email)
    return json_response(Accepted(email=form.email), status=202)


@routes.post("/v1/sessions")
@documented(body=Login, response=Session, status=201, responses={202: SecondFactorChallenge})
async def log_in(request: web.Request) -> web.Response:
    form = await read_json(request, Login)
    if not from_the_web(request):
        # Anyone else could name any address: to spread guesses, or to spend another's allowance.
        form = form.model_copy(update={"client_ip": ""})
    started = await accounts.log_in(deps(request), form)
    # 202: the password was right, and the login goes on at /v1/sessions/second-factor.
    return json_response(started, status=201 if isinstance(started, Session) else 202)


@routes.post("/v1/sessions/second-factor")
@documented(body=SecondStep, response=Session, status=201)
async def log_in_second_step(request: web.Request) -> web.Response:
    form = await read_json(request, SecondStep)
    return json_response(await second_factor.complete_login(deps(request), form), status=201)


@routes.post("/v1/sessions/current/reauthentication")
@documented(body=Reauthentication, status=204, auth="session")
async def reauthenticate(request: web.Request) -> web.Response:
    form = await read_json(request, Reauthentication)
    await second_factor.reauthenticate(deps(request), bearer_token(request), form)
    return web.Response(status=204)


@routes.get("/v1/users/me/second-factor")
@documented(response=SecondFactorStatus, auth="session")
async def second_factor_status(request: web.Request) -> web.Response:
    return json_response(await second_factor.status(deps(request), bearer_token(request)))


@routes.post("/v1/users/me/second-factor")
@documented(response=SecondFactorSetup, status=201, auth="session")
async def begin_second_factor(request: web.Request) -> web.Response:
    setup = await second_factor.begin_setup(deps(request), bearer_token(request))
    return not_stored(json_response(setup, status=201))


@routes.post("/v1/users/me/second-factor/confirmation")
@documented(body=SecondFactorCode, response=RecoveryCodes, auth="session")
async def confirm_second_factor(request: web.Request) -> web.Response:
    form = await read_json(request, SecondFactorCode)
    codes = await second_factor.confirm_setup(deps(request), bearer_token(request), form.code)
    return not_stored(json_response(codes))


@routes.delete("/v1/users/me/second-factor")
@documented(body=Reauthentication, status=204, auth="session")
async def turn_off_second_factor(request: web.Request) -> web.Response:
    form = await read_json(request, Reauthentication)
    await second_factor.turn_off(deps(request), bearer_token(request), form)
    return web.Response(status=204)


@routes.post("/v1/users/me/deletion")
@documented(body=Reauthentication, status=204, auth="session")
async def delete_account(request: web.Request) -> web.Response:
    """Delete the session's account: its personal data is erased and every session ends."""
    form = await read_json(request, Reauthentication)
    await second_factor.delete_account(deps(request), bearer_token(request), form)
    return web.Response(status=204)


@routes.get("/v1/sessions/current")
@documented(response=User, auth="session")
async def current_session(request: web.Request) -> web.Response:
    return json_response(await accounts.session_user(deps(request), bearer_token(request)))


@routes.delete("/v1/sessions/current")
@documented(status=204, auth="session")
async def log_out(request: web.Request) -> web.Response:
    await accounts.log_out(deps(request), bearer_token(request))
    return web.Response(status=204)


@routes.get("/v1/sessions")
@documented(response=list[SessionSummary], auth="session")
async def list_sessions(request: web.Request) -> web.Response:
    found = await accounts.sessions(deps(request), bearer_token(request))
    return web.json_response([s.model_dump(mode="json") for s in found])


@routes.delete("/v1/sessions/{session_id}")
@documented(status=204, auth="session", path={"session_id": uuid.UUID})
async def end_session(request: web.Request) -> web.Response:
    await accounts.end_session(
        deps(request), bearer_token(request), request.match_info["session_id"]
    )
    return web.Response(status=204)


@routes.post("/v1/password-resets")
@documented(body=EmailOnly, response=Accepted, status=202)
async def request_password_reset(request: web.Request) -> web.Response:
    form = await read_json(request, EmailOnly)
    await accounts.request_password_reset(deps(request), form.email)
    return json_response(Accepted(email=form.email), status=202)


@routes.post("/v1/password-resets/complete")
@documented(body=PasswordResetCompletion, response=User)
async def reset_password(request: web.Request) -> web.Response:
    form = await read_json(request, PasswordResetCompletion)
    return json_response(await accounts.reset_password(deps(request), form))


@routes.put("/v1/users/me/password")
@documented(body=PasswordChange, status=204, auth="session")
async def change_password(request: web.Request) -> web.Response:
    form = await read_json(request, PasswordChange)
    await second_factor.change_password(deps(request), bearer_token(request), form)
    return web.Response(status=204)


@routes.put("/v1/users/me/language")
@documented(body=LanguageChoice, response=User, auth="session")
async def choose_language(request: web.Request) -> web.Response:
    form = await read_json(request, LanguageChoice)
    user = await accounts.choose_language(deps(request), bearer_token(request), form.language)
    return json_response(user)
