"""HTTP plumbing every service shares: errors as field-by-field JSON, correlation, metrics, probes.

The probes, as Kubernetes asks them: `/livez` says the process answers and checks nothing, so a
database or broker outage restarts no pod; `/readyz` says every health check passes (database,
broker), and takes a pod out of its Service until they do. `/healthz` is `/readyz` by its older
name, which docker-compose and the scripts wait on.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ValidationError

from shared.context import CORRELATION_HEADER, current_correlation_id
from shared.db import TRANSIENT_ERRORS
from shared.errors import DomainError, FieldErrors, TooManyRequests, Unauthorized
from shared.i18n import Catalog, Language, negotiate, translate
from shared.metrics import Metrics

log = logging.getLogger(__name__)

CATALOG = web.AppKey("catalog", dict)
METRICS = web.AppKey("metrics", Metrics)
HEALTH_CHECKS = web.AppKey("health_checks", list)

HealthCheck = Callable[[], Awaitable[bool]]
M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def request_language(request: web.Request) -> Language:
    return negotiate(request.headers.get("Accept-Language"))


def error_response(
    request: web.Request,
    status: int,
    code: str,
    fields: dict[str, list[dict[str, str]]] | None = None,
    **params: Any,
) -> web.Response:
    language = request_language(request)
    body: dict[str, Any] = {
        "error": {
            "code": code,
            "message": translate(request.app[CATALOG], code, language, **params),
            "fields": fields or {},
        }
    }
    return web.json_response(body, status=status)


def validation_fields(
    request: web.Request, error: ValidationError
) -> dict[str, list[dict[str, str]]]:
    language = request_language(request)
    catalog = request.app[CATALOG]
    fields: dict[str, list[dict[str, str]]] = {}
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "body"
        code = item["type"]
        context = dict(item.get("ctx") or {})
        message = translate(catalog, code, language, **context)
        if code == "value_error" and "email" in str(item.get("msg", "")).lower():
            message = translate(catalog, "email", language)
        fields.setdefault(field, []).append({"code": code, "message": message})
    return fields


@web.middleware
async def correlation_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    correlation = request.headers.get(CORRELATION_HEADER, "")[:100] or str(uuid.uuid4())
    token = current_correlation_id.set(correlation)
    try:
        response = await handler(request)
        response.headers[CORRELATION_HEADER] = correlation
        return response
    finally:
        current_correlation_id.reset(token)


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = request.match_info.route.resource
        name = route.canonical if route is not None else "unmatched"
        request.app[METRICS].http_requests.labels(name, request.method, str(status)).observe(
            time.perf_counter() - started
        )


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON error in the caller's language; never leak a trace."""
    try:
        return await handler(request)
    except FieldErrors as error:
        language = request_language(request)
        fields: dict[str, list[dict[str, str]]] = {}
        for field, code, params in error.errors:
            message = translate(request.app[CATALOG], code, language, **params)
            fields.setdefault(field, []).append({"code": code, "message": message})
        return error_response(request, 422, "invalid", fields)
    except TooManyRequests as error:
        response = error_response(request, error.status, error.code, **error.params)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except DomainError as error:
        fields = {}
        if error.field:
            message = translate(
                request.app[CATALOG], error.code, request_language(request), **error.params
            )
            fields = {error.field: [{"code": error.code, "message": message}]}
        return error_response(request, error.status, error.code, fields, **error.params)
    except InvalidRequest as error:
        return error_response(request, 422, "invalid", validation_fields(request, error.error))
    except web.HTTPRequestEntityTooLarge:
        return error_response(request, 413, "body_too_large")
    except web.HTTPNotFound:
        return error_response(request, 404, "not_found")
    except web.HTTPMethodNotAllowed:
        return error_response(request, 405, "method_not_allowed")
    except web.HTTPException:
        raise
    except TRANSIENT_ERRORS as error:
        # The database or a service this one needs is away for a while: the caller may try again.
        log.warning("%s %s waiting for what it needs: %r", request.method, request.path, error)
        response = error_response(request, 503, "unavailable")
        response.headers["Retry-After"] = "5"
        return response
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(request, 500, "internal")


async def read_json(request: web.Request, model: type[M]) -> M:
    """The request body validated as `model`; malformed JSON is a 422 on `body`."""
    raw = await request.read()
    try:
        data = json.loads(raw or b"{}")
    # RecursionError: arrays nested some thousand deep, which fit in any body size limit.
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FieldErrors([("body", "json_invalid", {})]) from None
    # In JSON a text can hold NUL only as the escape `\u0000`; a NUL byte in the body may be a
    # UTF-16 or UTF-32 encoding, which json.loads also reads. Without either, nothing to look for.
    if (b"\\u0000" in raw or b"\x00" in raw) and (field := nul_field(data)) is not None:
        raise FieldErrors([(field, "text_control_characters", {})])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidRequest(error) from None


def nul_field(data: Any) -> str | None:
    """Where in the JSON a text holds NUL (`\\u0000`), which PostgreSQL text cannot store."""
    # A stack, not recursion: the JSON may be nested as deep as the parser allows.
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return at or "body"
        if isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if "\x00" in str(key):
                    return at or "body"
                stack.append((f"{at}.{key}" if at else str(key), item))
    return None


class InvalidRequest(Exception):
    """The caller's body did not validate; any other ValidationError is our own bug."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


def require_bearer(request: web.Request, secret: str, code: str = "unauthorized") -> None:
    """Refuse the request unless it carries `Authorization: Bearer <secret>`."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: how long a wrong guess takes must not tell how much of it was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), secret.encode()
    ):
        raise Unauthorized(code)


def json_response(model: BaseModel, status: int = 200) -> web.Response:
    return web.Response(
        body=model.model_dump_json().encode(), status=status, content_type="application/json"
    )


async def livez(request: web.Request) -> web.Response:
    """The process serves requests; nothing it depends on is asked."""
    return web.json_response({"status": "ok", "checks": {}})


async def readyz(request: web.Request) -> web.Response:
    """Every health check passes, or 503 with the ones that failed."""
    results = {}
    for check in request.app[HEALTH_CHECKS]:
        try:
            results[check.__name__] = bool(await check())
        except Exception:
            results[check.__name__] = False
    healthy = all(results.values())
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )


async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS].registry)
    response = web.Response(body=body)
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    return response


def add_probes(app: web.Application) -> None:
    """`/livez`, `/readyz` and `/healthz` (the same as `/readyz`) on `app`."""
    app.router.add_get("/livez", livez)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/healthz", readyz)


def base_app(catalog: Catalog, *, client_max_size: int = 1024**2) -> web.Application:
    """An application with the shared middlewares, the probes and `/metrics`."""
    app = web.Application(
        middlewares=[correlation_middleware, metrics_middleware, error_middleware],
        client_max_size=client_max_size,
    )
    app[CATALOG] = catalog
    app[METRICS] = Metrics()
    app[HEALTH_CHECKS] = []
    add_probes(app)
    app.router.add_get("/metrics", metrics)
    return app
