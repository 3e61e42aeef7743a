"""The optional second factor (TOTP, with recovery codes), and asking a logged-in user again:
before the factor goes off, the password changes or the account is deleted.

Every attempt to prove oneself again (a login's second step, a reauthentication, turning the
second factor off, changing the password) counts as a failure under the user's own key before it
is checked, and waits like a login after a few; a right answer takes its failure back.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg

from services.identity import accounts, db, passwords, throttle, totp
from services.identity.accounts import PRODUCER, Deps
from services.identity.schemas import (
    PasswordChange,
    Reauthentication,
    RecoveryCodes,
    SecondFactorSetup,
    SecondFactorStatus,
    SecondStep,
    Session,
)
from shared.db import Connection
from shared.errors import Conflict, FieldError, FieldErrors, TooManyRequests, Unauthorized
from shared.events.identity import PasswordChanged, UserDeleted
from shared.outbox import add_event

FREE_FAILURES_PER_USER = 5


async def status(deps: Deps, token: str) -> SecondFactorStatus:
    user = await accounts.session_user(deps, token)
    async with deps.pool.acquire() as conn:
        enabled = await db.second_factor_on(conn, user.id)
        left = await db.count_recovery_codes_left(conn, user.id) if enabled else 0
    return SecondFactorStatus(enabled=enabled, recovery_codes_left=left)


async def begin_setup(deps: Deps, token: str) -> SecondFactorSetup:
    """A new secret to scan or type; it is on once a first code from it is confirmed."""
    user = await accounts.session_user(deps, token)
    secret = totp.new_secret()
    async with deps.pool.acquire() as conn:
        sealed = totp.seal(deps.settings.token_secret, secret)
        if not await db.start_second_factor(conn, user.id, sealed, deps.now):
            raise Conflict("second_factor.already_on")
    return SecondFactorSetup(secret=secret, uri=totp.provisioning_uri(secret, user.email))


async def confirm_setup(deps: Deps, token: str, code: str) -> RecoveryCodes:
    """Turn the second factor on with a first code; the recovery codes are shown this once."""
    user = await accounts.session_user(deps, token)
    if not code:
        raise FieldErrors([("code", "second_factor.code_required", {})])
    async with deps.pool.acquire() as conn:
        factor = await db.second_factor_of(conn, user.id)
    if factor is None:
        raise Conflict("second_factor.not_started")
    if factor["confirmed_at"] is not None:
        raise Conflict("second_factor.already_on")
    codes = totp.new_recovery_codes()
    async with _attempt(deps, user.id) as conn:
        if not await _spend_totp(conn, deps, factor, code):
            raise FieldErrors([("code", "second_factor.code_invalid", {})])
        hashes = [_recovery_hash(deps, user.id, c) for c in codes]
        await db.confirm_second_factor(conn, user.id, deps.now, hashes)
    return RecoveryCodes(recovery_codes=codes)


async def turn_off(deps: Deps, token: str, form: Reauthentication) -> None:
    user = await accounts.session_user(deps, token)
    async with _reauthenticated(deps, user.id, form) as conn:
        await db.remove_second_factor(conn, user.id)


async def reauthenticate(deps: Deps, token: str, form: Reauthentication) -> None:
    """The session's user typed the password again, and the code when the factor is on."""
    user = await accounts.session_user(deps, token)
    async with _reauthenticated(deps, user.id, form):
        pass


async def change_password(deps: Deps, token: str, form: PasswordChange) -> None:
    """A new password for the session's user, who gives the current one (and the code when the
    factor is on); every other session and every open reset link of the user ends with it."""
    user = await accounts.session_user(deps, token)
    _, errors = await _unanswered(deps, user.id, form)
    errors += [
        ("new_password", code, {}) for code in passwords.problems(form.new_password, user.email)
    ]
    if not form.new_password_confirmation:
        errors.append(("new_password_confirmation", "required", {}))
    elif form.new_password_confirmation != form.new_password:
        errors.append(("new_password_confirmation", "password.mismatch", {}))
    if errors:
        raise FieldErrors(errors)
    # Hashed before the attempt's transaction opens, which then only records.
    password_hash = await deps.hashing.hash(form.new_password)
    async with _reauthenticated(deps, user.id, form) as conn:
        await db.set_password(conn, user.id, password_hash, deps.now)
        await db.revoke_other_sessions_of(conn, user.id, deps.hash("session", token), deps.now)
        await db.end_password_resets_of(conn, user.id, deps.now)
        await add_event(
            conn,
            PasswordChanged(
                user_id=user.id,
                email=user.email,
                first_name=user.first_name,
                language=user.language,
                changed_at=deps.now,
            ),
            producer=PRODUCER,
        )


