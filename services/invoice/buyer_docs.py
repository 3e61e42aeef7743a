"""The buyer API described for people: Swagger UI at `/v1/buyer/docs/index.html`, under the
prefix the proxy passes to this service, showing the buyer API's own description
(`/v1/buyer/docs/openapi.json`: its paths and the buyer key's scheme, nothing of the others).

Every file there is static, as the web front's `/static` is: the same for everyone and nobody's
data, so no key is asked for it (the API it describes still asks for one; "Authorize" takes it).
The page and its script are in `static/`; Swagger UI's files are those the package
`swagger-ui-bundle-v2` ships, Swagger UI's release as it is (Apache-2.0), so the service loads
nothing from another site, which the deployment's policy and an offline install forbid anyway.
The description is a file too, written from the routes by `python -m services.invoice.buyer_docs`;
a test fails when it differs from what the routes say.

The answers carry a Content-Security-Policy that lets the page use this origin alone: its
scripts, styles and fetches, and images also from `data:` URLs, where Swagger UI's stylesheet
keeps its icons.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from shared.openapi import describe, only_paths

PREFIX = "/v1/buyer/docs"
PAGE = PREFIX + "/index.html"
STATIC = Path(__file__).parent / "static"
DESCRIPTION = STATIC / "openapi.json"
TITLE = "Leverantörsportalen buyer API"
SUMMARY = """A buyer's systems read the invoices sent to the buyer with its key
(`Authorization: Bearer <key>`, issued by an operator). `GET /v1/buyer/invoices` lists them in
the order they arrived, each once: begin with `?since=<time>` or `?limit=<n>`, then ask with
`?after=<next>`, the `next` of the last answer, for what arrived since. It answers an invoice
with `POST /v1/buyer/invoices/{id}/status`: Mottagen, Godkänd, Avvisad (with a reason) or Betald,
each status a Peppol Invoice Response (T111) listed at `/v1/buyer/invoices/{id}/responses`.
`POST /v1/buyer/webhooks` registers a URL told of each invoice sent and each status, signed as the
Standard Webhooks specification says."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
PROTECTIONS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Asked again each time (a 304 when unchanged), so a new version shows at once.
    "Cache-Control": "no-cache",
}


def add_buyer_docs(app: web.Application) -> None:
    """The page, its description and Swagger UI's files under `PREFIX`, with the protections."""
    app.router.add_static(PREFIX + "/swagger-ui", swagger_ui_path)
    app.router.add_static(PREFIX, STATIC)
    app.on_response_prepare.append(_protect)


def _is_docs(request: web.Request) -> bool:
    resource = request.match_info.route.resource
    return isinstance(resource, web.StaticResource) and resource.canonical.startswith(PREFIX)


async def _protect(request: web.Request, response: web.StreamResponse) -> None:
    if _is_docs(request):
        response.headers.update(PROTECTIONS)


def buyer_description(app: web.Application) -> dict[str, Any]:
    """The part of the service's description a buyer's systems may use."""
    description = only_paths(describe(app, TITLE), "/v1/buyer/")
    description["info"] = {**description["info"], "description": SUMMARY}
    return description


def written(description: dict[str, Any]) -> str:
    """The description as the file holds it."""
    return json.dumps(description, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Write the description from the routes as they are now."""
    from services.invoice.app import create_app
    from shared.settings import InvoiceSettings

    app = create_app(InvoiceSettings(environment="development"))
    DESCRIPTION.write_text(written(buyer_description(app)), encoding="utf-8")
    print(f"wrote {DESCRIPTION}")


if __name__ == "__main__":
    main()
