"""What the identity service does: register, confirm, log in and out, reset passwords.

Every function takes its dependencies: the pool, the settings, the password hashing and the
current time.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from services.identity import captcha, db, passwords, throttle
from services.identity.schemas import (
    CodeConfirmation,
    Confirmed,
    Invitation,
    Login,
    PasswordResetCompletion,
    Registration,
    SecondFactorChallenge,
    Session,
    SessionSummary,
    User,
)
from services.identity.tokens import new_code, new_token, same, token_hash
from shared.db import Connection, row_to
from shared.email_address import normalize_email
from shared.errors import (
    DomainError,
    FieldError,
    FieldErrors,
    Forbidden,
    Gone,
    NotFound,
    TooManyRequests,
    Unauthorized,
    missing,
)
from shared.events.identity import (
    EmailConfirmationRequested,
    EmailConfirmed,
    LanguageChanged,
    PasswordChanged,
    PasswordResetRequested,
    RegistrationAttemptedForExistingAccount,
    UserRegistered,
)
from shared.i18n import Language
from shared.outbox import add_event
from shared.policy import PRIVACY_POLICY_VERSION
from shared.settings import IdentitySettings

PRODUCER = "identity"

LINK_LIFETIME = timedelta(hours=24)
CODE_LIFETIME = timedelta(minutes=30)
RESET_LIFETIME = timedelta(hours=1)
CHALLENGE_LIFETIME = timedelta(minutes=5)
MAX_CODE_ATTEMPTS = 5
CONFIRMATIONS_PER_HOUR = 5
RESETS_PER_HOUR = 3
# A reset request is answered no sooner than this: a known address writes and commits, an unknown
# one does not, and the difference must not tell which addresses have accounts.
RESET_ANSWER_SECONDS = 0.2


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    settings: IdentitySettings
    hashing: passwords.Hashing
    now: datetime

    def hash(self, purpose: str, secret: str) -> str:
        return token_hash(self.settings.token_secret, purpose, secret)


def user_model(row: asyncpg.Record) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        language=row["language"],
        email_confirmed=row["email_confirmed_at"] is not None,
    )


async def invitation(deps: Deps, token: str) -> Invitation:
    async with deps.pool.acquire() as conn:
        row = await db.find_open_invitation(conn, deps.hash("invitation", token), deps.now)
    if row is None:
        raise NotFound("invitation.invalid")
    return row_to(Invitation, row)


async def register(deps: Deps, form: Registration) -> str:
    """Register, or tell the owner of an existing account by e-mail; the answer is the same."""
    errors: list[FieldError] = []
    email = normalize_email(form.email) if form.email else None
    if not form.email:
        errors.append(("email", "required", {}))
    elif email is None:
        errors.append(("email", "email.invalid", {}))
    invited = None
    if form.invitation_token:
        async with deps.pool.acquire() as conn:
            invited = await db.find_open_invitation(
                conn, deps.hash("invitation", form.invitation_token), deps.now
            )
        if invited is None:
            errors.append(("invitation_token", "invitation.invalid", {}))
        else:
            email = invited["email"]  # the invitation's address is read-only
    for field in ("first_name", "last_name"):
        if not getattr(form, field):
            errors.append((field, "required", {}))
    errors += [("password", code, {}) for code in passwords.problems(form.password, email or "")]
    if not form.password_confirmation:
        errors.append(("password_confirmation", "required", {}))
    elif form.password_confirmation != form.password:
        errors.append(("password_confirmation", "password.mismatch", {}))
    solution = captcha.verify(deps.settings.token_secret, form.captcha)
    if solution is None:
        errors.append(("captcha", "captcha.invalid", {}))
    if not form.privacy_policy_accepted:
        errors.append(("privacy_policy_accepted", "privacy_policy.required", {}))
    if errors:
        raise FieldErrors(errors)
    assert email is not None and solution is not None

    # Spent in a commit of its own before the hash: one solution sent many times at once costs
    # one argon2 hash, not one each.
    async with deps.pool.acquire() as conn:
        if not await _spend(conn, solution):
            raise FieldErrors([("captcha", "captcha.spent", {})])
    # Hashed on both paths, so a known address answers no faster than a new one.
    registration = {
        "first_name": form.first_name,
        "last_name": form.last_name,
        "password_hash": await deps.hashing.hash(form.password),
        "language": form.language,
        "privacy_policy_version": PRIVACY_POLICY_VERSION,
        "privacy_policy_accepted_at": deps.now,
        "password_changed_at": deps.now,
    }
    async with deps.pool.acquire() as conn, conn.transaction():
        user_id = uuid.uuid4()
        inserted = await db.insert_user(
            conn,
            id=user_id,
            email=email,
            invitation_id=invited["id"] if invited else None,
            created_at=deps.now,
            **registration,
        )
        if inserted:
            if invited:
                await db.mark_invitation_used(conn, invited["id"], deps.now)
            await add_event(
                conn,
                UserRegistered(
                    user_id=user_id,
                    email=email,
                    first_name=form.first_name,
                    last_name=form.last_name,
                    language=form.language,
                    invitation_id=invited["id"] if invited else None,
                    privacy_policy_version=PRIVACY_POLICY_VERSION,
                    registered_at=deps.now,
                ),
                producer=PRODUCER,
            )
            user = await db.find_user(conn, user_id)
            assert user is not None
            await _request_confirmation(conn, deps, user)
            return email
        existing = await db.find_user_by_email(conn, email)
        assert existing is not None
        if existing["email_confirmed_at"] is None:
            await db.replace_unconfirmed_registration(conn, existing["id"], **registration)
            replaced = await db.find_user(conn, existing["id"])
            assert replaced is not None
            await _request_confirmation(conn, deps, replaced)
        else:
            await add_event(
                conn,
                RegistrationAttemptedForExistingAccount(
                    user_id=existing["id"],
                    email=existing["email"],
                    first_name=existing["first_name"],
                    language=existing["language"],
                ),
                producer=PRODUCER,
            )
    return email


async def _spend(conn: Connection, solution: captcha.Solution) -> bool:
    """Record a captcha solution as used; False when it was used before."""
    spent_until = datetime.fromtimestamp(solution.expires_at, UTC)
    return await db.spend_captcha(conn, solution.challenge, spent_until)


async def resend_confirmation(deps: Deps, email: str) -> None:
    """Send a new link and code to an unconfirmed account; silently nothing otherwise."""
    address = normalize_email(email)
    if address is None:
        return
    async with deps.pool.acquire() as conn, conn.transaction():
        user = await db.find_user_by_email(conn, address)
        if user is not None and user["email_confirmed_at"] is None:
            await _request_confirmation(conn, deps, user)


async def _request_confirmation(conn: Connection, deps: Deps, user: asyncpg.Record) -> None:
    since = deps.now - timedelta(hours=1)
    if await db.count_confirmations_since(conn, user["id"], since) >= CONFIRMATIONS_PER_HOUR:
        return
    link, code = new_token(), new_code()
    await db.insert_confirmation(
        conn,
        user["id"],
        deps.hash("confirmation-link", link),
        deps.hash(f"confirmation-code:{user['id']}", code),
        deps.now + LINK_LIFETIME,
        deps.now + CODE_LIFETIME,
        deps.now,
    )
    await add_event(
        conn,
        EmailConfirmationRequested(
            user_id=user["id"],
            email=user["email"],
            first_name=user["first_name"],
            language=user["language"],
            link_token=link,
            code=code,
            link_expires_at=deps.now + LINK_LIFETIME,
            code_expires_at=deps.now + CODE_LIFETIME,
        ),
        producer=PRODUCER,
    )


async def confirm_by_link(deps: Deps, token: str) -> Confirmed:
    async with deps.pool.acquire() as conn, conn.transaction():
        confirmation = await db.find_confirmation_by_link(
            conn, deps.hash("confirmation-link", token)
        )
        if confirmation is None:
            raise Gone("confirmation.link_invalid")
        user = await db.find_user(conn, confirmation["user_id"])
        assert user is not None
        usable = (
            confirmation["used_at"] is None
            and confirmation["superseded_at"] is None
            and confirmation["link_expires_at"] > deps.now
        )
        if not usable:
            # A mail scanner may have opened the link first: the owner is confirmed all the same.
            if user["email_confirmed_at"] is not None:
                return Confirmed(**user_model(user).model_dump())
            raise Gone("confirmation.link_invalid")
        return await _confirm(conn, deps, user, confirmation["id"])


async def confirm_by_code(deps: Deps, form: CodeConfirmation) -> Confirmed:
    errors = missing(form, "email", "code")
    if errors:
        raise FieldErrors(errors)
    address = normalize_email(form.email)
    failure = "confirmation.code_invalid"
    async with deps.pool.acquire() as conn, conn.transaction():
        user = await db.find_user_by_email(conn, address) if address else None
        confirmation = await db.latest_open_confirmation(conn, user["id"]) if user else None
        if user is not None and confirmation is not None:
            if confirmation["failed_attempts"] >= MAX_CODE_ATTEMPTS:
                failure = "confirmation.too_many_attempts"
            elif confirmation["code_expires_at"] > deps.now and same(
                deps.hash(f"confirmation-code:{user['id']}", form.code.replace(" ", "")),
                confirmation["code_hash"],
            ):
                return await _confirm(conn, deps, user, confirmation["id"])
            else:
                attempts = await db.count_failed_code(conn, confirmation["id"])
                if attempts >= MAX_CODE_ATTEMPTS:
                    failure = "confirmation.too_many_attempts"
    # Raised after the commit, so the failed attempt is counted.
    raise DomainError(failure, field="code")


async def _confirm(
    conn: Connection, deps: Deps, user: asyncpg.Record, confirmation_id: uuid.UUID
) -> Confirmed:
    """The address is the confirmer's. Registered more than once before that, it may have been
    registered by someone else first or last (account pre-hijacking): then neither password
    counts, and the confirmer, who holds the mailbox, chooses one with the token returned."""
    await db.mark_confirmation_used(conn, confirmation_id, deps.now)
    await db.mark_email_confirmed(conn, user["id"], deps.now)
    choose_password_token = None
    if user["registrations"] > 1:
        await db.clear_password(conn, user["id"])
        choose_password_token = await _new_reset_token(conn, deps, user["id"])
    await add_event(
        conn,
        EmailConfirmed(user_id=user["id"], email=user["email"], confirmed_at=deps.now),
        producer=PRODUCER,
    )
    confirmed = await db.find_user(conn, user["id"])
    assert confirmed is not None
    return Confirmed(
        **user_model(confirmed).model_dump(), choose_password_token=choose_password_token
    )


async def log_in(deps: Deps, form: Login) -> Session | SecondFactorChallenge:
    """A new session for the right e-mail and password of a confirmed account; a challenge to
    answer with a code instead when the account has a second factor on."""
    errors = missing(form, "email", "password")
    if errors:
        raise FieldErrors(errors)
    email = normalize_email(form.email) or form.email.lower()
    keys = throttle.login_keys(email, form.client_ip)
    async with deps.pool.acquire() as conn, conn.transaction():
        # Each attempt counts as a failure before its password is checked, one at a time per
        # key: guesses sent at once can't all pass the count while the first are being hashed.
        await db.lock_login_keys(conn, keys.all())
        await _refuse_if_throttled(conn, deps, keys, form.captcha)
        await db.record_login_failure(conn, keys.all(), deps.now)
        user = await db.find_user_by_email(conn, email)
    known_hash = user["password_hash"] if user else passwords.UNKNOWN_USER_HASH
    if not await deps.hashing.verify(known_hash, form.password) or user is None:
        raise Unauthorized("login.invalid")
    async with deps.pool.acquire() as conn:
        await db.forget_login_failure(conn, keys.all(), deps.now)  # the right password
    if user["email_confirmed_at"] is None:
        raise Forbidden("login.unconfirmed")
    async with deps.pool.acquire() as conn, conn.transaction():
        # Only this address's slate is wiped: a login of one's own must not clear the way for
        # guesses at other accounts, nor for other addresses' guesses at this one.
        await db.clear_login_failures(conn, keys.pair)
        if passwords.needs_rehash(user["password_hash"]):
            rehashed = await deps.hashing.hash(form.password)
            await db.set_password(conn, user["id"], rehashed, user["password_changed_at"])
        if await db.second_factor_on(conn, user["id"]):
            return await _second_factor_challenge(conn, deps, user["id"], form)
        return await start_session(conn, deps, user, form.user_agent, form.client_ip)


async def start_session(
    conn: Connection, deps: Deps, user: asyncpg.Record, user_agent: str, client_ip: str
) -> Session:
    token = new_token()
    expires_at = deps.now + timedelta(days=deps.settings.session_days)
    await db.insert_session(
        conn, user["id"], deps.hash("session", token), deps.now, expires_at, user_agent, client_ip
    )
    return Session(token=token, expires_at=expires_at, user=user_model(user))


async def _second_factor_challenge(
    conn: Connection, deps: Deps, user_id: uuid.UUID, form: Login
) -> SecondFactorChallenge:
    challenge = new_token()
    expires_at = deps.now + CHALLENGE_LIFETIME
    await db.insert_login_challenge(
        conn,
        user_id=user_id,
        token_hash=deps.hash("login-challenge", challenge),
        user_agent=form.user_agent,
        client_ip=form.client_ip,
        created_at=deps.now,
        expires_at=expires_at,
    )
    return SecondFactorChallenge(challenge=challenge, expires_at=expires_at)


async def _refuse_if_throttled(
    conn: Connection, deps: Deps, keys: throttle.LoginKeys, captcha_payload: str
) -> None:
    since = deps.now - throttle.WINDOW
    for key, free in keys.delayed():
        failures, latest = await db.login_failures_since(conn, key, since)
        wait = throttle.wait(failures, free, latest, deps.now)
        if wait > timedelta():
            seconds = math.ceil(wait.total_seconds())
            raise TooManyRequests("login.throttled", retry_after=seconds, seconds=seconds)
    failures, _ = await db.login_failures_since(conn, keys.account, since)
    if failures >= throttle.CAPTCHA_AFTER_ACCOUNT_FAILURES:
        solution = captcha.verify(deps.settings.token_secret, captcha_payload)
        if solution is None or not await _spend(conn, solution):
            raise FieldErrors([("captcha", "login.captcha_required", {})])


async def _live_session(deps: Deps, token: str) -> asyncpg.Record:
    """The session of `token` with its user; a session unused for too long has ended."""
    idle_since = deps.now - timedelta(minutes=deps.settings.session_idle_minutes)
    async with deps.pool.acquire() as conn:
        row = await db.find_live_session(conn, deps.hash("session", token), deps.now, idle_since)
    if row is None:
        raise Unauthorized("session.invalid")
    return row


async def session_user(deps: Deps, token: str) -> User:
    return user_model(await _live_session(deps, token))


async def sessions(deps: Deps, token: str) -> list[SessionSummary]:
    """Every live session of the token's user, the one asking marked `current`."""
    current = await _live_session(deps, token)
    idle_since = deps.now - timedelta(minutes=deps.settings.session_idle_minutes)
    async with deps.pool.acquire() as conn:
        rows = await db.live_sessions_of(conn, current["id"], deps.now, idle_since)
    return [SessionSummary(**dict(row), current=row["id"] == current["session_id"]) for row in rows]


