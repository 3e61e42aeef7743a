"""Each service's OpenAPI 3.1 description, built from what its router really routes.

A handler says what it takes and gives with `@documented(...)`; every route is described, so
the description cannot leave one out, and an undocumented handler shows as just that. The
description is served at `GET /openapi.json`; `only_paths` cuts out the part an outside reader
may use (the buyer API's, `services/invoice/buyer_docs.py`).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import JsonSchemaMode

from shared.http import livez, metrics, readyz

Auth = Literal["session", "operator", "internal", "buyer_key"]

SECURITY_SCHEMES: dict[Auth, str] = {
    "session": "A user's session token, from identity's `POST /v1/sessions`.",
    "operator": "The operators' secret (`PORTAL_OPERATOR_SECRET`).",
    "internal": "The services' shared internal secret (`PORTAL_INTERNAL_SECRET`).",
    "buyer_key": "A buyer's API key, issued by an operator.",
}

# The attribute `documented` leaves on a handler; the builder reads it back.
OPERATION_ATTRIBUTE = "__openapi_operation__"
# aiohttp's pattern for a `{name}` without a regex of its own.
DEFAULT_SEGMENT = "[^{}/]+"

Handler = TypeVar("Handler", bound=Callable[..., Any])


class FieldProblem(BaseModel):
    code: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, list[FieldProblem]]


class Error(BaseModel):
    """Every failure, in the caller's language (`Accept-Language`), field by field."""

    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, bool]


@dataclass(frozen=True)
class Operation:
    """What one handler takes and gives, in types pydantic can describe."""

    body: type[BaseModel] | None = None
    upload: str | None = None
    response: Any = None
    status: int = 200
    content_type: str | Sequence[str] = "application/json"
    auth: Auth | None = None
    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    responses: Mapping[int, Any] = field(default_factory=dict)

    @property
    def media_types(self) -> tuple[str, ...]:
        if isinstance(self.content_type, str):
            return (self.content_type,)
        return tuple(self.content_type)

    def types(self) -> Iterator[tuple[Any, JsonSchemaMode]]:
        """Every type the description needs a schema of, with the direction it travels."""
        if self.body is not None:
            yield self.body, "validation"
        for annotation in (*self.path.values(), *self.query.values()):
            yield annotation, "validation"
        if self.response is not None:
            yield self.response, "serialization"
        for annotation in self.responses.values():
            yield annotation, "serialization"
        yield Error, "serialization"


def documented(
    *,
    body: type[BaseModel] | None = None,
    upload: str | None = None,
    response: Any = None,
    status: int = 200,
    content_type: str | Sequence[str] = "application/json",
    auth: Auth | None = None,
    path: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    responses: Mapping[int, Any] | None = None,
) -> Callable[[Handler], Handler]:
    """Describe a handler: its JSON `body` model or multipart `upload` field, its `response` type
    (none: no body, or the bytes of `content_type`) and `status`, the bearer `auth` it asks for,
    the types of its `path` and `query` parameters, and any other JSON `responses` by status.

    The handler's docstring becomes the operation's summary and description.
    """
    operation = Operation(
        body=body,
        upload=upload,
        response=response,
        status=status,
        content_type=content_type,
        auth=auth,
        path=path or {},
        query=query or {},
        responses=responses or {},
    )

    def attach(handler: Handler) -> Handler:
        setattr(handler, OPERATION_ATTRIBUTE, operation)
        return handler

    return attach


# The routes `shared.http.base_app` adds to every service.
SHARED_OPERATIONS: dict[Callable[..., Any], Operation] = {
    livez: Operation(response=Health),
    readyz: Operation(response=Health, responses={503: Health}),
    metrics: Operation(content_type="text/plain"),
}


def operation_of(handler: Callable[..., Any]) -> Operation | None:
    found = getattr(handler, OPERATION_ATTRIBUTE, None)
    if isinstance(found, Operation):
        return found
    return SHARED_OPERATIONS.get(handler)


