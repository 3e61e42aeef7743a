"""Path injection: an id the web front takes from a page's address or a form goes into a service's
URL. Whatever it holds (`../`, an encoded `/` or `?`, any text that is no id), it reaches nothing
but the one thing it names: anything else is a "not found" page in the user's language."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from yarl import URL

from tests.invoice.conftest import PASSWORD
from tests.security.browser import Browser, Page, assert_no_trace, browsing, source_address
from tests.security.conftest import own_ids
from tests.security.routes import CHOICES, web_routes
from tests.security.test_isolation import WEB_FORMS, Tenant, upload

# Ids that climb out of their segment to the service's own pages, and ids that are no id.
CLIMBS = [
    "..%2F" * depth + target
    for depth in range(1, 7)
    for target in ("metrics%3F", "openapi.json%3F", "healthz%3F")
]
NO_IDS = ["not-an-id", "..", "%2E%2E", "%2e%2e%2F", "x%00", "'%3B--", "%20", f"{uuid.uuid4()}%3F"]
# What the services' own pages say (a page of ours escapes `"` where it echoes its address).
SERVICE_PAGES = ("# HELP", "# TYPE", '"openapi"', '"paths"', '"checks"')


@pytest.fixture
async def browser(tenant: Tenant) -> AsyncIterator[Browser]:
    async with browsing(tenant.system, source=source_address()) as browser:
        landed = await browser.log_in(tenant.supplier.email, PASSWORD)
        assert landed.status == 200 and "/login" not in landed.url, landed.text[:500]
        yield browser


async def raw(browser: Browser, method: str, path: str, **kwargs: Any) -> Page:
    """The request with its path sent byte for byte: no client normalises `..` or `%2E`."""
    url = URL(browser.url + path, encoded=True)
    async with browser.http.request(method, url, allow_redirects=False, **kwargs) as r:
        text = (await r.read()).decode("utf-8", "replace")
        return Page(r.status, text, str(r.url), r.headers)


def not_found_problem(page: Page) -> str | None:
    shown = [s for s in SERVICE_PAGES if s in page.text]
    if page.status != 404 or "text/html" not in page.headers.get("Content-Type", "") or shown:
        return f"{page.status} {page.headers.get('Content-Type')} {shown} {page.text[:200]!r}"
    if "Sidan finns inte" not in page.text:
        return f"not the Swedish 'not found' page: {page.text[:200]!r}"
    return None


async def test_an_id_that_is_no_id_is_not_found_on_every_page(
    tenant: Tenant, browser: Browser
) -> None:
    routes = [r for r in web_routes() if set(r.parameters) - set(CHOICES) and r.method != "HEAD"]
    assert len(routes) > 15
    problems = []
    for route in routes:
        for name in set(route.parameters) - set(CHOICES):
            for hostile in CLIMBS + NO_IDS:
                path = route.canonical.format_map(own_ids(route, tenant) | {name: hostile})
                if route.method == "POST":
                    fill = WEB_FORMS.get(route.canonical)
                    form = {"csrf_token": browser.csrf, **(fill(tenant) if fill else {})}
                    page = await raw(browser, "POST", path, data=form)
                else:
                    page = await raw(browser, route.method, path)
                assert_no_trace(page, path)
                if problem := not_found_problem(page):
                    problems.append(f"{route.method} {path}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/invoices/..%2F..%2F..%2Fmetrics%3F/invoice.pdf",
        "/invoices/..%2F..%2F..%2Fopenapi.json%3F/invoice.xml",
        "/invoices/{draft}/attachments/..%2F..%2F..%2F..%2F..%2Fmetrics%3F",
        "/invoices/..%2F..%2F..%2F..%2F..%2Fopenapi.json%3F/attachments/{attachment}",
        "/connections/..%2F..%2F..%2Fmetrics%3F/terms.pdf",
        "/connections/..%2F..%2F..%2Fopenapi.json%3F/terms.pdf",
    ],
)
async def test_a_document_address_reaches_no_service_page(
    tenant: Tenant, browser: Browser, path: str
) -> None:
    path = path.format(draft=tenant.draft["id"], attachment=tenant.attachment_id)
    page = await raw(browser, "GET", path)
    assert not_found_problem(page) is None, not_found_problem(page)
    browser.http.cookie_jar.update_cookies({"portal_lang": "en"}, URL(browser.url))
    english = await raw(browser, "GET", path)
    assert english.status == 404 and "Page not found" in english.text


async def test_the_documents_of_ones_own_ids_still_open(tenant: Tenant, browser: Browser) -> None:
    for path in (
        f"/invoices/{tenant.draft['id']}/attachments/{tenant.attachment_id}",
        f"/invoices/{tenant.sent['id']}/invoice.pdf",
        f"/connections/{tenant.supplier.buyer_id}/terms.pdf",
    ):
        page = await browser.open(path)
        assert page.status == 200 and page.text.startswith("%PDF"), path


async def draft_with_attachment(tenant: Tenant) -> tuple[str, str]:
    status, draft = await tenant.invoice("POST", "/v1/me/invoices", json=tenant.supplier.form())
    assert status == 201, draft
    path = f"/v1/me/invoices/{draft['id']}/attachments"
    status, attached = await tenant.invoice("POST", path, data=upload())
    assert status == 201, attached
    return str(draft["id"]), str(attached["id"])


async def test_a_detach_button_removes_nothing_but_an_attachment_of_its_own_invoice(
    tenant: Tenant, browser: Browser
) -> None:
    draft, attachment = await draft_with_attachment(tenant)
    other, others_attachment = await draft_with_attachment(tenant)
    save = WEB_FORMS["/invoices/{invoice_id}"](tenant)
    for action in (
        f"detach:../../{other}",
        f"detach:..%2F..%2F{other}",
        f"detach:../../{other}/attachments/{others_attachment}",
        f"detach:../{others_attachment}",
        "detach:not-an-id",
    ):
        page = await browser.post(f"/invoices/{draft}", save | {"action": action})
        assert page.status == 404 and "Sidan finns inte" in page.text, (action, page.status)
        status, found = await tenant.invoice("GET", f"/v1/me/invoices/{other}")
        assert status == 200, (action, status)
        assert [a["id"] for a in found["attachments"]] == [others_attachment], action
    page = await browser.post(f"/invoices/{draft}", save | {"action": f"detach:{attachment}"})
    assert page.status == 200
    _, found = await tenant.invoice("GET", f"/v1/me/invoices/{draft}")
    assert found["attachments"] == []
