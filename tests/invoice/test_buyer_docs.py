"""The buyer API's page for people: Swagger UI at /v1/buyer/docs/index.html, every file of it from
the invoice service itself under a policy that allows this origin alone, showing a description
of the buyer API and of nothing else, valid OpenAPI and the same as the routes say."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest
from openapi_spec_validator import validate
from playwright.async_api import Browser

from services.invoice.app import create_app
from services.invoice.buyer_docs import (
    CONTENT_SECURITY_POLICY,
    DESCRIPTION,
    PAGE,
    buyer_description,
    written,
)
from shared.openapi import only_paths
from shared.settings import InvoiceSettings
from tests.e2e.conftest import browser  # noqa: F401 - a fixture
from tests.system import System

CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("text/javascript", "application/javascript"),
    ".json": ("application/json",),
}


def committed() -> dict[str, Any]:
    description: dict[str, Any] = json.loads(DESCRIPTION.read_text(encoding="utf-8"))
    return description


def test_the_served_description_is_what_the_routes_say() -> None:
    app = create_app(InvoiceSettings(environment="development"))
    assert DESCRIPTION.read_text(encoding="utf-8") == written(buyer_description(app)), (
        "the buyer API's routes changed: write the description anew with "
        "`.venv/bin/python -m services.invoice.buyer_docs`"
    )


def test_the_description_is_openapi_of_the_buyer_api_alone() -> None:
    description = committed()
    validate(description)
    assert description["openapi"].startswith("3.")
    assert set(description["paths"]) == {
        "/v1/buyer/invoices",
        "/v1/buyer/invoices/{invoice_id}",
        "/v1/buyer/invoices/{invoice_id}/{kind}",
        "/v1/buyer/invoices/{invoice_id}/status",
        "/v1/buyer/invoices/{invoice_id}/responses",
        "/v1/buyer/invoices/{invoice_id}/responses/{response_id}",
        "/v1/buyer/webhooks",
        "/v1/buyer/webhooks/{webhook_id}",
        "/v1/buyer/webhooks/{webhook_id}/deliveries",
    }
    operations = [op for item in description["paths"].values() for op in item.values()]
    assert all(op["security"] == [{"buyer_key": []}] for op in operations)
    assert list(description["components"]["securitySchemes"]) == ["buyer_key"]
    listing = description["paths"]["/v1/buyer/invoices"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["after", "since", "limit", "page"]
    assert "ReceivedStream" in description["components"]["schemas"]
    # Nothing of the suppliers' API: its forms and pages are not the buyer's business.
    assert not {"InvoiceForm", "InvoicePage", "InvoiceDetail"} & set(
        description["components"]["schemas"]
    )


def test_a_part_of_a_description_keeps_the_schemas_it_refers_to_and_no_other() -> None:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    whole = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/v1/mine/things": {"get": {"security": [{"key": []}], "responses": ref("Page")}},
            "/v1/theirs": {"get": {"security": [{"session": []}], "responses": ref("Secret")}},
        },
        "components": {
            "schemas": {
                "Page": {"properties": {"items": {"items": ref("Thing")}}},
                "Thing": {"properties": {"parts": {"items": ref("Thing")}}},
                "Secret": {},
            },
            "securitySchemes": {"key": {"type": "http"}, "session": {"type": "http"}},
        },
    }
    part = only_paths(whole, "/v1/mine/")
    assert list(part["paths"]) == ["/v1/mine/things"]
    assert list(part["components"]["schemas"]) == ["Page", "Thing"]
    assert list(part["components"]["securitySchemes"]) == ["key"]
    assert part["info"] == whole["info"]


def assets_of(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


async def fetch(http: aiohttp.ClientSession, url: str) -> tuple[int, str, dict[str, str], bytes]:
    async with http.get(url) as r:
        return r.status, r.content_type, dict(r.headers), await r.read()


async def test_the_page_and_every_file_it_loads_come_from_the_service(system: System) -> None:
    async with aiohttp.ClientSession() as http:
        status, content_type, headers, body = await fetch(http, system.invoice_url + PAGE)
        assert (status, content_type) == (200, "text/html"), body[:300]
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self';" in CONTENT_SECURITY_POLICY
        assert "unsafe" not in CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assets = assets_of(body.decode())
        assert {a.rsplit(".", 1)[-1] for a in assets} == {"css", "js"}
        base = system.invoice_url + PAGE.rsplit("/", 1)[0] + "/"
        for asset in [*assets, "openapi.json"]:
            # Beside the page, on this origin: no scheme, no host, no way up.
            assert re.fullmatch(r"[a-z-]+(/[a-z-]+)?\.[a-z]+", asset), asset
            status, content_type, headers, body = await fetch(http, base + asset)
            assert status == 200 and body, asset
            assert content_type in CONTENT_TYPES["." + asset.rsplit(".", 1)[-1]], asset
            assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert json.loads(body) == committed()
        # No other site is named where the scripts set Swagger UI up.
        status, _, _, script = await fetch(http, base + "buyer-docs.js")
        assert b"http" not in script


@pytest.mark.browser
async def test_swagger_ui_shows_the_buyer_api_and_the_policy_blocks_nothing(
    browser: Browser,  # noqa: F811 - the fixture imported above
    system: System,
) -> None:
    context = await browser.new_context()
    await context.add_init_script(
        """window.violations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
          window.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });"""
    )
    page = await context.new_page()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(system.invoice_url) else elsewhere.append(r.url),
    )
    try:
        await page.goto(system.invoice_url + PAGE)
        paths = page.locator(".opblock-summary-path")
        await paths.first.wait_for(timeout=15_000)
        shown = await paths.all_inner_texts()
        assert {re.sub(r"\s+", "", text) for text in shown} == set(committed()["paths"])
        await page.locator(".opblock-summary").first.click()
        await page.locator(".opblock-body").first.wait_for()
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate("window.violations") == []
        assert [u for u in elsewhere if not u.startswith("data:")] == []
    finally:
        await context.close()
