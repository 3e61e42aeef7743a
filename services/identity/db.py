"""Queries of the identity database; each takes the connection of the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from shared.db import Connection

Row = asyncpg.Record


async def find_user_by_email(conn: Connection, email: str) -> Row | None:
    return await conn.fetchrow("SELECT * FROM users WHERE lower(email) = lower($1)", email)


async def find_user(conn: Connection, user_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow("SELECT * FROM users WHERE id = $1", user_id)


async def insert_user(conn: Connection, **user: Any) -> bool:
    """Insert unless the e-mail is taken (a concurrent registration); True when inserted."""
    columns = ", ".join(user)
    placeholders = ", ".join(f"${n}" for n in range(1, len(user) + 1))
    inserted = await conn.fetchval(
        f"INSERT INTO users ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names are ours
        "ON CONFLICT DO NOTHING RETURNING true",
        *user.values(),
    )
    return bool(inserted)


async def erase_user(conn: Connection, user_id: uuid.UUID, now: datetime) -> Row | None:
    """Delete the account: the row keeps its id, which other services' records name, and nothing
    personal; its address, names and the invitation it came through (which holds them too) go,
    and its password becomes the marker no password matches. Everything it logged in with goes:
    sessions, links, codes, the second factor, a half-done login, the address's failed logins.
    The address, names and language it had are returned; None when it was deleted already."""
    erased = await conn.fetchrow(
        """WITH old AS (
               SELECT id, email, first_name, language, invitation_id FROM users
               WHERE id = $1 AND deleted_at IS NULL FOR UPDATE
           ), erased AS (
               UPDATE users u SET email = NULL, first_name = '', last_name = '',
                      password_hash = '!', invitation_id = NULL, deleted_at = $2
               FROM old WHERE u.id = old.id
           )
           SELECT email, first_name, language, invitation_id FROM old""",
        user_id,
        now,
    )
    if erased is None:
        return None
    await conn.execute("DELETE FROM invitations WHERE id = $1", erased["invitation_id"])
    for table in (
        "sessions",
        "confirmations",
        "password_resets",
        "second_factors",
        "recovery_codes",
        "login_challenges",
    ):
        await conn.execute(f"DELETE FROM {table} WHERE user_id = $1", user_id)  # noqa: S608 - ours
    await conn.execute(
        """DELETE FROM login_failures
           WHERE key = 'account:' || $1 OR starts_with(key, 'pair:' || $1 || '|')""",
        erased["email"],
    )
    return erased


async def mark_email_confirmed(conn: Connection, user_id: uuid.UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, $2) WHERE id = $1",
        user_id,
        now,
    )


async def replace_unconfirmed_registration(
    conn: Connection, user_id: uuid.UUID, **registration: Any
) -> None:
    """A new registration of an address nobody has confirmed yet takes over its names and is
    counted: with more than one registration, whoever confirms the address chooses the password
    (see `accounts.confirm`), so no registrant's password is ever left in force."""
    assignments = ", ".join(f"{name} = ${n}" for n, name in enumerate(registration, start=2))
    await conn.execute(
        f"UPDATE users SET {assignments}, registrations = registrations + 1 "  # noqa: S608 - ours
        "WHERE id = $1 AND email_confirmed_at IS NULL",
        user_id,
        *registration.values(),
    )


async def clear_password(conn: Connection, user_id: uuid.UUID) -> None:
    """No password logs in until one is chosen: the marker is no hash any password matches."""
    await conn.execute(
        "UPDATE users SET password_hash = '!', registrations = 1 WHERE id = $1", user_id
    )


async def set_password(
    conn: Connection, user_id: uuid.UUID, password_hash: str, now: datetime
) -> None:
    await conn.execute(
        "UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
        user_id,
        password_hash,
        now,
    )


async def set_language(conn: Connection, user_id: uuid.UUID, language: str) -> bool:
    status = await conn.execute(
        "UPDATE users SET language = $2 WHERE id = $1 AND language <> $2", user_id, language
    )
    return status != "UPDATE 0"


