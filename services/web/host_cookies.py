"""Outside development every cookie travels as `__Host-<name>`: Secure, Path=/ and no Domain,
which the browser enforces, so neither plain HTTP nor a sibling subdomain can set or overwrite
it. The pages keep using the plain names; this middleware translates at the edge, both ways.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict

from services.web.pages import SETTINGS

HOST_PREFIX = "__Host-"


@web.middleware
async def host_cookies_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.app[SETTINGS].secure_cookies:
        return await handler(request)
    try:
        response = await handler(request.clone(headers=with_plain_names(request)))
    except web.HTTPException as raised:
        prefix_cookies(raised)
        raise
    if not response.prepared:
        prefix_cookies(response)
    return response


def with_plain_names(request: web.Request) -> CIMultiDict[str]:
    """The request's headers with only the `__Host-` cookies, under their plain names: a cookie
    without the prefix may have been set by someone else, and is not believed."""
    headers = CIMultiDict(request.headers)
    pieces = (p.strip() for h in headers.popall("Cookie", []) for p in h.split(";"))
    ours = [p.removeprefix(HOST_PREFIX) for p in pieces if p.startswith(HOST_PREFIX)]
    if ours:
        headers["Cookie"] = "; ".join(ours)
    return headers


def prefix_cookies(response: web.StreamResponse) -> None:
    """Rename every cookie set or deleted to `__Host-<name>`, Secure on Path=/ with no Domain."""
    for name, morsel in list(response.cookies.items()):
        if name.startswith(HOST_PREFIX):
            continue
        del response.cookies[name]
        response.cookies[HOST_PREFIX + name] = morsel.value
        renamed = response.cookies[HOST_PREFIX + name]
        renamed.update(morsel)
        renamed.update({"path": "/", "domain": ""})
        renamed["secure"] = True