def describe(app: web.Application, title: str, version: str = "1") -> dict[str, Any]:
    """The OpenAPI 3.1 description of every route `app` serves (HEAD twins left out)."""
    routes: list[tuple[str, dict[str, str], str, Callable[..., Any]]] = []
    for route in app.router.routes():
        found = _path_of(route.resource)
        if route.method != "HEAD" and found is not None:
            routes.append((*found, route.method.lower(), route.handler))
    wanted: dict[tuple[Any, JsonSchemaMode], TypeAdapter[Any]] = {}
    for *_, handler in routes:
        for annotation, mode in (operation_of(handler) or Operation()).types():
            if (annotation, mode) not in wanted:
                wanted[(annotation, mode)] = TypeAdapter(annotation)
    schemas, definitions = TypeAdapter.json_schemas(
        [(annotation, mode, adapter) for (annotation, mode), adapter in wanted.items()],
        ref_template="#/components/schemas/{model}",
    )

    def schema(annotation: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        return dict(schemas[(annotation, mode)])

    paths: dict[str, dict[str, Any]] = {}
    used_ids: set[str] = set()
    used_auth: set[Auth] = set()
    for path, patterns, method, handler in sorted(routes, key=lambda r: (r[0], r[2])):
        operation = operation_of(handler)
        described = _operation(path, patterns, handler, operation or Operation(), schema)
        name = getattr(handler, "__name__", method)
        described["operationId"] = name if name not in used_ids else f"{name}_{method}"
        used_ids.add(described["operationId"])
        if operation is None:
            described["x-undocumented"] = True
        elif operation.auth is not None:
            used_auth.add(operation.auth)
        paths.setdefault(path, {})[method] = described
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                name: {"type": "http", "scheme": "bearer", "description": text}
                for name, text in SECURITY_SCHEMES.items()
                if name in used_auth
            },
        },
    }


def _operation(
    path: str,
    patterns: Mapping[str, str],
    handler: Callable[..., Any],
    operation: Operation,
    schema: Callable[[Any, JsonSchemaMode], dict[str, Any]],
) -> dict[str, Any]:
    described: dict[str, Any] = {}
    summary, _, description = (inspect.getdoc(handler) or "").partition("\n")
    if summary:
        described["summary"] = summary.strip()
    if description.strip():
        described["description"] = description.strip()
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": (
                schema(operation.path[name], "validation")
                if name in operation.path
                else _segment_schema(pattern)
            ),
        }
        for name, pattern in patterns.items()
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": schema(annotation, "validation")}
        for name, annotation in operation.query.items()
    ]
    if parameters:
        described["parameters"] = parameters
    if operation.body is not None:
        described["requestBody"] = {
            "required": not _accepts_empty(operation.body),
            "content": {"application/json": {"schema": schema(operation.body, "validation")}},
        }
    elif operation.upload is not None:
        described["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {operation.upload: {"type": "string", "format": "binary"}},
                        "required": [operation.upload],
                    }
                }
            },
        }
    responses: dict[str, Any] = {str(operation.status): _response(operation, schema)}
    for status, annotation in operation.responses.items():
        responses[str(status)] = {
            "description": _reason(status),
            "content": {"application/json": {"schema": schema(annotation, "serialization")}},
        }
    responses["default"] = {
        "description": "An error: a JSON body with a code, a message and the fields at fault.",
        "content": {"application/json": {"schema": schema(Error, "serialization")}},
    }
    described["responses"] = responses
    described["security"] = [{operation.auth: []}] if operation.auth else []
    return described


