"""The internal HTTP client against a real aiohttp server: what it sends, how much it reads, and
what a refusal or an outage of the callee becomes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import unused_port

from shared.client import (
    ResponseTooLarge,
    ServiceClient,
    ServiceError,
    ServiceUnavailable,
    api_path,
)
from shared.context import CORRELATION_HEADER, current_correlation_id
from shared.errors import FieldErrors, TooManyRequests
from shared.http import base_app
from tests.harness import serving

CATALOG = {
    "invalid": {"sv": "Kontrollera fälten.", "en": "Check the fields."},
    "required": {"sv": "Obligatoriskt.", "en": "Required."},
    "throttled": {"sv": "Vänta.", "en": "Wait."},
    "unavailable": {"sv": "Försök igen strax.", "en": "Try again shortly."},
}


async def echo(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "name": request.match_info["name"],
            "raw_path": request.raw_path,
            "authorization": request.headers.get("Authorization"),
            "correlation": request.headers.get(CORRELATION_HEADER),
            "language": request.headers.get("Accept-Language"),
        }
    )


async def streamed(request: web.Request) -> web.StreamResponse:
    """`size` bytes in chunks, without a Content-Length: the limit must be kept while reading."""
    response = web.StreamResponse()
    await response.prepare(request)
    remaining = int(request.match_info["size"])
    while remaining > 0:
        chunk = min(remaining, 10_000)
        await response.write(b"x" * chunk)
        remaining -= chunk
    await response.write_eof()
    return response


async def refused(request: web.Request) -> web.Response:
    raise FieldErrors([("email", "required", {})])


async def throttled(request: web.Request) -> web.Response:
    raise TooManyRequests("throttled", retry_after=7)


async def broken(request: web.Request) -> web.Response:
    raise ZeroDivisionError("a bug in the callee")


async def plain_not_found(request: web.Request) -> web.Response:
    return web.Response(status=404, text="no such thing")


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(1)
    return web.json_response({})


def callee() -> web.Application:
    app = base_app(CATALOG)
    app.router.add_get("/echo/{name}", echo)
    app.router.add_get("/stream/{size}", streamed)
    app.router.add_post("/refused", refused)
    app.router.add_get("/throttled", throttled)
    app.router.add_get("/broken", broken)
    app.router.add_get("/plain", plain_not_found)
    app.router.add_get("/slow", slow)
    return app


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with serving(callee()) as base_url:
        yield base_url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_every_call_carries_the_secret_and_the_correlation_id(
    url: str, http: aiohttp.ClientSession
) -> None:
    client = ServiceClient(http, url, secret="internal")
    token = current_correlation_id.set("sending-42")
    try:
        seen = await client.call("GET", "/echo/x", language="en")
    finally:
        current_correlation_id.reset(token)
    assert seen["authorization"] == "Bearer internal"
    assert seen["correlation"] == "sending-42"
    assert seen["language"] == "en"


async def test_a_forwarded_token_replaces_the_secret_even_when_empty(
    url: str, http: aiohttp.ClientSession
) -> None:
    client = ServiceClient(http, url, secret="internal")
    assert (await client.call("GET", "/echo/x", token="users"))["authorization"] == "Bearer users"
    assert (await client.call("GET", "/echo/x", token=""))["authorization"] is None


@pytest.mark.parametrize("segment", ["a/b", "..", "../..", "x?y=1", "100%", "ä b"])
async def test_a_path_segment_names_one_thing_whatever_it_holds(
    url: str, http: aiohttp.ClientSession, segment: str
) -> None:
    client = ServiceClient(http, url)
    seen = await client.call("GET", api_path("/echo/{}", segment))
    assert seen["name"] == segment
    assert seen["raw_path"].startswith("/echo/")
    assert "/" not in seen["raw_path"].removeprefix("/echo/")


async def test_a_body_up_to_the_limit_is_read_whole(url: str, http: aiohttp.ClientSession) -> None:
    client = ServiceClient(http, url, limit=50_000)
    assert await client.read("GET", "/stream/50000") == b"x" * 50_000
    assert await client.read("GET", "/stream/70000", limit=70_000) == b"x" * 70_000


async def test_a_body_past_the_limit_is_refused_while_streaming(
    url: str, http: aiohttp.ClientSession
) -> None:
    client = ServiceClient(http, url, limit=50_000)
    with pytest.raises(ResponseTooLarge) as caught:
        await client.read("GET", "/stream/50001")
    assert caught.value.limit == 50_000
    # Transient for a caller that does not know better: never a 500.
    assert isinstance(caught.value, ServiceUnavailable)
    with pytest.raises(ResponseTooLarge):
        await client.read("GET", "/stream/10000000", limit=1)


async def test_a_refusal_carries_status_code_message_and_fields(
    url: str, http: aiohttp.ClientSession
) -> None:
    client = ServiceClient(http, url)
    with pytest.raises(ServiceError) as caught:
        await client.call("POST", "/refused", json={}, language="sv")
    error = caught.value
    assert (error.status, error.code, error.message) == (422, "invalid", "Kontrollera fälten.")
    assert [(p.code, p.message) for p in error.problems["email"]] == [
        ("required", "Obligatoriskt.")
    ]
    assert error.fields == {"email": ["Obligatoriskt."]}


async def test_a_throttled_refusal_says_when_to_try_again(
    url: str, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(ServiceError) as caught:
        await ServiceClient(http, url).call("GET", "/throttled")
    assert (caught.value.status, caught.value.code, caught.value.retry_after) == (
        429,
        "throttled",
        7,
    )


@pytest.mark.parametrize("path", ["/broken", "/plain"])
async def test_a_5xx_or_a_4xx_without_an_error_is_unavailable(
    url: str, http: aiohttp.ClientSession, path: str
) -> None:
    with pytest.raises(ServiceUnavailable):
        await ServiceClient(http, url).call("GET", path)


async def test_a_timeout_or_no_server_is_unavailable(url: str, http: aiohttp.ClientSession) -> None:
    hasty = ServiceClient(http, url, timeout=aiohttp.ClientTimeout(total=0.2))
    with pytest.raises(ServiceUnavailable):
        await hasty.call("GET", "/slow")
    nobody = ServiceClient(http, f"http://127.0.0.1:{unused_port()}")
    with pytest.raises(ServiceUnavailable):
        await nobody.call("GET", "/echo/x")


async def test_the_callees_outage_is_the_callers_503(http: aiohttp.ClientSession) -> None:
    caller = base_app(CATALOG)
    away = ServiceClient(http, f"http://127.0.0.1:{unused_port()}")

    async def forwarding(request: web.Request) -> web.Response:
        return web.json_response(await away.call("GET", "/echo/x"))

    caller.router.add_get("/forward", forwarding)
    async with serving(caller) as caller_url, http.get(caller_url + "/forward") as response:
        assert response.status == 503
        assert response.headers["Retry-After"] == "5"
        assert (await response.json())["error"]["code"] == "unavailable"