async def delete_account(deps: Deps, token: str, form: Reauthentication) -> None:
    """Delete the session's user, who gives the password (and the code when the factor is on).

    The personal data is erased and every way in ends, in one transaction with the event that
    tells the company service to end the membership and the notifier to send a last mail. The
    id stays: the company's invoices and change log name it, and bokföringslagen keeps them."""
    user = await accounts.session_user(deps, token)
    async with _reauthenticated(deps, user.id, form) as conn:
        erased = await db.erase_user(conn, user.id, deps.now)
        if erased is None:
            return  # deleted meanwhile, by another request of the same user
        await add_event(
            conn,
            UserDeleted(
                user_id=user.id,
                email=erased["email"],
                first_name=erased["first_name"],
                language=erased["language"],
                deleted_at=deps.now,
            ),
            producer=PRODUCER,
        )


async def complete_login(deps: Deps, form: SecondStep) -> Session:
    """A login's second step: a session for a live challenge and a right, unused code."""
    async with deps.pool.acquire() as conn:
        challenge = await db.find_live_login_challenge(
            conn, deps.hash("login-challenge", form.challenge), deps.now
        )
    if challenge is None:
        raise Unauthorized("login.second_step_expired")
    if not form.code:
        raise FieldErrors([("code", "second_factor.code_required", {})])
    async with _attempt(deps, challenge["user_id"]) as conn:
        if not await _spend_code(conn, deps, challenge["user_id"], form.code):
            raise FieldErrors([("code", "second_factor.code_invalid", {})])
        if not await db.take_login_challenge(conn, challenge["id"], deps.now):
            raise Unauthorized("login.second_step_expired")
        user = await db.find_user(conn, challenge["user_id"])
        assert user is not None
        return await accounts.start_session(
            conn, deps, user, challenge["user_agent"], challenge["client_ip"]
        )


@asynccontextmanager
async def _attempt(
    deps: Deps, user_id: uuid.UUID, password: str | None = None
) -> AsyncIterator[Connection]:
    """Count an attempt for `user_id` before checking it, refusing while the user must wait;
    check `password` when given; then the caller's checks and effects run in one transaction,
    which also takes the counted failure back when they pass."""
    key = f"reauthentication:{user_id}"
    async with deps.pool.acquire() as conn, conn.transaction():
        await db.lock_login_keys(conn, [key])
        failures, latest = await db.login_failures_since(conn, key, deps.now - throttle.WINDOW)
        wait = throttle.wait(failures, FREE_FAILURES_PER_USER, latest, deps.now)
        if wait > timedelta():
            seconds = math.ceil(wait.total_seconds())
            raise TooManyRequests(
                "reauthentication.throttled", retry_after=seconds, seconds=seconds
            )
        await db.record_login_failure(conn, [key], deps.now)
        user = await db.find_user(conn, user_id)
    assert user is not None
    if password is not None and not await deps.hashing.verify(user["password_hash"], password):
        raise FieldErrors([("password", "reauthentication.password_invalid", {})])
    async with deps.pool.acquire() as conn, conn.transaction():
        yield conn
        await db.forget_login_failure(conn, [key], deps.now)


@asynccontextmanager
async def _reauthenticated(
    deps: Deps, user_id: uuid.UUID, form: Reauthentication
) -> AsyncIterator[Connection]:
    """An attempt with the password, and the code when the second factor is on."""
    needs_code, errors = await _unanswered(deps, user_id, form)
    if errors:
        raise FieldErrors(errors)
    async with _attempt(deps, user_id, form.password) as conn:
        if needs_code and not await _spend_code(conn, deps, user_id, form.code):
            raise FieldErrors([("code", "second_factor.code_invalid", {})])
        yield conn


async def _unanswered(
    deps: Deps, user_id: uuid.UUID, form: Reauthentication
) -> tuple[bool, list[FieldError]]:
    """Whether the user must give a code, and what `form` left empty; no attempt is counted."""
    async with deps.pool.acquire() as conn:
        needs_code = await db.second_factor_on(conn, user_id)
    errors: list[FieldError] = [("password", "required", {})] if not form.password else []
    if needs_code and not form.code:
        errors.append(("code", "second_factor.code_required", {}))
    return needs_code, errors


async def _spend_code(conn: Connection, deps: Deps, user_id: uuid.UUID, code: str) -> bool:
    """Accept a TOTP code of the confirmed factor, or an unused recovery code, once."""
    factor = await db.second_factor_of(conn, user_id)
    if factor is None or factor["confirmed_at"] is None:
        return False
    if totp.is_totp_code(code):
        return await _spend_totp(conn, deps, factor, code)
    return await db.spend_recovery_code(
        conn, user_id, _recovery_hash(deps, user_id, code), deps.now
    )


async def _spend_totp(conn: Connection, deps: Deps, factor: asyncpg.Record, code: str) -> bool:
    secret = totp.unseal(deps.settings.token_secret, factor["sealed_secret"])
    step = totp.matching_step(secret, code, deps.now) if secret else None
    return step is not None and await db.advance_totp_step(conn, factor["user_id"], step)


def _recovery_hash(deps: Deps, user_id: uuid.UUID, code: str) -> str:
    return deps.hash(f"recovery-code:{user_id}", totp.cleaned(code))
