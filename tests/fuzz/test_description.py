"""The OpenAPI description as built from a router, without the system running."""

from __future__ import annotations

import uuid

from aiohttp import web
from pydantic import BaseModel

from shared.http import base_app
from shared.openapi import add_openapi, describe, documented


class Thing(BaseModel):
    name: str = ""


class Things(BaseModel):
    names: list[str]


def application() -> web.Application:
    app = base_app({})
    routes = web.RouteTableDef()

    @routes.get("/v1/things/{thing_id}/{kind:pdf|xml}")
    @documented(
        content_type=("application/pdf", "application/xml"),
        auth="internal",
        path={"thing_id": uuid.UUID},
    )
    async def show(request: web.Request) -> web.Response:
        """A thing's document.

        Only for the services.
        """
        return web.Response()

    @routes.post("/v1/things")
    @documented(body=Thing, response=Things, status=201, auth="session", query={"page": int})
    async def add(request: web.Request) -> web.Response:
        return web.Response()

    @routes.put("/v1/things/{name}/{code:(a|b)[0-9]{2}}")
    async def forgotten(request: web.Request) -> web.Response:
        return web.Response()

    app.add_routes(routes)
    add_openapi(app, "Things")
    return app


def test_every_route_but_head_is_described() -> None:
    description = describe(application(), "Things")
    operations = {(method, path) for path, item in description["paths"].items() for method in item}
    assert operations == {
        ("get", "/healthz"),
        ("get", "/livez"),
        ("get", "/readyz"),
        ("get", "/metrics"),
        ("get", "/openapi.json"),
        ("get", "/v1/things/{thing_id}/{kind}"),
        ("post", "/v1/things"),
        ("put", "/v1/things/{name}/{code}"),
    }


def test_parameters_body_responses_and_security_come_from_the_handler() -> None:
    description = describe(application(), "Things")
    show = description["paths"]["/v1/things/{thing_id}/{kind}"]["get"]
    assert show["summary"] == "A thing's document."
    assert show["description"] == "Only for the services."
    assert [(p["name"], p["schema"]) for p in show["parameters"]] == [
        ("thing_id", {"type": "string", "format": "uuid"}),
        ("kind", {"type": "string", "enum": ["pdf", "xml"]}),
    ]
    assert set(show["responses"]["200"]["content"]) == {"application/pdf", "application/xml"}
    assert show["security"] == [{"internal": []}]
    add = description["paths"]["/v1/things"]["post"]
    assert add["requestBody"]["required"] is False  # every field has a default
    assert add["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Thing"
    }
    assert add["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Things"
    }
    assert add["parameters"] == [
        {"name": "page", "in": "query", "required": False, "schema": {"type": "integer"}}
    ]
    error = add["responses"]["default"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert set(description["components"]["securitySchemes"]) == {"internal", "session"}
    assert description["components"]["securitySchemes"]["session"]["scheme"] == "bearer"


def test_an_undocumented_handler_is_marked_and_its_regex_kept() -> None:
    description = describe(application(), "Things")
    forgotten = description["paths"]["/v1/things/{name}/{code}"]["put"]
    assert forgotten["x-undocumented"] is True
    assert [p["schema"] for p in forgotten["parameters"]] == [
        {"type": "string", "minLength": 1, "pattern": "^[^{}/]+$"},
        {"type": "string", "pattern": "^(?:(a|b)[0-9]{2})$"},
    ]