async def insert_confirmation(
    conn: Connection,
    user_id: uuid.UUID,
    link_token_hash: str,
    code_hash: str,
    link_expires_at: datetime,
    code_expires_at: datetime,
    now: datetime,
) -> None:
    """A new confirmation replaces the ones before it."""
    await conn.execute(
        """UPDATE confirmations SET superseded_at = $2
           WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL""",
        user_id,
        now,
    )
    await conn.execute(
        """INSERT INTO confirmations (id, user_id, link_token_hash, code_hash, link_expires_at,
                                      code_expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        uuid.uuid4(),
        user_id,
        link_token_hash,
        code_hash,
        link_expires_at,
        code_expires_at,
        now,
    )


async def find_confirmation_by_link(conn: Connection, link_token_hash: str) -> Row | None:
    return await conn.fetchrow(
        "SELECT * FROM confirmations WHERE link_token_hash = $1 FOR UPDATE", link_token_hash
    )


async def latest_open_confirmation(conn: Connection, user_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow(
        """SELECT * FROM confirmations
           WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL
           ORDER BY created_at DESC LIMIT 1 FOR UPDATE""",
        user_id,
    )


async def count_confirmations_since(conn: Connection, user_id: uuid.UUID, since: datetime) -> int:
    count = await conn.fetchval(
        "SELECT count(*) FROM confirmations WHERE user_id = $1 AND created_at > $2", user_id, since
    )
    return int(count)


async def mark_confirmation_used(
    conn: Connection, confirmation_id: uuid.UUID, now: datetime
) -> None:
    await conn.execute("UPDATE confirmations SET used_at = $2 WHERE id = $1", confirmation_id, now)


async def count_failed_code(conn: Connection, confirmation_id: uuid.UUID) -> int:
    attempts = await conn.fetchval(
        """UPDATE confirmations SET failed_attempts = failed_attempts + 1
           WHERE id = $1 RETURNING failed_attempts""",
        confirmation_id,
    )
    return int(attempts)


async def insert_session(
    conn: Connection,
    user_id: uuid.UUID,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
    user_agent: str,
    client_ip: str,
) -> None:
    await conn.execute(
        """INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, user_agent,
                                 client_ip, last_used_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $4)""",
        uuid.uuid4(),
        user_id,
        token_hash,
        now,
        expires_at,
        user_agent,
        client_ip,
    )


# A session is live until it is revoked, expires, or goes unused since `idle_since`.
_LIVE = "s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_used_at > $3"


async def find_live_session(
    conn: Connection, token_hash: str, now: datetime, idle_since: datetime
) -> Row | None:
    """The live session of `token_hash` with its user, marked used now.

    The mark is written at most once a minute: a page asks for the session on every request.
    """
    return await conn.fetchrow(
        f"""WITH live AS (
               SELECT s.id AS session_id, s.expires_at, s.last_used_at, u.* FROM sessions s
               JOIN users u ON u.id = s.user_id
               WHERE s.token_hash = $1 AND {_LIVE} AND u.deleted_at IS NULL
           ), used AS (
               UPDATE sessions SET last_used_at = $2
               WHERE id = (SELECT session_id FROM live)
                 AND last_used_at < $2 - interval '1 minute'
           )
           SELECT * FROM live""",  # noqa: S608 - _LIVE is ours
        token_hash,
        now,
        idle_since,
    )


async def live_sessions_of(
    conn: Connection, user_id: uuid.UUID, now: datetime, idle_since: datetime
) -> list[Row]:
    return await conn.fetch(
        f"""SELECT s.id, s.created_at, s.last_used_at, s.user_agent, s.client_ip
            FROM sessions s WHERE s.user_id = $1 AND {_LIVE}
            ORDER BY s.last_used_at DESC, s.created_at DESC""",  # noqa: S608 - _LIVE is ours
        user_id,
        now,
        idle_since,
    )


async def revoke_session_of(
    conn: Connection, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime
) -> bool:
    """End one of the user's sessions; False when it has no such live session."""
    status = await conn.execute(
        """UPDATE sessions SET revoked_at = $3
           WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL""",
        user_id,
        session_id,
        now,
    )
    return status != "UPDATE 0"


async def revoke_session(conn: Connection, token_hash: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
        token_hash,
        now,
    )


async def revoke_sessions_of(conn: Connection, user_id: uuid.UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        user_id,
        now,
    )


