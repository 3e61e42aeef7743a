"""Where a buyer's webhooks may be delivered: the address rules, checked at registration and again
at every connection.

A webhook makes this service send requests to a URL a buyer chose, from inside the deployment,
where the databases, the broker and the other services listen. So a target whose host is, or
resolves to, a loopback, private, link-local, unique-local, multicast, unspecified, reserved or
otherwise non-global address is refused, unless the operator allows it
(`PORTAL_WEBHOOK_ALLOW_PRIVATE`, for development and tests; it also allows plain `http`).

A name is checked when it is registered, to answer the buyer at once, and again when each
delivery connects: `GuardedResolver` is the connector's resolver, so the addresses checked are
the addresses connected to, and a DNS answer that changes between a check and the connection
(rebinding) never reaches a refused address. TLS still verifies the certificate against the
name in the URL, and the Host header carries it too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from shared.errors import FieldError

MAX_URL_LENGTH = 2000

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(OSError):
    """A target's host is, or resolves to, an address a webhook may not reach; `code` says why
    in the words of `services.invoice.messages`."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def forbidden(address: IPAddress) -> bool:
    """Whether a webhook may not reach `address` unless the operator allows private targets."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address written as IPv6 (::ffff:127.0.0.1, 64:ff9b::/96, 6to4) is judged as
        # the IPv4 address it reaches.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return forbidden(embedded)
        if address in ipaddress.IPv6Network("64:ff9b::/96"):
            return forbidden(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        # Anything else that is not routed on the internet (100.64.0.0/10, documentation ranges).
        or not address.is_global
    )


def url_problems(url: str, *, allow_private: bool) -> list[FieldError]:
    """What is wrong with `url` as a webhook target, before any name is resolved."""
    if len(url) > MAX_URL_LENGTH:
        return [("url", "webhook.url_too_long", {"limit": MAX_URL_LENGTH})]
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return [("url", "webhook.url_invalid", {})]
    schemes = ("https", "http") if allow_private else ("https",)
    if parsed.scheme not in schemes:
        return [("url", "webhook.url_not_https", {})]
    if not parsed.host or not parsed.is_absolute():
        return [("url", "webhook.url_invalid", {})]
    if parsed.user is not None or parsed.password is not None:
        return [("url", "webhook.url_credentials", {})]
    if parsed.fragment:
        return [("url", "webhook.url_invalid", {})]
    return []


def literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def addresses_of(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Every address `host` resolves to, each allowed; `TargetRefused` if there is none, or if
    any one is refused (a name with one private address among public ones is no safer)."""
    found = literal(host)
    if found is not None:
        resolved = [found]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError, ValueError) as error:
            raise TargetRefused("webhook.host_unknown", f"{host}: {error}") from None
        resolved = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not resolved:
        raise TargetRefused("webhook.host_unknown", f"{host}: no address")
    if not allow_private:
        refused = [str(a) for a in resolved if forbidden(a)]
        if refused:
            raise TargetRefused("webhook.host_private", f"{host} resolves to {', '.join(refused)}")
    return resolved


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse `url` unless its host is allowed now (`TargetRefused`)."""
    parsed = URL(url)
    assert parsed.host is not None
    await addresses_of(parsed.host, parsed.port or 443, allow_private=allow_private)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver for webhook deliveries: answers only with checked addresses, so the
    connection goes to an address that passed the rules, never to one a second DNS answer gave.
    (aiohttp does not resolve an address literal; `check_target` judges those before the call.)
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await addresses_of(host, port, allow_private=self.allow_private)
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        pass
