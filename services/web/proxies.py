"""Where a request really came from, believed from X-Forwarded-For and X-Forwarded-Proto only
when the peer is one of the configured reverse proxies (`PORTAL_TRUSTED_PROXIES`).

A request from anyone else keeps its peer's address and scheme whatever headers it carries, so
a client cannot pick the address its login attempts are throttled and logged under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web
from aiohttp.typedefs import Handler

from services.web.pages import SETTINGS

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@web.middleware
async def trusted_proxy_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    proxies = request.app[SETTINGS].trusted_proxies
    peer = request.remote
    if peer is None or not is_within(peer, proxies):
        return await handler(request)
    scheme = last_value(request.headers.get("X-Forwarded-Proto", "")).lower()
    return await handler(
        request.clone(
            remote=client_address(peer, request.headers.getall("X-Forwarded-For", []), proxies),
            scheme=scheme if scheme in ("http", "https") else request.scheme,
        )
    )


def client_address(peer: str, forwarded_for: list[str], proxies: Sequence[Network]) -> str:
    """The nearest address in X-Forwarded-For that is not one of our proxies.

    Read from the right: each proxy appends the peer it saw, and only the hops our own proxies
    added can be believed; anything further left is whatever the client claimed.
    """
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    client = peer
    for hop in reversed(hops):
        if not is_address(hop):
            break
        client = hop
        if not is_within(hop, proxies):
            break
    return client


def last_value(header: str) -> str:
    return header.rsplit(",", 1)[-1].strip()


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_within(address: str, networks: Sequence[Network]) -> bool:
    if not is_address(address):
        return False
    return any(ipaddress.ip_address(address) in network for network in networks)
