"""Cookies, CSRF tokens and the checks on every form post."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from aiohttp import web

SESSION_COOKIE = "portal_session"
CSRF_COOKIE = "portal_csrf"
LANGUAGE_COOKIE = "portal_lang"
PENDING_EMAIL_COOKIE = "portal_pending_email"
# A login whose password was right, waiting for its second-factor code.
LOGIN_CHALLENGE_COOKIE = "portal_login_challenge"
YEAR = 365 * 24 * 3600
# What a `next` to go back to may be; see safe_next.
PRINTABLE_ASCII = re.compile(r"[!-~]+")
LOCAL_PATH = re.compile(r"/(?![/\\])")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?:/|$)")


def set_cookie(
    response: web.StreamResponse, name: str, value: str, *, secure: bool, max_age: int | None = None
) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="Lax", secure=secure, path="/", max_age=max_age
    )


def csrf_secret_of(request: web.Request) -> str | None:
    return request.cookies.get(CSRF_COOKIE)


def csrf_token(key: str, browser_secret: str) -> str:
    """The form token: a keyed hash of the browser's own random cookie (double submit)."""
    return hmac.new(key.encode(), browser_secret.encode(), hashlib.sha256).hexdigest()


def new_browser_secret() -> str:
    return secrets.token_urlsafe(24)


def is_same_origin(request: web.Request) -> bool:
    """A post from a page of ours: the Origin (or Referer) names this host, or is absent."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    return urlsplit(source).netloc == request.host


def csrf_valid(request: web.Request, key: str, submitted: str) -> bool:
    browser_secret = csrf_secret_of(request)
    if not browser_secret or not submitted or not is_same_origin(request):
        return False
    return hmac.compare_digest(csrf_token(key, browser_secret), submitted)


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to, never another site.

    Browsers drop tabs and newlines from a URL, read `\\` as `/`, and `//host` or `scheme:` as
    another site; percent-encoding may hide any of these from one layer and show them to the next
    (the query's decoding, yarl, the browser). So the value is printable ASCII, and it and every
    decoding of it a path from one slash, without a backslash, a control or a dot segment.
    """
    if not target or not PRINTABLE_ASCII.fullmatch(target):
        return default
    reading = target
    while True:
        if (
            not LOCAL_PATH.match(reading)
            or "\\" in reading
            or CONTROL.search(reading)
            or DOT_SEGMENT.search(urlsplit(reading).path)
        ):
            return default
        decoded = unquote(reading)
        if decoded == reading:
            return target
        reading = decoded


def seconds_until(moment: str) -> int:
    """Seconds from now to an ISO time, for a cookie that lives as long as its session."""
    return max(0, int((datetime.fromisoformat(moment) - datetime.now(UTC)).total_seconds()))
