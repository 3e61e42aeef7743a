"""Authentication: no account enumeration, throttled guessing, sessions that really end, cookies
a script can't read, forms another site can't post, and error pages without a trace."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from http.cookies import Morsel, SimpleCookie
from typing import Any, TypeVar
from urllib.parse import unquote

import aiohttp
import pytest
from yarl import URL

from services.identity import captcha
from services.identity.throttle import (
    CAPTCHA_AFTER_ACCOUNT_FAILURES,
    FREE_FAILURES_PER_ADDRESS,
    FREE_FAILURES_PER_PAIR,
)
from services.web.app import create_app as create_web
from shared.settings import WebSettings
from tests.harness import serving
from tests.security.browser import (
    TRACE_SIGNS,
    Browser,
    assert_no_trace,
    browsing,
    csrf_of,
    source_address,
)
from tests.security.routes import CHOICES, Unfillable, web_routes
from tests.system import System, confirmation_link, verification_code

PASSWORD = "Räls-2026-Spår"
NEW_PASSWORD = "Växel-2027-Byte"
WRONG = "Fel-lösen-123!"
T = TypeVar("T")
# Timing is compared by medians, generously: argon2 runs on both paths and dominates them.
ATTEMPTS = 10
SLOWER_AT_MOST = 3.0


def email() -> str:
    return f"sak.{uuid.uuid4().hex[:12]}@example.com"


async def call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any, Any]:
    async with http.request(method, url, **kwargs) as r:
        body = await r.json() if r.content_type == "application/json" else await r.read()
        return r.status, body, r.headers


async def timed(action: Awaitable[T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = await action
    return time.perf_counter() - started, result


def assert_alike(name: str, known: list[float], unknown: list[float]) -> None:
    a, b = statistics.median(known), statistics.median(unknown)
    print(f"{name}: median {a * 1000:.1f} ms known, {b * 1000:.1f} ms unknown")
    assert max(a, b) <= SLOWER_AT_MOST * min(a, b), (
        f"{name}: median {a * 1000:.1f} ms for known addresses, {b * 1000:.1f} ms for unknown"
    )


async def register(system: System, http: aiohttp.ClientSession, address: str) -> tuple[float, Any]:
    """Register `address`; the time taken by the registration itself, and its answer."""
    _, challenge, _ = await call(http, "POST", system.identity_url + "/v1/captcha/challenges")
    form = {
        "email": address,
        "first_name": "Sara",
        "last_name": "Kvist",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "captcha": captcha.solve(challenge),
        "privacy_policy_accepted": True,
    }
    seconds, (status, body, _) = await timed(
        call(http, "POST", system.identity_url + "/v1/registrations", json=form)
    )
    return seconds, (status, body)


async def confirmed_account(system: System, http: aiohttp.ClientSession) -> str:
    address = email()
    _, (status, body) = await register(system, http, address)
    assert status == 202, body
    link = confirmation_link(await system.mail_to(address, "ekräfta"))
    token = unquote(link.split("token=")[1])
    status, body, _ = await call(
        http, "POST", system.identity_url + "/v1/confirmations/link", json={"token": token}
    )
    assert status == 200, body
    return address


async def log_in(
    system: System,
    http: aiohttp.ClientSession,
    address: str,
    password: str,
    client_ip: str = "",
) -> tuple[int, Any, Any]:
    return await call(
        http,
        "POST",
        system.identity_url + "/v1/sessions",
        json={"email": address, "password": password, "client_ip": client_ip},
    )


async def session_token(system: System, http: aiohttp.ClientSession, address: str) -> str:
    status, body, _ = await log_in(system, http, address, PASSWORD, source_address())
    assert status == 201, body
    return str(body["token"])


async def eventually_refused(url: str, token: str) -> None:
    """The company service checks sessions with identity and may remember an answer a few
    seconds: an ended session must be refused there too, soon."""
    async with aiohttp.ClientSession() as http, asyncio.timeout(15):
        while True:
            status, _, _ = await call(
                http, "GET", url + "/v1/me/company", headers={"Authorization": f"Bearer {token}"}
            )
            if status == 401:
                return
            assert status in (200, 404), status
            await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(scope="module")
async def registered(system: System, http: aiohttp.ClientSession) -> list[str]:
    """Accounts that exist but are not confirmed yet: known addresses."""
    addresses = [email() for _ in range(ATTEMPTS)]
    for seconds_and_answer in await asyncio.gather(*(register(system, http, a) for a in addresses)):
        assert seconds_and_answer[1][0] == 202, seconds_and_answer
    return addresses


@pytest.fixture(scope="module")
async def confirmed(system: System, http: aiohttp.ClientSession) -> str:
    return await confirmed_account(system, http)


# No account enumeration.


async def test_registration_answers_alike_for_known_and_unknown_addresses(
    system: System, http: aiohttp.ClientSession, registered: list[str], confirmed: str
) -> None:
    known_addresses = registered[: ATTEMPTS // 2] + [confirmed] * (ATTEMPTS - ATTEMPTS // 2)
    known, unknown = [], []
    for address in known_addresses:
        fresh = email()
        seconds, answer = await register(system, http, fresh)
        assert answer == (202, {"email": fresh})
        unknown.append(seconds)
        seconds, answer = await register(system, http, address)
        assert answer == (202, {"email": address})
        known.append(seconds)
    assert_alike("registration", known, unknown)

    async with browsing(system) as browser:
        pages = []
        for address in (confirmed, email()):
            async with browser.http.get(system.web_url + "/captcha/challenge") as r:
                solution = captcha.solve(await r.json())
            form = {
                "email": address,
                "first_name": "Sara",
                "last_name": "Kvist",
                "password": PASSWORD,
                "password_confirmation": PASSWORD,
                "captcha": solution,
                "privacy_policy_accepted": "yes",
            }
            page = await browser.post("/register", form)
            pages.append((page.status, page.url, page.text.replace(address, "ADDRESS")))
        assert pages[0] == pages[1] and pages[0][1].endswith("/register/sent")


async def test_login_answers_alike_for_unknown_addresses_and_wrong_passwords(
    system: System, http: aiohttp.ClientSession, registered: list[str], confirmed: str
) -> None:
    known, unknown, answers = [], [], set()
    for address in registered:
        seconds, (status, body, _) = await timed(log_in(system, http, email(), WRONG))
        unknown.append(seconds)
        answers.add((status, repr(body)))
        seconds, (status, body, _) = await timed(log_in(system, http, address, WRONG))
        known.append(seconds)
        answers.add((status, repr(body)))
    status, body, _ = await log_in(system, http, confirmed, WRONG)
    answers.add((status, repr(body)))
    assert len(answers) == 1 and status == 401, answers
    assert_alike("login", known, unknown)

    async with browsing(system, source=source_address()) as browser:
        pages = set()
        for address in (confirmed, email()):
            page = await browser.log_in(address, WRONG)
            pages.add((page.status, page.text.replace(address, "ADDRESS")))
        assert len(pages) == 1 and pages.pop()[0] == 401


async def test_password_reset_answers_alike_for_known_and_unknown_addresses(
    system: System, http: aiohttp.ClientSession, registered: list[str], confirmed: str
) -> None:
    url = system.identity_url + "/v1/password-resets"
    known, unknown = [], []
    for address in registered:
        fresh = email()
        seconds, (status, body, _) = await timed(call(http, "POST", url, json={"email": fresh}))
        assert (status, body) == (202, {"email": fresh})
        unknown.append(seconds)
        seconds, (status, body, _) = await timed(call(http, "POST", url, json={"email": address}))
        assert (status, body) == (202, {"email": address})
        known.append(seconds)
    assert_alike("password reset", known, unknown)

    async with browsing(system) as browser:
        pages = set()
        for address in (confirmed, email()):
            page = await browser.post("/password/forgot", {"email": address})
            pages.add((page.status, page.text.replace(address, "ADDRESS")))
        assert len(pages) == 1 and pages.pop()[0] == 200


# Guessing is throttled.


async def test_guesses_sent_at_once_are_throttled_and_the_owner_still_logs_in(
    system: System, http: aiohttp.ClientSession
) -> None:
    address = await confirmed_account(system, http)
    async with browsing(system, source=source_address()) as guesser:
        pages = await asyncio.gather(
            *(guesser.log_in(address, f"{WRONG}{i}") for i in range(FREE_FAILURES_PER_PAIR + 9))
        )
        statuses = sorted(page.status for page in pages)
        assert statuses.count(401) == FREE_FAILURES_PER_PAIR, statuses
        assert set(statuses) == {401, 429}, statuses
        # A refusal says when to come back. (That the right password waits too, from the
        # guesser's address, is shown with a clock under the test's control in tests/identity.)
        refused = next(page for page in pages if page.status == 429)
        assert "/login" in refused.url
        assert re.search(r"Försök igen om \d+ sekunder", refused.text), refused.text[:2000]
        assert "portal_session" not in guesser.http.cookie_jar.filter_cookies(URL(system.web_url))
    # The owner, at its own address, is not locked out by someone else's guesses.
    async with browsing(system, source=source_address()) as owner:
        page = await owner.log_in(address, PASSWORD)
        assert page.status == 200 and "/login" not in page.url, page.text[:500]


async def test_failed_logins_are_throttled_per_address(
    system: System, http: aiohttp.ClientSession, confirmed: str
) -> None:
    source = source_address()
    async with browsing(system, source=source) as guesser:
        pages = await asyncio.gather(
            *(guesser.log_in(email(), WRONG) for _ in range(FREE_FAILURES_PER_ADDRESS + 10))
        )
        statuses = [p.status for p in pages]
        assert statuses.count(401) == FREE_FAILURES_PER_ADDRESS, statuses
        assert set(statuses) == {401, 429}, statuses
    async with browsing(system, source=source_address()) as elsewhere:
        page = await elsewhere.log_in(confirmed, PASSWORD)
        assert page.status == 200 and "/login" not in page.url


async def test_guesses_from_many_addresses_ask_the_owner_for_a_robot_check(
    system: System, http: aiohttp.ClientSession
) -> None:
    address = await confirmed_account(system, http)
    for _ in range(CAPTCHA_AFTER_ACCOUNT_FAILURES):
        async with browsing(system, source=source_address()) as guesser:
            assert (await guesser.log_in(address, WRONG)).status == 401
    async with browsing(system, source=source_address()) as owner:
        page = await owner.log_in(address, PASSWORD)
        assert page.status == 422 and 'name="captcha"' in page.text
        assert "Bekräfta att du inte är en robot" in page.text
        async with owner.http.get(system.web_url + "/captcha/challenge") as r:
            solution = captcha.solve(await r.json())
        page = await owner.post(
            "/login", {"email": address, "password": PASSWORD, "captcha": solution}
        )
        assert page.status == 200 and "/login" not in page.url, page.text[:500]


async def test_a_confirmation_code_allows_only_a_few_attempts(
    system: System, http: aiohttp.ClientSession
) -> None:
    address = email()
    _, (status, _) = await register(system, http, address)
    assert status == 202
    code = verification_code(await system.mail_to(address, "ekräfta"))
    wrong = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 11)]
    url = system.identity_url + "/v1/confirmations/code"
    answers = await asyncio.gather(
        *(call(http, "POST", url, json={"email": address, "code": c}) for c in wrong)
    )
    refusals = {(status, body["error"]["code"]) for status, body, _ in answers}
    assert refusals <= {(400, "confirmation.code_invalid"), (400, "confirmation.too_many_attempts")}
    status, body, _ = await call(http, "POST", url, json={"email": address, "code": code})
    assert status == 400 and body["error"]["code"] == "confirmation.too_many_attempts", body
    status, body, _ = await log_in(system, http, address, PASSWORD, source_address())
    assert status == 403 and body["error"]["code"] == "login.unconfirmed"


# Sessions end.


def cookie_of(browser: Browser, name: str) -> str:
    morsel = browser.http.cookie_jar.filter_cookies(URL(browser.url)).get(name)
    assert morsel is not None and morsel.value, name
    return morsel.value


async def web_session_works(system: System, token: str) -> bool:
    """Whether the web front still takes this session cookie, as a browser that kept it."""
    async with (
        aiohttp.ClientSession(cookies={"portal_session": token}) as http,
        http.get(system.web_url + "/account", allow_redirects=False) as r,
    ):
        if r.status == 303:
            assert r.headers["Location"].startswith("/login")
            return False
        assert r.status == 200, r.status
        return True


async def test_logging_out_ends_the_session(
    system: System, http: aiohttp.ClientSession, confirmed: str
) -> None:
    token = await session_token(system, http, confirmed)
    auth = {"Authorization": f"Bearer {token}"}
    current = system.identity_url + "/v1/sessions/current"
    assert (await call(http, "GET", system.company_url + "/v1/me/company", headers=auth))[0] in (
        200,
        404,
    )
    assert (await call(http, "DELETE", current, headers=auth))[0] == 204
    assert (await call(http, "GET", current, headers=auth))[0] == 401
    assert not await web_session_works(system, token)
    await eventually_refused(system.company_url, token)

    async with browsing(system, source=source_address()) as browser:
        await browser.log_in(confirmed, PASSWORD)
        cookie = cookie_of(browser, "portal_session")
        assert await web_session_works(system, cookie)
        page = await browser.post("/logout")
        assert page.url.endswith("/login?logged_out=1")
    assert not await web_session_works(system, cookie)
    status, _, _ = await call(http, "GET", current, headers={"Authorization": f"Bearer {cookie}"})
    assert status == 401


async def test_the_account_page_lists_the_sessions_and_ends_one(
    system: System, http: aiohttp.ClientSession
) -> None:
    address = await confirmed_account(system, http)
    laptop_address, phone_address = source_address(), source_address()
    async with (
        browsing(system, source=laptop_address) as laptop,
        browsing(system, source=phone_address) as phone,
    ):
        await laptop.post(
            "/login",
            {"email": address, "password": PASSWORD},
            headers={"User-Agent": "Firefox på laptopen"},
        )
        await phone.post(
            "/login",
            {"email": address, "password": PASSWORD},
            headers={"User-Agent": "Safari på telefonen"},
        )
        page = await laptop.open("/account")
        assert page.status == 200
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.S)[1:]
        assert len(rows) == 2, page.text
        this = next(row for row in rows if "Firefox på laptopen" in row)
        other = next(row for row in rows if "Safari på telefonen" in row)
        assert laptop_address in this and "Den här sessionen" in this
        assert phone_address in other and "Den här sessionen" not in other
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", other)
        end = re.search(r'action="(/account/sessions/[0-9a-f-]+/end)"', other)
        assert end, other

        page = await laptop.post(end.group(1))
        assert page.status == 200 and page.url.endswith("/account")
        assert "Safari på telefonen" not in page.text and "Firefox på laptopen" in page.text
        # Ended at once: the phone's next page is the login.
        page = await phone.open("/account", allow_redirects=False)
        assert page.status == 303 and page.headers["Location"].startswith("/login")


async def session_lookups(system: System, http: aiohttp.ClientSession) -> float:
    """How many times identity has been asked who a token belongs to, from its metrics."""
    async with http.get(system.identity_url + "/metrics") as r:
        text = await r.text()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("portal_http_request_seconds_count{")
        and 'route="/v1/sessions/current"' in line
        and 'method="GET"' in line
    )


async def test_requests_sent_at_once_ask_identity_once(
    system: System, http: aiohttp.ClientSession, confirmed: str
) -> None:
    """A service's requests with a token it does not know yet share one lookup, whatever its
    answer; that a logout still ends the session there is shown above."""
    token = await session_token(system, http, confirmed)
    for authorization, expected in ((f"Bearer {token}", {200, 404}), ("Bearer not-a-token", {401})):
        before = await session_lookups(system, http)
        answers = await asyncio.gather(
            *(
                call(
                    http,
                    "GET",
                    system.company_url + "/v1/me/company",
                    headers={"Authorization": authorization},
                )
                for _ in range(20)
            )
        )
        assert {status for status, _, _ in answers} <= expected, answers
        assert await session_lookups(system, http) - before == 1


async def test_a_password_reset_ends_every_session(
    system: System, http: aiohttp.ClientSession
) -> None:
    address = await confirmed_account(system, http)
    token = await session_token(system, http, address)
    async with browsing(system, source=source_address()) as browser:
        await browser.log_in(address, PASSWORD)
        cookie = cookie_of(browser, "portal_session")
    assert await web_session_works(system, cookie)
    auth = {"Authorization": f"Bearer {token}"}
    assert (await call(http, "GET", system.company_url + "/v1/me/company", headers=auth))[0] == 404

    status, _, _ = await call(
        http, "POST", system.identity_url + "/v1/password-resets", json={"email": address}
    )
    assert status == 202
    mail = await system.mail_to(address, "lösenord")
    match = re.search(r"/password/reset\?token=([^\s\"<&]+)", mail.text)
    assert match, mail.text
    async with browsing(system) as browser:
        page = await browser.post(
            "/password/reset",
            {
                "token": unquote(match.group(1)),
                "password": NEW_PASSWORD,
                "password_confirmation": NEW_PASSWORD,
            },
        )
        assert page.status == 200, page.text[:500]

    current = system.identity_url + "/v1/sessions/current"
    for old in (token, cookie):
        status, _, _ = await call(http, "GET", current, headers={"Authorization": f"Bearer {old}"})
        assert status == 401
        assert not await web_session_works(system, old)
    await eventually_refused(system.company_url, token)
    assert (await log_in(system, http, address, PASSWORD, source_address()))[0] == 401
    assert (await log_in(system, http, address, NEW_PASSWORD, source_address()))[0] == 201


# Cookies.


async def cookies_set_by(url: str, confirmed: str, unconfirmed: str) -> dict[str, Morsel[str]]:
    """Every cookie the web front sets on the way: the CSRF cookie, the session, the language and
    the address waiting for confirmation. Cookies are carried by hand: a Secure cookie is not
    sent over plain HTTP by a cookie jar."""
    found: dict[str, Morsel[str]] = {}
    connector = aiohttp.TCPConnector(local_addr=(source_address(), 0))
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:

        async def visit(method: str, path: str, **kwargs: Any) -> str:
            sent = "; ".join(f"{k}={m.value}" for k, m in found.items() if m.value)
            async with http.request(
                method, url + path, headers={"Cookie": sent}, allow_redirects=False, **kwargs
            ) as r:
                for header in r.headers.getall("Set-Cookie", []):
                    jar: SimpleCookie = SimpleCookie()
                    jar.load(header)
                    found.update(jar)
                return await r.text()

        token = csrf_of(await visit("GET", "/login"))
        await visit(
            "POST", "/login", data={"csrf_token": token, "email": unconfirmed, "password": PASSWORD}
        )
        await visit("POST", "/language", data={"csrf_token": token, "language": "en", "next": "/"})
        await visit(
            "POST", "/login", data={"csrf_token": token, "email": confirmed, "password": PASSWORD}
        )
    return found


async def test_cookies_are_http_only_same_site_and_host_only_secure_outside_development(
    system: System, registered: list[str], confirmed: str
) -> None:
    names = {"portal_csrf", "portal_session", "portal_lang", "portal_pending_email"}
    plain = await cookies_set_by(system.web_url, confirmed, registered[0])
    production = WebSettings(
        environment="production",
        csrf_secret="csrf-secret-of-the-production-web-front",
        internal_secret="internal-secret-of-the-production-web-front",
        identity_url=system.identity_url,
        company_url=system.company_url,
        invoice_url=system.invoice_url,
    )
    async with serving(create_web(production)) as secure_url:
        secure = await cookies_set_by(secure_url, confirmed, registered[0])
    assert names <= set(plain), plain.keys()
    assert {"__Host-" + name for name in names} <= set(secure), secure.keys()
    for cookies, wanted in ((plain, False), (secure, True)):
        for name, morsel in cookies.items():
            if not morsel.value:
                continue  # a cookie being deleted
            assert morsel["httponly"], name
            assert morsel["samesite"] == "Lax", name
            assert morsel["path"] == "/", name
            assert not morsel["domain"], name
            assert bool(morsel["secure"]) is wanted, (name, wanted)


# Cross-site posts.


async def test_every_form_refuses_a_cross_site_post(system: System, confirmed: str) -> None:
    async with (
        browsing(system, source=source_address()) as browser,
        browsing(system) as stranger,
    ):
        await browser.log_in(confirmed, PASSWORD)
        forged: list[tuple[str, dict[str, str], dict[str, str]]] = [
            ("without a token", {}, {}),
            ("with a wrong token", {"csrf_token": "0" * 64}, {}),
            ("with another browser's token", {"csrf_token": stranger.csrf}, {}),
            ("from another site", {"csrf_token": browser.csrf}, {"Origin": "https://evil.example"}),
            (
                "referred by another site",
                {"csrf_token": browser.csrf},
                {"Referer": "https://evil.example/form"},
            ),
            ("from an opaque origin", {"csrf_token": browser.csrf}, {"Origin": "null"}),
        ]
        problems: list[str] = []
        posts = [r for r in web_routes() if r.method == "POST"]
        assert len(posts) > 10
        for route in posts:
            try:
                values = {}
                for name in route.parameters:
                    values[name] = CHOICES[name][0] if name in CHOICES else str(uuid.uuid4())
                path = route.path(values)
            except (Unfillable, KeyError) as error:
                problems.append(f"{route.name}: {error}")
                continue
            for how, form, headers in forged:
                page = await browser.request(
                    "POST", path, data=form or {"x": "1"}, headers=headers, allow_redirects=False
                )
                if page.status != 403:
                    problems.append(f"{route.name} {how}: {page.status}")
                assert_no_trace(page, route.name)
            # The same form as a multipart post, the way an upload is sent.
            multipart = aiohttp.FormData()
            multipart.add_field("file", b"%PDF-1.4", filename="a.pdf")
            page = await browser.request("POST", path, data=multipart, allow_redirects=False)
            if page.status != 403:
                problems.append(f"{route.name} multipart without a token: {page.status}")
        assert not problems, "\n".join(problems)
        # Nothing forged took effect: the logout above did not log out.
        assert (await browser.open("/account", allow_redirects=False)).status == 200
        # And the right token from this site still works.
        page = await browser.post("/language", {"language": "sv", "next": "/account"})
        assert page.status == 200 and page.url.endswith("/account")


# No stack trace, whatever arrives.


async def test_the_web_never_shows_a_stack_trace(system: System, confirmed: str) -> None:
    async with browsing(system, source=source_address()) as browser:
        await browser.log_in(confirmed, PASSWORD)
        token = browser.csrf
        huge = b"a" * (12 * 1024 * 1024)
        big_upload = aiohttp.FormData()
        big_upload.add_field("csrf_token", token)
        big_upload.add_field("file", huge, filename="stor.pdf", content_type="application/pdf")
        multipart = "multipart/form-data; boundary=gräns"
        attempts: list[tuple[str, str, str, dict[str, Any], tuple[int, ...]]] = [
            ("an unknown page", "GET", "/no/such/page", {}, (404,)),
            ("an unknown invoice", "GET", f"/invoices/{uuid.uuid4()}", {}, (404,)),
            ("a malformed invoice id", "GET", "/invoices/not-an-id", {}, (404,)),
            ("a malformed buyer id", "GET", "/connections/'%3B--/setup", {}, (404,)),
            ("an unknown method", "PATCH", "/login", {}, (405,)),
            (
                "a malformed multipart body",
                "POST",
                "/login",
                {"data": b"--nope\r\ngarbage", "headers": {"Content-Type": multipart}},
                (400,),
            ),
            (
                "a multipart body without a boundary",
                "POST",
                "/login",
                {"data": b"garbage", "headers": {"Content-Type": "multipart/form-data"}},
                (400,),
            ),
            (
                "a form body that is not UTF-8",
                "POST",
                "/login",
                {
                    "data": b"csrf_token=" + token.encode() + b"&email=%ff%fe\xff",
                    "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                },
                (400,),
            ),
            (
                "a huge form",
                "POST",
                "/login",
                {"data": {"csrf_token": token, "email": huge.decode()}},
                (413,),
            ),
            ("a huge upload", "POST", "/invoices/new", {"data": big_upload}, (413,)),
        ]
        problems = []
        for what, method, path, kwargs, expected in attempts:
            try:
                page = await browser.request(method, path, allow_redirects=False, **kwargs)
            except aiohttp.ClientError as error:
                problems.append(f"{what}: the connection broke ({error!r})")
                continue
            if page.status not in expected:
                problems.append(f"{what}: {page.status}, not {expected}")
            shown = [sign for sign in TRACE_SIGNS if sign in page.text]
            if shown:
                problems.append(f"{what}: shows {shown}")
            html = "text/html" in page.headers.get("Content-Type", "")
            if page.status >= 400 and page.status != 405 and not html:
                problems.append(f"{what}: not a page but {page.headers.get('Content-Type')}")
        assert not problems, "\n".join(problems)
