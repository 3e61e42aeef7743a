"""Every page of the web front, and the forms that show errors, as the browser tests open them.

Whoever adds a page route adds one entry to `PAGES` (or, for a route that answers with no page,
to `NOT_PAGES` with the reason): `test_every_page_route_is_listed` fails until they do.
test_every_page.py then opens the new page at every size, in both languages, with axe-core.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from playwright.async_api import Browser, Page, expect

from services.web import security
from services.web.app import create_app
from shared.settings import WebSettings
from tests.e2e.journey import PASSWORD, open_page
from tests.invoice.conftest import (
    Supplier,
    another_buyer_inviting,
    buyer_user,
    connected_supplier,
)
from tests.system import System


@dataclass(frozen=True)
class Screen:
    """A page: its route as the router registers it, the address opened (with `{name}` filled
    from `World.ids`), and whether a visitor, a logged-in user, or both see it."""

    route: str
    path: str
    visitor: bool = False
    user: bool = False
    # A page of the buyer's, seen by the buyer's user.
    buyer: bool = False
    # Cookies the page needs to be shown rather than redirect (a login half done, say).
    cookies: tuple[tuple[str, str], ...] = ()


PAGES = [
    Screen("/", "/", visitor=True),
    Screen("/privacy", "/privacy", visitor=True, user=True),
    Screen("/accessibility", "/accessibility", visitor=True, user=True),
    Screen("/register", "/register", visitor=True),
    Screen("/register/sent", "/register/sent", visitor=True),
    # A link whose token is spent or wrong: the page people see when a link fails.
    Screen("/confirm", "/confirm?token=spent", visitor=True),
    Screen("/confirmed", "/confirmed", visitor=True),
    Screen("/login", "/login", visitor=True),
    # The second step of a two-step login: shown while a password's challenge is pending.
    Screen(
        "/login/code",
        "/login/code",
        visitor=True,
        cookies=((security.LOGIN_CHALLENGE_COOKIE, "pending"),),
    ),
    Screen("/password/forgot", "/password/forgot", visitor=True),
    Screen("/password/reset", "/password/reset?token=from-the-mail", visitor=True),
    Screen("/account", "/account", user=True),
    Screen("/company", "/company", user=True),
    Screen("/company/audit-log", "/company/audit-log", user=True),
    Screen("/company/export", "/company/export", user=True),
    Screen("/connections", "/connections", user=True),
    Screen("/connections/{buyer_id}/setup", "/connections/{waiting_buyer_id}/setup", user=True),
    Screen("/profile", "/profile", user=True),
    Screen("/profile/addresses/{item_id}", "/profile/addresses/{address_id}", user=True),
    Screen("/profile/bank-accounts/{item_id}", "/profile/bank-accounts/{account_id}", user=True),
    Screen(
        "/profile/bank-accounts/{item_id}/delete",
        "/profile/bank-accounts/{account_id}/delete",
        user=True,
    ),
    Screen("/invoices", "/invoices", user=True),
    Screen("/invoices/new", "/invoices/new", user=True),
    # A draft opens as the form, with its several lines and a charge; a sent one as its page.
    Screen("/invoices/{invoice_id}", "/invoices/{draft_id}", user=True),
    Screen("/invoices/{invoice_id}", "/invoices/{sent_id}", user=True),
    Screen("/invoices/{invoice_id}/save", "/invoices/{draft_id}/save", user=True),
    Screen("/invoices/{invoice_id}/sent", "/invoices/{sent_id}/sent", user=True),
    Screen("/company/users", "/company/users", user=True, buyer=True),
    Screen("/buyer/invoices", "/buyer/invoices", buyer=True),
    Screen("/buyer/invoices/{invoice_id}", "/buyer/invoices/{sent_id}", buyer=True),
    Screen("/buyer/keys", "/buyer/keys", buyer=True),
    Screen("/buyer/webhooks", "/buyer/webhooks", buyer=True),
    Screen("/buyer/webhooks/{webhook_id}", "/buyer/webhooks/{webhook_id}", buyer=True),
    Screen("/buyer/suppliers", "/buyer/suppliers", buyer=True),
    Screen("/buyer/terms", "/buyer/terms", buyer=True),
    Screen("/buyer/rules", "/buyer/rules", buyer=True),
]

# GET routes that answer with something other than a page of the portal.
NOT_PAGES = {
    "/static": "style sheets and scripts",
    "/metrics": "figures for the operators' scraper",
    "/healthz": "a probe",
    "/readyz": "a probe",
    "/livez": "a probe",
    "/captcha/challenge": "JSON for static/captcha.js",
    "/connections/{buyer_id}/terms.pdf": "a PDF download",
    "/invoices/{invoice_id}/{document}": "the invoice's PDF and XML downloads",
    "/invoices/{invoice_id}/attachments/{attachment_id}": "an attached PDF",
    "/buyer": "leads on to Mottagna fakturor",
    "/buyer/invoices/{invoice_id}/{file}": "a received invoice's PDF and XML downloads",
    "/buyer/invoices/{invoice_id}/attachments/{attachment_id}": "a received invoice's attachment",
    "/buyer/terms.pdf": "the buyer's terms, a PDF download",
}


@dataclass(frozen=True)
class ErrorForm:
    """A form sent empty or wrong, so that its errors show: opened at `path`, the fields in
    `fill` typed over (or chosen, in a list), then `submit` pressed; the page answers with the same
    form and errors."""

    name: str
    path: str
    submit: str
    user: bool
    fill: tuple[tuple[str, str], ...] = ()
    buyer: bool = False


ERROR_FORMS = [
    ErrorForm("login", "/login", "main form button[type=submit]", user=False),
    ErrorForm("register", "/register", "main form button[type=submit]", user=False),
    ErrorForm("forgot", "/password/forgot", "main form button[type=submit]", user=False),
    ErrorForm(
        "reset",
        "/password/reset?token=from-the-mail",
        "main form button[type=submit]",
        user=False,
        fill=(("#password", "short"),),
    ),
    ErrorForm(
        "company",
        "/company",
        "main form button[type=submit]",
        user=True,
        fill=(("#name", ""), ("#organisation_number", "123")),
    ),
    ErrorForm("address", "/profile", "#address-form button[type=submit]", user=True),
    ErrorForm("bank account", "/profile", "#account-form button[type=submit]", user=True),
    ErrorForm(
        "password change", "/account", "main form[action='/account/password'] button", user=True
    ),
    # Radera konto sent without the password: refused at the field, nothing deleted.
    ErrorForm(
        "account deletion", "/account", "main form[action='/account/delete'] button", user=True
    ),
    ErrorForm(
        "invoice",
        "/invoices/new",
        "main button[value=save]",
        user=True,
        fill=(("#lines-0-quantity", "två"), ("#due_date", "")),
    ),
    # Importera rader without a file, and Spara som mall without a name.
    ErrorForm("line import", "/invoices/{draft_id}", "main button[value=import_lines]", user=True),
    ErrorForm("template", "/invoices/{draft_id}", "main button[value=save_template]", user=True),
    ErrorForm("terms", "/connections/{waiting_buyer_id}/setup", "main form button", user=True),
    ErrorForm(
        "colleague", "/company/users", "main form[action='/company/users'] button", user=True
    ),
    ErrorForm(
        "rejection",
        "/buyer/invoices/{sent_id}",
        "main form button[type=submit]",
        user=False,
        buyer=True,
        fill=(("#status", "rejected"),),
    ),
    ErrorForm(
        "key", "/buyer/keys", "main form[action='/buyer/keys'] button", user=False, buyer=True
    ),
    ErrorForm(
        "webhook",
        "/buyer/webhooks",
        "main form[action='/buyer/webhooks'] button",
        user=False,
        buyer=True,
        fill=(("#url", "ftp://nowhere"),),
    ),
    ErrorForm(
        "supplier invitation",
        "/buyer/suppliers",
        "main form[action='/buyer/suppliers/invite'] button",
        user=False,
        buyer=True,
        fill=(("#email", "not-an-address"),),
    ),
    ErrorForm(
        "new terms",
        "/buyer/terms",
        "main form[action='/buyer/terms'] button",
        user=False,
        buyer=True,
    ),
    ErrorForm(
        "reference rules",
        "/buyer/rules",
        "main .form-actions button[value=save]",
        user=False,
        buyer=True,
        fill=(("#rules-0-pattern", "[0-9"), ("#rules-0-message_en", "")),
    ),
]


def page_routes() -> set[str]:
    """The canonical path of every GET route the web front answers."""
    app = create_app(WebSettings(environment="development"))
    return {
        route.resource.canonical
        for route in app.router.routes()
        if route.method == "GET" and route.resource is not None
    }


@dataclass
class World:
    """A supplier with a company, an address, a bank account, a buyer it is connected to and one
    that invited it, a draft invoice and a sent one: enough for every logged-in page."""

    supplier: Supplier
    ids: dict[str, str]
    # The buyer's user, of the buyer the supplier is connected to.
    buyer_email: str

    def path(self, template: str) -> str:
        return template.format(**self.ids)


async def make_world(system: System, http: aiohttp.ClientSession) -> World:
    supplier = await connected_supplier(system, http)
    auth = {"Authorization": f"Bearer {supplier.token}"}
    me = system.company_url + "/v1/me"
    async with http.get(me + "/addresses", headers=auth) as r:
        address_id = (await r.json())[0]["id"]
    async with http.get(me + "/bank-accounts", headers=auth) as r:
        account_id = (await r.json())[0]["id"]
    waiting = await another_buyer_inviting(system, http, supplier.email)
    buyer_email, buyer_token = await buyer_user(system, http, supplier.buyer_id)
    async with http.post(
        system.invoice_url + "/v1/me/webhooks",
        headers={"Authorization": f"Bearer {buyer_token}"},
        json={"url": "http://127.0.0.1:9/hooks", "description": "Ekonomisystemet"},
    ) as r:
        assert r.status == 201, await r.text()
        webhook_id = (await r.json())["id"]
    _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    # A template, so that Fakturaportal lists its customer's templates.
    status, template = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "Månadsfaktura"}
    )
    assert status == 201, template
    _, to_send = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    status, sent = await supplier.call("POST", f"/v1/me/invoices/{to_send['id']}/send")
    assert status == 200, sent
    return World(
        supplier,
        {
            "buyer_id": supplier.buyer_id,
            "waiting_buyer_id": waiting,
            "address_id": address_id,
            "account_id": account_id,
            "draft_id": draft["id"],
            "sent_id": sent["id"],
            "webhook_id": webhook_id,
        },
        buyer_email,
    )


async def visitor_page(browser: Browser, system: System, language: str) -> Page:
    page = await open_page(browser, "sv-SE" if language == "sv" else "en-GB")
    await page.goto(system.web_url + "/")
    return page


async def user_page(
    browser: Browser, system: System, world: World, language: str, *, buyer: bool = False
) -> Page:
    """A browser logged in as the world's supplier, or with `buyer` its buyer's user, reading in
    `language`."""
    page = await open_page(browser, "sv-SE" if language == "sv" else "en-GB")
    await page.goto(system.web_url + "/login")
    await page.locator("#email").fill(world.buyer_email if buyer else world.supplier.email)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await expect(page).not_to_have_url(system.web_url + "/login")
    # The logged-in user's own choice of language wins over the browser's: choose it.
    await page.locator(f"#language-menu button[value={language}]").evaluate("b => b.click()")
    await expect(page.locator("html")).to_have_attribute("lang", language)
    return page


async def open_screen(page: Page, system: System, world: World, screen: Screen) -> None:
    for name, value in screen.cookies:
        await page.context.add_cookies([{"name": name, "value": value, "url": system.web_url}])
    response = await page.goto(system.web_url + world.path(screen.path))
    assert response is not None
    # The failed confirmation link answers 410 with its page; every other page 200.
    assert response.status in (200, 410), (screen.path, response.status)
    assert page.url.split("?")[0].endswith(world.path(screen.path).split("?")[0]), (
        f"{screen.path} redirected to {page.url}"
    )


async def show_errors(page: Page, system: System, world: World, form: ErrorForm) -> None:
    await page.goto(system.web_url + world.path(form.path))
    for selector, value in form.fill:
        field = page.locator(selector)
        if await field.evaluate("el => el.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    await page.locator(form.submit).click()
    await expect(page.locator("[aria-invalid=true], .error-summary").first).to_be_visible()
