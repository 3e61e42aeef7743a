"""The route tables of the services, read from the apps as they are built today, so a new route is
tested without anyone remembering to add it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiohttp import web

from services.company.app import create_app as create_company
from services.invoice.app import create_app as create_invoice
from services.web.app import create_app as create_web
from shared.settings import CompanySettings, InvoiceSettings, WebSettings

# Values of the path parameters that only select among fixed alternatives.
CHOICES = {
    "kind": ["pdf", "xml"],
    "document": ["preview.pdf", "invoice.pdf", "invoice.xml"],
    "file": ["invoice.pdf", "invoice.xml"],
    "action": ["copy", "credit", "retry"],
}


class Unfillable(Exception):
    """A test does not know what to put in a route: the route must be taught, not skipped."""


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    canonical: str
    resource: web.AbstractResource

    @property
    def name(self) -> str:
        return f"{self.service} {self.method} {self.canonical}"

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"\{(\w+)", self.canonical)

    def path(self, values: dict[str, str]) -> str:
        path = self.canonical.format_map(values)
        pattern = self.resource.get_info().get("pattern")
        if pattern is not None and not pattern.fullmatch(path):
            raise Unfillable(f"{self.name}: {path} does not match the route")
        return path


def routes_of(service: str, app: web.Application) -> list[Route]:
    return [
        Route(service, route.method, route.resource.canonical, route.resource)
        for route in app.router.routes()
        if route.resource is not None and not isinstance(route.resource, web.StaticResource)
    ]


def service_routes() -> list[Route]:
    """Every route of the company and invoice services; the apps are built, never started."""
    company = create_company(CompanySettings(environment="development"))
    invoice = create_invoice(InvoiceSettings(environment="development"))
    return routes_of("company", company) + routes_of("invoice", invoice)


def web_routes() -> list[Route]:
    return routes_of("web", create_web(WebSettings(environment="development")))