async def end_session(deps: Deps, token: str, session_id: str) -> None:
    """End one of the token's user's sessions, at once."""
    current = await _live_session(deps, token)
    try:
        ended = uuid.UUID(session_id)
    except ValueError:
        raise NotFound("session.not_found") from None
    async with deps.pool.acquire() as conn:
        if not await db.revoke_session_of(conn, current["id"], ended, deps.now):
            raise NotFound("session.not_found")


async def log_out(deps: Deps, token: str) -> None:
    async with deps.pool.acquire() as conn:
        await db.revoke_session(conn, deps.hash("session", token), deps.now)


async def request_password_reset(deps: Deps, email: str) -> None:
    """E-mail a reset link to a known address; silently nothing otherwise; as slowly either way."""
    started = time.monotonic()
    await _request_password_reset(deps, email)
    await asyncio.sleep(max(0.0, RESET_ANSWER_SECONDS - (time.monotonic() - started)))


async def _request_password_reset(deps: Deps, email: str) -> None:
    address = normalize_email(email)
    if address is None:
        return
    async with deps.pool.acquire() as conn, conn.transaction():
        user = await db.find_user_by_email(conn, address)
        if user is None:
            return
        if (
            await db.count_password_resets_since(conn, user["id"], deps.now - timedelta(hours=1))
            >= RESETS_PER_HOUR
        ):
            return
        token = await _new_reset_token(conn, deps, user["id"])
        await add_event(
            conn,
            PasswordResetRequested(
                user_id=user["id"],
                email=user["email"],
                first_name=user["first_name"],
                language=user["language"],
                reset_token=token,
                expires_at=deps.now + RESET_LIFETIME,
            ),
            producer=PRODUCER,
        )


