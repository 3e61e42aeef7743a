"""The browser's protections on every answer of the web front, pages, redirects, errors and
static files alike."""

from __future__ import annotations

from aiohttp import web

from services.web.pages import SETTINGS, Handler

# Scripts, styles, images, fetches and form posts from this site only; no site may frame a page.
CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
PROTECTIONS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Our addresses carry ids and tokens (`/password/reset?token=…`): no other site sees them.
    "Referrer-Policy": "same-origin",
}
HSTS_SECONDS = 365 * 24 * 3600


@web.middleware
async def security_headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as raised:  # a redirect or an error answers as it is raised
        protect(request, raised)
        raise
    protect(request, response)
    return response


def protect(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(PROTECTIONS)
    # Every page carries the browser's CSRF token, most a user's data: no cache keeps a copy.
    # Static files are the same for everyone.
    if not isinstance(request.match_info.route.resource, web.StaticResource):
        response.headers["Cache-Control"] = "no-store"
    # Served over HTTPS (secure cookies say the public address is https): never over HTTP again.
    if request.secure or request.app[SETTINGS].secure_cookies:
        response.headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"