async def revoke_other_sessions_of(
    conn: Connection, user_id: uuid.UUID, kept_token_hash: str, now: datetime
) -> None:
    """End every session of the user but the one of `kept_token_hash`."""
    await conn.execute(
        """UPDATE sessions SET revoked_at = $3
           WHERE user_id = $1 AND token_hash <> $2 AND revoked_at IS NULL""",
        user_id,
        kept_token_hash,
        now,
    )


async def insert_password_reset(
    conn: Connection, user_id: uuid.UUID, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5)""",
        uuid.uuid4(),
        user_id,
        token_hash,
        now,
        expires_at,
    )


async def count_password_resets_since(conn: Connection, user_id: uuid.UUID, since: datetime) -> int:
    count = await conn.fetchval(
        "SELECT count(*) FROM password_resets WHERE user_id = $1 AND created_at > $2",
        user_id,
        since,
    )
    return int(count)


async def find_user_of_live_reset(conn: Connection, token_hash: str, now: datetime) -> Row | None:
    return await conn.fetchrow(
        """SELECT u.* FROM password_resets r JOIN users u ON u.id = r.user_id
           WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2""",
        token_hash,
        now,
    )


async def end_password_resets_of(conn: Connection, user_id: uuid.UUID, now: datetime) -> None:
    """Spend every reset link of the user still open: a new password ends them all."""
    await conn.execute(
        "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        user_id,
        now,
    )


async def take_password_reset(conn: Connection, token_hash: str, now: datetime) -> Row | None:
    """Mark a live reset token used and return it; None when unknown, used or expired."""
    return await conn.fetchrow(
        """UPDATE password_resets SET used_at = $2
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
           RETURNING *""",
        token_hash,
        now,
    )


async def upsert_invitation(conn: Connection, **invitation: Any) -> None:
    """Keep an invitation; one sent again (a later expiry) replaces its token, so only the newest
    link opens the registration. A replayed older event changes nothing."""
    await conn.execute(
        """INSERT INTO invitations (id, token_hash, buyer_name, email, first_name, last_name,
                                    expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash,
                                          expires_at = excluded.expires_at
           WHERE invitations.used_at IS NULL AND invitations.expires_at < excluded.expires_at""",
        invitation["id"],
        invitation["token_hash"],
        invitation["buyer_name"],
        invitation["email"],
        invitation["first_name"],
        invitation["last_name"],
        invitation["expires_at"],
    )


async def find_open_invitation(conn: Connection, token_hash: str, now: datetime) -> Row | None:
    return await conn.fetchrow(
        """SELECT * FROM invitations
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2""",
        token_hash,
        now,
    )


async def mark_invitation_used(conn: Connection, invitation_id: uuid.UUID, now: datetime) -> None:
    await conn.execute("UPDATE invitations SET used_at = $2 WHERE id = $1", invitation_id, now)


async def record_login_failure(conn: Connection, keys: list[str], now: datetime) -> None:
    await conn.executemany(
        "INSERT INTO login_failures (key, failed_at) VALUES ($1, $2)", [(k, now) for k in keys]
    )


async def lock_login_keys(conn: Connection, keys: list[str]) -> None:
    """Hold the keys until the caller's transaction ends; in one order, so never a deadlock."""
    for key in sorted(keys):
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)


async def forget_login_failure(conn: Connection, keys: list[str], failed_at: datetime) -> None:
    """Take back one failure recorded for each key at `failed_at`."""
    await conn.executemany(
        """DELETE FROM login_failures WHERE ctid IN (
               SELECT ctid FROM login_failures WHERE key = $1 AND failed_at = $2 LIMIT 1)""",
        [(k, failed_at) for k in keys],
    )