async def _new_reset_token(conn: Connection, deps: Deps, user_id: uuid.UUID) -> str:
    """A single-use token to set the user's password with, kept hashed, expiring."""
    token = new_token()
    await db.insert_password_reset(
        conn, user_id, deps.hash("password-reset", token), deps.now, deps.now + RESET_LIFETIME
    )
    return token


async def reset_password(deps: Deps, form: PasswordResetCompletion) -> User:
    """Set a new password from a reset link; every session and reset link of the account ends."""
    token_hash_ = deps.hash("password-reset", form.token)
    async with deps.pool.acquire() as conn:
        user = await db.find_user_of_live_reset(conn, token_hash_, deps.now)
    if user is None:
        raise Gone("reset.invalid", field="token")
    errors: list[FieldError] = [
        ("password", code, {}) for code in passwords.problems(form.password, user["email"])
    ]
    if form.password_confirmation != form.password:
        errors.append(("password_confirmation", "password.mismatch", {}))
    if errors:
        raise FieldErrors(errors)
    password_hash = await deps.hashing.hash(form.password)
    async with deps.pool.acquire() as conn, conn.transaction():
        if await db.take_password_reset(conn, token_hash_, deps.now) is None:
            raise Gone("reset.invalid", field="token")
        await db.end_password_resets_of(conn, user["id"], deps.now)
        await db.set_password(conn, user["id"], password_hash, deps.now)
        await db.revoke_sessions_of(conn, user["id"], deps.now)
        # The link reached the inbox, which is what confirming the address proves.
        await db.mark_email_confirmed(conn, user["id"], deps.now)
        await add_event(
            conn,
            PasswordChanged(
                user_id=user["id"],
                email=user["email"],
                first_name=user["first_name"],
                language=user["language"],
                changed_at=deps.now,
            ),
            producer=PRODUCER,
        )
        changed = await db.find_user(conn, user["id"])
    assert changed is not None
    return user_model(changed)


async def choose_language(deps: Deps, token: str, language: Language) -> User:
    user = await session_user(deps, token)
    async with deps.pool.acquire() as conn, conn.transaction():
        if await db.set_language(conn, user.id, language):
            await add_event(
                conn, LanguageChanged(user_id=user.id, language=language), producer=PRODUCER
            )
    return user.model_copy(update={"language": language})
