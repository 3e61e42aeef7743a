"""The web front's pages over HTTP, as a browser without JavaScript sees them."""

from __future__ import annotations

import re
import uuid

import aiohttp
import pyotp

from services.identity import captcha
from tests.security.test_authentication import confirmed_account
from tests.system import System, verification_code


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


async def test_pages_follow_the_browser_language_and_default_to_swedish(system: System) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(
            system.web_url + "/register", headers={"Accept-Language": "en-US,en;q=0.8"}
        ) as r:
            page = await r.text()
        assert (
            "Register as a New User" in page
            and ">First Name" in page
            and "I&#39;m not a robot" in page
        )
        async with browser.get(
            system.web_url + "/register", headers={"Accept-Language": "de-DE"}
        ) as r:
            page = await r.text()
        assert "Registrera ny användare" in page and '<html lang="sv">' in page


async def test_every_page_links_to_the_accessibility_statement_in_its_language(
    system: System,
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        for path in ("/", "/login", "/register", "/privacy", "/accessibility"):
            async with browser.get(system.web_url + path) as r:
                page = await r.text()
            assert r.status == 200, path
            assert '<a href="/accessibility">Tillgänglighetsredogörelse</a>' in page, path
        async with browser.get(system.web_url + "/accessibility") as r:
            page = await r.text()
        assert "<h1>Tillgänglighetsredogörelse</h1>" in page and "2018:1937" in page
        assert "Digg" in page and "delvis förenlig" in page
        # What the tests check, what they do not, and when it was last assessed.
        assert "axe-core" in page and "360, 390 och 1280 pixlar" in page
        assert "bara tangentbordet" in page and "2026-12-05" in page
        assert "PDF/A-3b men inte taggade" in page and "PDF/UA" in page
        english = {"Accept-Language": "en"}
        async with browser.get(system.web_url + "/accessibility", headers=english) as r:
            page = await r.text()
        assert "<h1>Accessibility statement</h1>" in page and "partially compliant" in page
        assert "axe-core" in page and "360, 390 and 1280 pixels" in page
        assert "keyboard alone" in page and "2026-12-05" in page
        assert "PDF/A-3b format but not tagged" in page and "PDF/UA" in page
        assert '<a href="/accessibility">Accessibility statement</a>' in page


async def test_every_input_has_a_label(system: System) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        for path in (
            "/register",
            "/login",
            "/register/sent",
            "/password/forgot",
            "/password/reset?token=x",
        ):
            async with browser.get(system.web_url + path) as r:
                page = await r.text()
            ids = re.findall(r'<input id="([^"]+)"', page) + re.findall(
                r'<input type="checkbox" id="([^"]+)"', page
            )
            for input_id in ids:
                assert f'for="{input_id}"' in page, (path, input_id)


async def test_a_post_without_the_csrf_token_is_refused(system: System) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/login") as r:
            token = csrf_of(await r.text())
        async with browser.post(
            system.web_url + "/login", data={"email": "a@example.com", "password": "x"}
        ) as r:
            assert r.status == 403
        async with browser.post(
            system.web_url + "/login",
            data={"email": "a@example.com", "password": "x", "csrf_token": token},
            headers={"Origin": "https://evil.example"},
        ) as r:
            assert r.status == 403
        async with browser.post(
            system.web_url + "/login",
            data={"email": "a@example.com", "password": "Fel-1234!", "csrf_token": token},
        ) as r:
            assert r.status == 401 and "Fel e-post eller lösenord." in await r.text()


async def test_a_wrong_form_keeps_what_was_typed_and_shows_each_error_at_its_field(
    system: System,
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/register") as r:
            token = csrf_of(await r.text())
        form = {
            "csrf_token": token,
            "email": "karin@example.com",
            "first_name": "<b>Karin</b>",
            "last_name": "",
            "password": "kort",
            "password_confirmation": "annat",
        }
        async with browser.post(system.web_url + "/register", data=form) as r:
            page = await r.text()
        assert r.status == 422
        assert 'value="karin@example.com"' in page and "&lt;b&gt;Karin&lt;/b&gt;" in page
        assert "Lösenordet måste ha minst åtta tecken." in page
        assert "Lösenordet måste innehålla minst en siffra." in page
        assert "Lösenorden är inte lika." in page
        assert "Bekräfta att du inte är en robot." in page
        assert "Du behöver godkänna integritetspolicyn" in page
        assert 'value="kort"' not in page  # passwords are never sent back


async def test_the_journey_without_javascript(system: System) -> None:
    email = f"olle.{uuid.uuid4().hex[:8]}@example.com"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/register") as r:
            token = csrf_of(await r.text())
        async with browser.get(system.web_url + "/captcha/challenge") as r:
            solution = captcha.solve(await r.json())
        form = {
            "csrf_token": token,
            "email": email,
            "first_name": "Olle",
            "last_name": "Ström",
            "password": "Räls-2026-Spår",
            "password_confirmation": "Räls-2026-Spår",
            "captcha": solution,
            "privacy_policy_accepted": "yes",
        }
        async with browser.post(system.web_url + "/register", data=form) as r:
            page = await r.text()
            assert r.url.path == "/register/sent" and "Bekräftelsemejl har skickats" in page
        code = verification_code(await system.mail_to(email))
        async with browser.post(
            system.web_url + "/register/confirm", data={"csrf_token": token, "code": code}
        ) as r:
            assert r.url.path == "/confirmed" and "E-postadressen är bekräftad" in await r.text()
        login = {"csrf_token": token, "email": email, "password": "Räls-2026-Spår"}
        async with browser.post(system.web_url + "/login", data=login) as r:
            assert r.url.path == "/company" and "Företagsinformation" in await r.text()
        company = {
            "csrf_token": token,
            "name": "Ström Bygg AB",
            "country": "SE",
            "organisation_number": "556036-0793",
            "vat_number": "SE556036079301",
            "f_skatt": "yes",
        }
        async with browser.post(system.web_url + "/company", data=company) as r:
            assert r.url.path == "/connections" and "Ingen kund har bjudit in" in await r.text()
        async with browser.post(system.web_url + "/logout", data={"csrf_token": token}) as r:
            assert r.url.path == "/login" and "Du är nu utloggad." in await r.text()
        async with browser.get(system.web_url + "/account") as r:
            assert r.url.path == "/login"


async def test_an_address_registered_twice_chooses_its_password_on_confirming(
    system: System,
) -> None:
    email = f"dubbel.{uuid.uuid4().hex[:8]}@example.com"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/register") as r:
            token = csrf_of(await r.text())
        for password in ("Kapad-2026-Konto!", "Räls-2026-Spår"):
            async with browser.get(system.web_url + "/captcha/challenge") as r:
                solution = captcha.solve(await r.json())
            form = {
                "csrf_token": token,
                "email": email,
                "first_name": "Olle",
                "last_name": "Ström",
                "password": password,
                "password_confirmation": password,
                "captcha": solution,
                "privacy_policy_accepted": "yes",
            }
            async with browser.post(system.web_url + "/register", data=form) as r:
                assert r.url.path == "/register/sent", await r.text()
        code = verification_code(await system.mail_to(email, count=2))
        async with browser.post(
            system.web_url + "/register/confirm", data={"csrf_token": token, "code": code}
        ) as r:
            page = await r.text()
            assert r.url.path == "/password/reset", r.url
            assert "registrerades mer än en gång" in page
        chosen = "Mitt-eget-2026-Lösen"
        form = {
            "csrf_token": token,
            "token": r.url.query["token"],
            "password": chosen,
            "password_confirmation": chosen,
        }
        async with browser.post(system.web_url + "/password/reset", data=form) as r:
            assert r.status == 200, await r.text()
        login = {"csrf_token": token, "email": email, "password": chosen}
        async with browser.post(system.web_url + "/login", data=login) as r:
            assert r.url.path == "/company", r.url


async def test_mitt_konto_changes_the_password_and_ends_the_other_logins(system: System) -> None:
    async with aiohttp.ClientSession() as http:
        email = await confirmed_account(system, http)
    jar = aiohttp.CookieJar(unsafe=True)
    async with (
        aiohttp.ClientSession(cookie_jar=jar) as browser,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as elsewhere,
    ):
        tokens = []
        for client in (browser, elsewhere):
            async with client.get(system.web_url + "/login") as r:
                tokens.append(csrf_of(await r.text()))
            login = {"csrf_token": tokens[-1], "email": email, "password": "Räls-2026-Spår"}
            async with client.post(system.web_url + "/login", data=login) as r:
                assert r.status == 200 and r.url.path != "/login", r.url
        token = tokens[0]
        async with browser.get(system.web_url + "/account") as r:
            page = await r.text()
        assert 'action="/account/password"' in page and "/password/forgot" not in page
        assert 'id="change-new_password"' in page and 'data-input="change-new_password"' in page
        assert 'id="change-code"' not in page  # two-step verification is off

        wrong = {
            "csrf_token": token,
            "password": "Fel-lösen-123!",
            "new_password": "kort",
            "new_password_confirmation": "annat",
        }
        async with browser.post(system.web_url + "/account/password", data=wrong) as r:
            assert r.status == 422
            page = await r.text()
        note = re.search(r'<div id="change-new_password-note">(.*?)</div>', page, re.S)
        assert note and "Lösenordet måste ha minst åtta tecken." in note.group(1), page
        assert "Lösenorden är inte lika." in page and 'value="kort"' not in page
        async with browser.post(
            system.web_url + "/account/password",
            data=wrong | {"new_password": "Växel-2027-Byte", "new_password_confirmation": ""},
        ) as r:
            assert r.status == 422
            page = await r.text()
        assert 'id="change-new_password_confirmation"' in page and "obligatoriskt" in page
        change = wrong | {
            "password": "Räls-2026-Spår",
            "new_password": "Växel-2027-Byte",
            "new_password_confirmation": "Växel-2027-Byte",
        }
        async with browser.post(system.web_url + "/account/password", data=change) as r:
            page = await r.text()
            assert r.status == 200 and r.url.path == "/account", r.url
        assert "Lösenordet är bytt. Dina andra inloggningar är avslutade." in page
        async with elsewhere.get(system.web_url + "/account") as r:
            assert r.url.path == "/login"
        async with browser.get(system.web_url + "/login") as r:
            assert r.url.path in ("/connections", "/company"), r.url  # still logged in
        async with elsewhere.get(system.web_url + "/login") as r:
            assert 'href="/password/forgot"' in await r.text()
        login = {"csrf_token": tokens[1], "email": email, "password": "Växel-2027-Byte"}
        async with elsewhere.post(system.web_url + "/login", data=login) as r:
            assert r.url.path != "/login", r.url

        # With two-step verification on, the form asks for the code too.
        cookie = next(c.value for c in jar if c.key == "portal_session")
        factor = system.identity_url + "/v1/users/me/second-factor"
        auth = {"Authorization": f"Bearer {cookie}"}
        async with browser.post(factor, headers=auth) as r:
            secret = (await r.json())["secret"]
        code = {"code": pyotp.TOTP(secret).now()}
        async with browser.post(factor + "/confirmation", headers=auth, json=code) as r:
            assert r.status == 200
        async with browser.get(system.web_url + "/account") as r:
            page = await r.text()
        assert 'id="change-code"' in page and "och en kod från autentiseringsappen" in page
    assert await system.mail_to(email, "Ditt lösenord har ändrats")