async def login_failures_since(
    conn: Connection, key: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many failures `key` has had since `since`, and when the latest was."""
    row = await conn.fetchrow(
        "SELECT count(*), max(failed_at) FROM login_failures WHERE key = $1 AND failed_at > $2",
        key,
        since,
    )
    assert row is not None
    return int(row[0]), row[1]


async def clear_login_failures(conn: Connection, key: str) -> None:
    await conn.execute("DELETE FROM login_failures WHERE key = $1", key)


async def spend_captcha(conn: Connection, challenge: str, expires_at: datetime) -> bool:
    """Record a solved challenge; False when it was spent before."""
    spent = await conn.fetchval(
        """INSERT INTO captcha_spent (challenge, expires_at) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING true""",
        challenge,
        expires_at,
    )
    return bool(spent)


async def delete_expired(conn: Connection, now: datetime, keep_failures_since: datetime) -> None:
    await conn.execute("DELETE FROM captcha_spent WHERE expires_at < $1", now)
    await conn.execute("DELETE FROM login_failures WHERE failed_at < $1", keep_failures_since)
    await conn.execute(
        "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1 - interval '30 days'", now
    )
    await conn.execute("DELETE FROM login_challenges WHERE expires_at < $1", now)


async def second_factor_of(conn: Connection, user_id: uuid.UUID) -> Row | None:
    """The user's second factor, confirmed or still being set up."""
    return await conn.fetchrow("SELECT * FROM second_factors WHERE user_id = $1", user_id)


async def second_factor_on(conn: Connection, user_id: uuid.UUID) -> bool:
    on = await conn.fetchval(
        "SELECT true FROM second_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL", user_id
    )
    return bool(on)


async def start_second_factor(
    conn: Connection, user_id: uuid.UUID, sealed_secret: str, now: datetime
) -> bool:
    """Begin (or begin again) a set-up; False when a confirmed second factor is on already."""
    started = await conn.fetchval(
        """INSERT INTO second_factors (user_id, sealed_secret, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET sealed_secret = $2, created_at = $3, last_step = 0
               WHERE second_factors.confirmed_at IS NULL
           RETURNING true""",
        user_id,
        sealed_secret,
        now,
    )
    return bool(started)


async def confirm_second_factor(
    conn: Connection, user_id: uuid.UUID, now: datetime, recovery_code_hashes: list[str]
) -> None:
    await conn.execute(
        "UPDATE second_factors SET confirmed_at = $2 WHERE user_id = $1", user_id, now
    )
    await conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", user_id)
    await conn.executemany(
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
        [(user_id, h) for h in recovery_code_hashes],
    )


async def remove_second_factor(conn: Connection, user_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM second_factors WHERE user_id = $1", user_id)
    await conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", user_id)


async def advance_totp_step(conn: Connection, user_id: uuid.UUID, step: int) -> bool:
    """Accept a code of time `step` once: False when it, or a later one, was accepted before."""
    advanced = await conn.fetchval(
        """UPDATE second_factors SET last_step = $2
           WHERE user_id = $1 AND last_step < $2 RETURNING true""",
        user_id,
        step,
    )
    return bool(advanced)


async def spend_recovery_code(
    conn: Connection, user_id: uuid.UUID, code_hash: str, now: datetime
) -> bool:
    spent = await conn.fetchval(
        """UPDATE recovery_codes SET used_at = $3
           WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING true""",
        user_id,
        code_hash,
        now,
    )
    return bool(spent)


async def count_recovery_codes_left(conn: Connection, user_id: uuid.UUID) -> int:
    left = await conn.fetchval(
        "SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", user_id
    )
    return int(left)


async def insert_login_challenge(conn: Connection, **challenge: Any) -> None:
    await conn.execute(
        """INSERT INTO login_challenges (id, user_id, token_hash, user_agent, client_ip,
                                         created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        uuid.uuid4(),
        challenge["user_id"],
        challenge["token_hash"],
        challenge["user_agent"],
        challenge["client_ip"],
        challenge["created_at"],
        challenge["expires_at"],
    )


async def find_live_login_challenge(conn: Connection, token_hash: str, now: datetime) -> Row | None:
    return await conn.fetchrow(
        """SELECT * FROM login_challenges
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2""",
        token_hash,
        now,
    )


async def take_login_challenge(conn: Connection, challenge_id: uuid.UUID, now: datetime) -> bool:
    """Spend a challenge once: False when a concurrent request spent it first."""
    taken = await conn.fetchval(
        """UPDATE login_challenges SET used_at = $2
           WHERE id = $1 AND used_at IS NULL RETURNING true""",
        challenge_id,
        now,
    )
    return bool(taken)