def _response(
    operation: Operation, schema: Callable[[Any, JsonSchemaMode], dict[str, Any]]
) -> dict[str, Any]:
    if operation.status == 204:
        return {"description": _reason(204)}
    content: dict[str, Any] = {}
    for media_type in operation.media_types:
        if operation.response is not None:
            content[media_type] = {"schema": schema(operation.response, "serialization")}
        elif media_type == "application/json":
            content[media_type] = {"schema": {}}
        else:
            content[media_type] = {"schema": {"type": "string", "contentMediaType": media_type}}
    return {"description": _reason(operation.status), "content": content}


def _reason(status: int) -> str:
    return HTTPStatus(status).phrase


def _accepts_empty(model: type[BaseModel]) -> bool:
    """Whether an empty body will do: `read_json` reads a missing body as `{}`."""
    try:
        model.model_validate({})
    except ValidationError:
        return False
    return True


def _path_of(resource: web.AbstractResource | None) -> tuple[str, dict[str, str]] | None:
    """A resource's OpenAPI path template and each path parameter's regular expression."""
    if isinstance(resource, web.PlainResource):
        return resource.canonical, {}
    if isinstance(resource, web.DynamicResource):
        info = resource.get_info()
        return str(info["formatter"]), _named_groups(info["pattern"].pattern)
    return None


def _named_groups(pattern: str) -> dict[str, str]:
    """`(?P<name>regex)` → {name: regex}, with nested groups and escapes kept whole."""
    groups: dict[str, str] = {}
    for match in re.finditer(r"\(\?P<(\w+)>", pattern):
        depth, at = 1, match.end()
        while depth:
            char = pattern[at]
            if char == "\\":
                at += 1
            elif char == "[":
                at = pattern.index("]", at + 2)
            elif char in "()":
                depth += 1 if char == "(" else -1
            at += 1
        groups[match.group(1)] = pattern[match.end() : at - 1]
    return groups


def _segment_schema(pattern: str) -> dict[str, Any]:
    if pattern == DEFAULT_SEGMENT:
        return {"type": "string", "minLength": 1, "pattern": f"^{DEFAULT_SEGMENT}$"}
    if re.fullmatch(r"[\w-]+(\|[\w-]+)*", pattern):
        return {"type": "string", "enum": pattern.split("|")}
    return {"type": "string", "pattern": f"^(?:{pattern})$"}


def add_openapi(app: web.Application, title: str) -> None:
    """Serve `app`'s description at `GET /openapi.json`, built once, on the first request."""
    built: list[bytes] = []

    @documented(response=dict[str, Any])
    async def openapi(request: web.Request) -> web.Response:
        """This description, in OpenAPI 3.1."""
        if not built:
            built.append(json.dumps(describe(request.app, title), ensure_ascii=False).encode())
        return web.Response(body=built[0], content_type="application/json")

    app.router.add_get("/openapi.json", openapi)


SCHEMA_REF = "#/components/schemas/"


def only_paths(description: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The part of a description under a path prefix, for readers who may use that part alone
    (a buyer's systems, the buyer API): its operations, the schemas they refer to, directly or
    through other schemas, and the security schemes they ask for."""
    paths = {path: item for path, item in description["paths"].items() if path.startswith(prefix)}
    components = description["components"]
    schemas = components["schemas"]
    schemes = {
        name
        for item in paths.values()
        for operation in item.values()
        for requirement in operation.get("security", [])
        for name in requirement
    }
    return {
        **description,
        "paths": paths,
        "components": {
            "schemas": {name: schemas[name] for name in sorted(_referenced(paths, schemas))},
            "securitySchemes": {
                name: scheme
                for name, scheme in components["securitySchemes"].items()
                if name in schemes
            },
        },
    }


def _referenced(node: Any, schemas: Mapping[str, Any]) -> set[str]:
    """The names of the schemas `node` refers to, and those they refer to in turn."""
    found: set[str] = set()
    # A stack rather than recursion, like `shared.http.nul_field`.
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
                name = ref.removeprefix(SCHEMA_REF)
                if name not in found and name in schemas:
                    found.add(name)
                    stack.append(schemas[name])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
