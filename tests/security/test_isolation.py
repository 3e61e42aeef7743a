"""Tenant isolation: one company's user reaches nothing of another company's, whatever id it sends.

The matrix is built from the route tables of the company and invoice services at test time, so a
new route is attacked without anyone remembering to add it; a route the matrix cannot fill fails
the test by name. Companies A and B are made the way users make them, each connected to a buyer
of its own; B's data is compared, through B's own API, before and after every attack.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import itertools
import json
import uuid
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.invoice.conftest import PASSWORD, Supplier, buyer_user, connected_supplier
from tests.security.browser import assert_no_trace, browsing, source_address
from tests.security.hostile_payloads import MINIMAL_PDF
from tests.security.routes import CHOICES, Route, Unfillable, service_routes, web_routes
from tests.system import OPERATOR_SECRET, System

ADDRESS = {
    "kind": "invoice",
    "name": "Inkräktare AB",
    "street": "Falska gatan 1",
    "postal_code": "111 11",
    "city": "Stockholm",
    "country": "SE",
    "phone": "08-123 45",
}
BANK_ACCOUNT = {
    "bank_name": "Inkräktarbanken",
    "bank_country": "SE",
    "kind": "bankgiro",
    "number": "5050-1055",
    "password": PASSWORD,  # asked again before any bank account changes
}


@dataclass
class Tenant:
    """A supplier company with one of everything, and the ids that are its own."""

    supplier: Supplier
    company_id: str = ""
    organisation_number: str = ""
    buyer_name: str = ""
    address_id: str = ""
    account_id: str = ""
    draft: dict[str, Any] = field(default_factory=dict)
    attachment_id: str = ""
    session_id: str = ""
    sent: dict[str, Any] = field(default_factory=dict)
    # The Invoice Response of the status the buyer gave the sent invoice.
    response_id: str = ""
    # A webhook the buyer's systems registered, reaching nobody.
    webhook_id: str = ""
    company_form: dict[str, Any] = field(default_factory=dict)
    # The supplier's own user, as its company lists its people.
    user_id: str = ""
    # A user of the company's buyer, acting for it with a session, and a key it named.
    buyer_email: str = ""
    buyer_token: str = ""
    key_id: str = ""
    # The attachment of the sent invoice, as the buyer reads it.
    sent_attachment_id: str = ""
    # An invoice template for the company's customer, named uniquely.
    template_id: str = ""
    template_name: str = ""
    # A supplier the company's buyer invited itself, not registered yet.
    invitation_id: str = ""
    invitation_email: str = ""

    @property
    def as_buyer(self) -> Tenant:
        """The same tenant, acting through its buyer's user: the buyer's routes' own."""
        return replace(self, supplier=replace(self.supplier, token=self.buyer_token))

    @property
    def system(self) -> System:
        return self.supplier.system

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.supplier.token}"}

    def markers(self) -> set[str]:
        """Strings found in nothing but this company's data."""
        return {
            self.company_id,
            self.organisation_number,
            self.supplier.email,
            self.supplier.buyer_id,
            self.buyer_name,
            self.address_id,
            self.account_id,
            self.draft["id"],
            self.draft["form"]["number"],
            self.attachment_id,
            self.sent["id"],
            self.sent["form"]["number"],
            self.response_id,
            self.webhook_id,
            self.user_id,
            self.buyer_email,
            self.key_id,
            self.sent_attachment_id,
            self.template_id,
            self.template_name,
            self.invitation_id,
            self.invitation_email,
        }

    async def call(self, base: str, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        headers = self.auth | kwargs.pop("headers", {})
        return await fetch(self.supplier.http, method, base + path, headers=headers, **kwargs)

    async def company(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        return await self.call(self.system.company_url, method, path, **kwargs)

    async def invoice(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        return await self.call(self.system.invoice_url, method, path, **kwargs)


async def fetch(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """Status and body: JSON when JSON, else bytes."""
    async with http.request(method, url, **kwargs) as r:
        raw = await r.read()
        if r.content_type == "application/json" and raw:
            return r.status, await r.json()
        return r.status, raw


def text_of(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return str(body)


def upload() -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("file", MINIMAL_PDF, filename="följesedel.pdf", content_type="application/pdf")
    return data


def lines_file() -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("file", "A-1;Inkräktartimme;1;tim;100;25\n".encode(), filename="rader.csv")
    return data


async def populated(system: System, http: aiohttp.ClientSession) -> Tenant:
    tenant = Tenant(await connected_supplier(system, http))
    _, company = await tenant.company("GET", "/v1/me/company")
    _, connections = await tenant.company("GET", "/v1/me/connections")
    _, addresses = await tenant.company("GET", "/v1/me/addresses")
    _, accounts = await tenant.company("GET", "/v1/me/bank-accounts")
    tenant.company_id, tenant.organisation_number = company["id"], company["organisation_number"]
    tenant.company_form = {k: company[k] for k in ("name", "country", "organisation_number")} | {
        "vat_number": company["vat_number"] or "",
        "f_skatt": company["f_skatt"],
    }
    async with http.get(system.identity_url + "/v1/sessions", headers=tenant.auth) as response:
        [session] = await response.json()
    tenant.session_id = session["id"]
    tenant.buyer_name = connections[0]["buyer_name"]
    tenant.address_id, tenant.account_id = addresses[0]["id"], accounts[0]["id"]
    status, tenant.draft = await tenant.invoice(
        "POST", "/v1/me/invoices", json=tenant.supplier.form()
    )
    assert status == 201, tenant.draft
    status, attached = await tenant.invoice(
        "POST", f"/v1/me/invoices/{tenant.draft['id']}/attachments", data=upload()
    )
    assert status == 201, attached
    tenant.attachment_id = attached["id"]
    status, template = await tenant.invoice(
        "POST",
        "/v1/me/templates",
        json={"invoice_id": tenant.draft["id"], "name": f"Mall {uuid.uuid4().hex[:12]}"},
    )
    assert status == 201, template
    tenant.template_id, tenant.template_name = template["id"], template["name"]
    _, draft = await tenant.invoice("POST", "/v1/me/invoices", json=tenant.supplier.form())
    status, attached = await tenant.invoice(
        "POST", f"/v1/me/invoices/{draft['id']}/attachments", data=upload()
    )
    assert status == 201, attached
    tenant.sent_attachment_id = attached["id"]
    status, sent = await tenant.invoice("POST", f"/v1/me/invoices/{draft['id']}/send")
    assert status == 200, sent
    # Rendered and delivered before anything is compared: B's data must stand still.
    async with asyncio.timeout(60):
        while sent["status"] == "sent":
            await asyncio.sleep(0.1)
            _, sent = await tenant.invoice("GET", f"/v1/me/invoices/{draft['id']}")
    assert sent["status"] == "delivered", sent
    # The buyer's systems answer it: Mottagen, an Invoice Response of the buyer's.
    key = await buyer_key(system, http, tenant.supplier.buyer_id)
    status, response = await fetch(
        http,
        "POST",
        f"{system.invoice_url}/v1/buyer/invoices/{sent['id']}/status",
        headers={"Authorization": f"Bearer {key}"},
        json={"status": "received"},
    )
    assert status == 200, response
    tenant.response_id = response["id"]
    status, webhook = await fetch(
        http,
        "POST",
        f"{system.invoice_url}/v1/buyer/webhooks",
        headers={"Authorization": f"Bearer {key}"},
        json={"url": NOWHERE},
    )
    assert status == 201, webhook
    tenant.webhook_id = webhook["id"]
    _, tenant.sent = await tenant.invoice("GET", f"/v1/me/invoices/{sent['id']}")
    assert tenant.sent["buyer_status"] == "received", tenant.sent
    _, people = await tenant.company("GET", "/v1/me/members")
    tenant.user_id = people["members"][0]["user_id"]
    tenant.buyer_email, tenant.buyer_token = await buyer_user(
        system, http, tenant.supplier.buyer_id
    )
    status, key = await tenant.as_buyer.invoice(
        "POST", "/v1/me/buyer-keys", json={"name": "Ekonomisystemet"}
    )
    assert status == 201, key
    tenant.key_id = key["id"]
    tenant.invitation_email = f"inbjuden.{uuid.uuid4().hex[:10]}@example.com"
    status, invited = await tenant.as_buyer.company(
        "POST",
        "/v1/me/buyer/invitations",
        json={"email": tenant.invitation_email, "first_name": "Inbjuden", "last_name": "Ek"},
    )
    assert status == 201, invited
    tenant.invitation_id = invited["invitation_id"]
    return tenant


async def snapshot(tenant: Tenant) -> dict[str, Any]:
    """Everything the company can read of itself, as it reads it."""
    seen: dict[str, Any] = {}
    for path in ("/company", "/connections", "/addresses", "/bank-accounts", "/audit-log"):
        seen[f"company {path}"] = await tenant.company("GET", "/v1/me" + path)
    invoices = ["/invoice-form", "/invoices", "/invoices?status=draft", "/templates"]
    invoices.append(f"/templates/{tenant.template_id}")
    for invoice in (tenant.draft, tenant.sent):
        invoices.append(f"/invoices/{invoice['id']}")
    invoices.append(f"/invoices/{tenant.draft['id']}/attachments/{tenant.attachment_id}")
    for path in invoices:
        status, body = await tenant.invoice("GET", "/v1/me" + path)
        if isinstance(body, bytes):
            body = hashlib.sha256(body).hexdigest()
        seen[f"invoice {path}"] = (status, body)
    return seen


@dataclass
class Tenants:
    a: Tenant
    b: Tenant
    b_before: dict[str, Any]

    async def assert_b_unchanged(self) -> None:
        after = await snapshot(self.b)
        changed = [k for k in self.b_before if self.b_before[k] != after[k]]
        assert not changed, f"B's data changed: {changed}"


@pytest.fixture(scope="module")
async def tenants(system: System) -> AsyncIterator[Tenants]:
    async with aiohttp.ClientSession() as http:
        a, b = await asyncio.gather(populated(system, http), populated(system, http))
        assert not a.markers() & b.markers()
        yield Tenants(a, b, await snapshot(b))


def fillings(route: Route, owner: Tenant, intruder: Tenant) -> list[dict[str, str]]:
    """Every way to name the owner's things in the route's path parameters.

    An attachment is asked for under the owner's invoice and under the intruder's own invoice,
    so owning the invoice does not open someone else's attachment.
    """
    names = route.parameters
    if "attachment_id" in names:
        pairs = [
            (owner.draft["id"], owner.attachment_id),
            (intruder.draft["id"], owner.attachment_id),
        ]
        if route.canonical.startswith(BUYER_SESSION):
            pairs = [
                (owner.sent["id"], owner.sent_attachment_id),
                (intruder.sent["id"], owner.sent_attachment_id),
            ]
        rest = [n for n in names if n not in ("invoice_id", "attachment_id")]
        return [
            {"invoice_id": i, "attachment_id": a} | other
            for (i, a), other in itertools.product(pairs, _product(route, rest, owner))
        ]
    return _product(route, names, owner)


def _product(route: Route, names: list[str], owner: Tenant) -> list[dict[str, str]]:
    values: dict[str, list[str]] = {}
    for name in names:
        if name in CHOICES:
            values[name] = CHOICES[name]
        elif name == "invoice_id" and route.canonical.startswith(BUYER_SESSION):
            values[name] = [owner.sent["id"]]  # a buyer receives no drafts
        elif name == "invoice_id":
            values[name] = [owner.draft["id"], owner.sent["id"]]
        elif name == "buyer_id":
            values[name] = [owner.supplier.buyer_id]
        elif name == "address_id" or (name == "item_id" and "/addresses/" in route.canonical):
            values[name] = [owner.address_id]
        elif name == "account_id" or (name == "item_id" and "/bank-accounts/" in route.canonical):
            values[name] = [owner.account_id]
        elif name == "session_id":
            values[name] = [owner.session_id]
        elif name == "response_id":
            values[name] = [owner.response_id]
        elif name == "webhook_id":
            values[name] = [owner.webhook_id]
        elif name == "template_id":
            values[name] = [owner.template_id]
        elif name == "user_id":
            values[name] = [owner.user_id]
        elif name == "key_id":
            values[name] = [owner.key_id]
        elif name == "invitation_id":
            values[name] = [owner.invitation_id]
        elif name == "reference":  # a buyer's key, by its id
            values[name] = [str(uuid.uuid4())]
        else:
            raise Unfillable(f"{route.name}: no value known for {{{name}}}")
    return [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]


Body = Callable[["Tenant"], dict[str, Any]]

# What each writing route of the JSON APIs is sent: a valid body, so that an answer other than
# 404 can't hide behind a validation error. A new writing route must be added here.
API_BODIES: dict[tuple[str, str], Body] = {
    ("PUT", "/v1/me/company"): lambda me: {"json": me.company_form},
    ("POST", "/v1/me/addresses"): lambda me: {"json": ADDRESS},
    ("PUT", "/v1/me/addresses/{address_id}"): lambda me: {"json": ADDRESS},
    ("POST", "/v1/me/bank-accounts"): lambda me: {"json": BANK_ACCOUNT},
    ("PUT", "/v1/me/bank-accounts/{account_id}"): lambda me: {"json": BANK_ACCOUNT},
    ("POST", "/v1/me/connections/{buyer_id}/terms-acceptance"): lambda me: {
        "json": {"confirmed": True}
    },
    ("POST", "/v1/me/connections/{buyer_id}/connect"): lambda me: {},
    ("POST", "/v1/me/invoices"): lambda me: {"json": me.supplier.form()},
    ("PUT", "/v1/me/invoices/{invoice_id}"): lambda me: {"json": me.supplier.form()},
    ("POST", "/v1/me/invoices/{invoice_id}/send"): lambda me: {},
    ("POST", "/v1/me/invoices/{invoice_id}/retry"): lambda me: {},
    ("POST", "/v1/me/invoices/{invoice_id}/copy"): lambda me: {},
    ("POST", "/v1/me/invoices/{invoice_id}/credit"): lambda me: {},
    ("POST", "/v1/me/invoices/{invoice_id}/attachments"): lambda me: {"data": upload()},
    ("POST", "/v1/me/invoices/{invoice_id}/lines/import"): lambda me: {"data": lines_file()},
    ("POST", "/v1/me/templates"): lambda me: {
        "json": {"invoice_id": me.draft["id"], "name": me.template_name}
    },
    ("POST", "/v1/me/templates/{template_id}/invoices"): lambda me: {},
    ("POST", "/v1/me/members"): lambda me: {
        "json": {
            "email": f"kollega.{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Kollega",
            "last_name": "Ek",
        }
    },
    ("PUT", "/v1/me/members/{user_id}"): lambda me: {"json": {"role": "admin"}},
    ("POST", "/v1/me/received/{invoice_id}/status"): lambda me: {"json": {"status": "received"}},
    ("POST", "/v1/me/buyer-keys"): lambda me: {"json": {"name": "Intrång"}},
    ("POST", "/v1/me/webhooks"): lambda me: {"json": {"url": NOWHERE}},
    ("POST", "/v1/me/buyer/invitations"): lambda me: {
        "json": {
            "email": f"ny.{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Ny",
            "last_name": "Ek",
        }
    },
    ("POST", "/v1/me/buyer/invitations/import"): lambda me: {
        "json": {"csv": f"fil.{uuid.uuid4().hex[:8]}@example.com;Fil;Ek;sv\n"}
    },
    ("POST", "/v1/me/buyer/invitations/{invitation_id}/resend"): lambda me: {},
    ("PUT", "/v1/me/buyer/terms"): lambda me: {
        "json": {
            "version": f"intrång-{uuid.uuid4().hex[:8]}",
            "pdf_base64": base64.b64encode(MINIMAL_PDF).decode(),
        }
    },
    ("PUT", "/v1/me/buyer/rules"): lambda me: {"json": {"rules": PRESET_RULES}},
    ("POST", "/v1/me/buyer/rules/trial"): lambda me: {
        "json": {"field": "buyer_reference", "value": "AB12"}
    },
}
PRESET_RULES = json.loads(
    (Path(__file__).parents[2] / "services/company/presets/infranord.json").read_text()
)
# The buyer's terms and rules name nothing of the tenant's (no id, no name): that each buyer's
# user gets its own buyer's is what tests/company/test_buyer_self_service.py checks.
WITHOUT_MARKERS = ("/v1/me/buyer/terms", "/v1/me/buyer/terms.pdf", "/v1/me/buyer/rules")
# The routes a buyer's user has with its session: tried with the buyers' users.
BUYER_SESSION = ("/v1/me/received", "/v1/me/buyer-keys", "/v1/me/webhooks", "/v1/me/buyer/")
# Id-less reads asked again with the other company's things as the search.
API_QUERIES: dict[str, Callable[[Tenant], list[dict[str, str]]]] = {
    "/v1/me/invoices": lambda b: [
        {"q": b.sent["form"]["number"]},
        {"q": b.buyer_name},
        {"status": "delivered", "q": b.sent["form"]["number"]},
    ],
    "/v1/me/templates": lambda b: [{"buyer_id": b.supplier.buyer_id}],
}
REFUSED_TO_USERS = ("/v1/buyers", "/v1/operator/", "/internal/", "/v1/buyer/")
# Health, metrics and the API's description: the same for everyone, and nobody's data.
PUBLIC = ("/healthz", "/livez", "/readyz", "/metrics", "/openapi.json")


def body_for(route: Route, me: Tenant) -> dict[str, Any]:
    if route.method not in ("POST", "PUT", "PATCH"):
        return {}
    make = API_BODIES.get((route.method, route.canonical))
    if make is None:
        raise Unfillable(f"{route.name}: no request body known")
    return make(me)


@dataclass
class Matrix:
    """A's session against every route; what each answered, and what was wrong."""

    a: Tenant
    b: Tenant
    problems: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)

    def base(self, route: Route) -> str:
        system = self.a.system
        return system.company_url if route.service == "company" else system.invoice_url

    async def attack(self, route: Route) -> None:
        """B's ids in A's hands: not found (or forbidden), showing nothing of B's."""
        a, b, base = self.a, self.b, self.base(route)
        for values in fillings(route, b, a):
            path = route.path(values)
            status, body = await a.call(base, route.method, path, **body_for(route, a))
            self.table.append(f"{route.name}  {path} -> {status}")
            if status not in (403, 404):
                self.problems.append(f"{route.name} {path}: {status} {text_of(body)[:200]}")
            if leaked := {m for m in b.markers() - set(values.values()) if m in text_of(body)}:
                self.problems.append(f"{route.name} {path}: shows B's {leaked}")
            if route.method == "GET" and not {a.draft["id"], a.sent["id"]} & set(values.values()):
                # The control: B reaches it, so A's 404 is not a mistyped path.
                own, _ = await b.call(base, "GET", path)
                if own == 404 or own >= 500:
                    self.problems.append(f"{route.name} {path}: B itself gets {own}")

    async def own(self, route: Route) -> None:
        """A route without ids: A's own data and none of B's, whatever A searches for."""
        a, b, base = self.a, self.b, self.base(route)
        queries: list[dict[str, str]] = [{}]
        if route.method == "GET" and route.canonical in API_QUERIES:
            queries += API_QUERIES[route.canonical](b)
        for query in queries:
            status, body = await a.call(
                base, route.method, route.canonical, params=query, **body_for(route, a)
            )
            self.table.append(f"{route.name}  {query or ''} -> {status}")
            shown = text_of(body)
            if not 200 <= status < 300:
                self.problems.append(f"{route.name} {query}: {status} {shown[:200]}")
            if leaked := {m for m in b.markers() if m in shown}:
                self.problems.append(f"{route.name} {query}: shows B's {leaked}")
            mine = {m for m in a.markers() if m in shown}
            if (
                route.method == "GET"
                and not query
                and not mine
                and (route.canonical not in WITHOUT_MARKERS)
            ):
                self.problems.append(f"{route.name}: shows nothing of A's own ({shown[:200]})")

    async def refused(self, route: Route) -> None:
        """An operator's, a buyer's or an internal route: a user's session opens none."""
        for values in fillings(route, self.b, self.a)[:1]:
            path = route.path(values)
            body: dict[str, Any] = {"json": {}} if route.method in ("POST", "PUT", "PATCH") else {}
            status, _ = await self.a.call(self.base(route), route.method, path, **body)
            self.table.append(f"{route.name}  {path} -> {status}")
            if status not in (401, 403):
                self.problems.append(f"{route.name} with a user's session: {status}")

    async def not_a_buyer(self, route: Route) -> None:
        for values in fillings(route, self.a, self.b)[:1]:
            path = route.path(values)
            status, _ = await self.a.call(
                self.base(route), route.method, path, **body_for(route, self.a)
            )
            self.table.append(f"{route.name}  {path} (a supplier's user) -> {status}")
            if status != 404:
                self.problems.append(f"{route.name} with a supplier's session: {status}")

    async def public(self, route: Route) -> None:
        url = self.base(route) + route.canonical
        status, body = await fetch(self.a.supplier.http, route.method, url)
        self.table.append(f"{route.name} -> {status}")
        if status != 200 or {m for m in self.b.markers() if m in text_of(body)}:
            self.problems.append(f"{route.name}: {status}, or shows B's data")

    async def run(self, route: Route) -> None:
        if (
            route.canonical.startswith(BUYER_SESSION)
            and self.a.buyer_token != self.a.supplier.token
        ):
            # A supplier's user has no buyer: refused; the buyers' users are tried next.
            await self.not_a_buyer(route)
            as_buyers = Matrix(self.a.as_buyer, self.b.as_buyer, self.problems, self.table)
            await as_buyers.run(route)
            return
        try:
            if route.canonical.startswith("/v1/me/") and route.parameters:
                await self.attack(route)
            elif route.canonical.startswith("/v1/me"):
                await self.own(route)
            elif route.canonical.startswith(REFUSED_TO_USERS):
                await self.refused(route)
            elif route.canonical in PUBLIC:
                await self.public(route)
            else:
                raise Unfillable(
                    f"{route.name}: not a user's, operator's, internal or public route"
                )
        except Unfillable as error:
            self.problems.append(str(error))


async def test_a_user_reaches_nothing_of_another_company_through_any_route(
    tenants: Tenants,
) -> None:
    routes = service_routes()
    assert len(routes) > 30, [r.name for r in routes]
    matrix = Matrix(tenants.a, tenants.b)
    for route in routes:
        await matrix.run(route)
    print("\n".join(["", "Tenant isolation matrix (A's session, B's ids):", *matrix.table]))
    assert not matrix.problems, "\n".join(matrix.problems)
    await tenants.assert_b_unchanged()


async def test_a_draft_for_a_buyer_one_is_not_connected_to_is_never_sent(
    tenants: Tenants,
) -> None:
    a, b = tenants.a, tenants.b
    status, draft = await a.invoice(
        "POST", "/v1/me/invoices", json=a.supplier.form(buyer_id=b.supplier.buyer_id)
    )
    if status == 201:
        status, body = await a.invoice("POST", f"/v1/me/invoices/{draft['id']}/send")
        assert status == 422, body
        assert body["error"]["fields"]["buyer_id"][0]["code"] == "invoice.buyer_not_connected"
    else:
        assert status == 422, draft
    await tenants.assert_b_unchanged()


async def buyer_key(system: System, http: aiohttp.ClientSession, buyer_id: str) -> str:
    status, body = await fetch(
        http,
        "POST",
        f"{system.invoice_url}/v1/operator/buyers/{buyer_id}/keys",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
    )
    assert status == 201, body
    return str(body["key"])


async def test_a_buyers_key_reads_only_what_was_sent_to_that_buyer(tenants: Tenants) -> None:
    a, b = tenants.a, tenants.b
    system, http = a.system, a.supplier.http
    # A second draft to A's buyer, without attachments, so not only the attached one is tried.
    _, extra_draft = await a.invoice("POST", "/v1/me/invoices", json=a.supplier.form())
    keys = {
        "A's buyer": (a, await buyer_key(system, http, a.supplier.buyer_id)),
        "B's buyer": (b, await buyer_key(system, http, b.supplier.buyer_id)),
    }
    # Each sent invoice's response under its own invoice; under any other, A's buyer's.
    responses = {a.sent["id"]: a.response_id, b.sent["id"]: b.response_id}
    problems: list[str] = []
    table: list[str] = []
    buyer_routes = [
        r
        for r in service_routes()
        if r.canonical.startswith("/v1/buyer/") and not r.canonical.startswith(WEBHOOKS)
    ]
    assert buyer_routes
    for who, (mine, key) in keys.items():
        other = b if mine is a else a
        headers = {"Authorization": f"Bearer {key}"}
        readable = {mine.sent["id"]}
        hidden = {mine.draft["id"], other.draft["id"], other.sent["id"]}
        if mine is a:
            hidden.add(extra_draft["id"])
        for route in buyer_routes:
            try:
                if not route.parameters:
                    status, body = await fetch(
                        http, route.method, system.invoice_url + route.canonical, headers=headers
                    )
                    table.append(f"{who}: {route.name} -> {status}")
                    if route.method == "HEAD":
                        continue
                    listed = {i["id"] for i in body["invoices"]} if status == 200 else set()
                    if status != 200 or listed != readable:
                        problems.append(f"{who}: {route.name} lists {listed}, not {readable}")
                    continue
                for invoice_id in sorted(readable | hidden):
                    response_id = responses.get(invoice_id, a.response_id)
                    for values in _buyer_fillings(route, invoice_id, response_id):
                        path = route.path(values)
                        status, body = await fetch(
                            http,
                            route.method,
                            system.invoice_url + path,
                            headers=headers,
                            **BUYER_BODIES.get((route.method, route.canonical), {}),
                        )
                        table.append(f"{who}: {route.name} {path} -> {status}")
                        expected = 200 if invoice_id in readable else 404
                        if status != expected:
                            problems.append(f"{who}: {route.name} {path}: {status}, not {expected}")
                        elif expected == 200 and route.method == "GET":
                            _check_document(problems, route, values, body)
            except Unfillable as error:
                problems.append(str(error))
        # A buyer's key is not a user's session, and not an operator's secret.
        for base, path in (
            (system.invoice_url, "/v1/me/invoices"),
            (system.company_url, "/v1/me/company"),
            (system.company_url, "/v1/buyers"),
        ):
            status, _ = await fetch(http, "GET", base + path, headers=headers)
            table.append(f"{who}: GET {path} -> {status}")
            if status not in (401, 403):
                problems.append(f"{who}: GET {path} with a buyer's key: {status}")
    await _webhooks_of_each_buyer(tenants, keys, problems, table)
    # A user's session is not a buyer's key.
    status, _ = await a.invoice("GET", "/v1/buyer/invoices")
    table.append(f"A's session: GET /v1/buyer/invoices -> {status}")
    if status != 401:
        problems.append(f"A's session reads /v1/buyer/invoices: {status}")
    print("\n".join(["", "Buyer keys:", *table]))
    assert not problems, "\n".join(problems)


# The buyer's webhooks, its own things rather than an invoice's: tried apart.
WEBHOOKS = "/v1/buyer/webhooks"
# A webhook that reaches nobody (the test system allows loopback targets).
NOWHERE = "http://127.0.0.1:9/webhooks"
# What each writing route of the buyer API is sent: a valid body, and one that changes nothing
# of the owner's (the status each sent invoice has already).
BUYER_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/buyer/invoices/{invoice_id}/status"): {"json": {"status": "received"}},
    ("POST", "/v1/buyer/webhooks"): {"json": {"url": NOWHERE}},
}


async def _webhooks_of_each_buyer(
    tenants: Tenants,
    keys: dict[str, tuple[Tenant, str]],
    problems: list[str],
    table: list[str],
) -> None:
    """Each key lists its own buyer's webhooks alone, and finds the other's not: every webhook
    route, from the route table, with the other buyer's webhook (and its own, for the reads)."""
    a, b = tenants.a, tenants.b
    system, http = a.system, a.supplier.http
    routes = [r for r in service_routes() if r.canonical.startswith(WEBHOOKS)]
    assert routes
    for who, (mine, key) in keys.items():
        other = b if mine is a else a
        headers = {"Authorization": f"Bearer {key}"}
        for route in routes:
            if not route.parameters:
                kwargs = BUYER_BODIES.get((route.method, route.canonical), {})
                status, body = await fetch(
                    http,
                    route.method,
                    system.invoice_url + route.canonical,
                    headers=headers,
                    **kwargs,
                )
                table.append(f"{who}: {route.name} -> {status}")
                if route.method == "HEAD":
                    continue
                if route.method == "GET":
                    listed = {w["id"] for w in body["webhooks"]} if status == 200 else set()
                    if status != 200 or mine.webhook_id not in listed or other.webhook_id in listed:
                        problems.append(f"{who}: {route.name} lists {listed}")
                elif status != 201 or other.webhook_id in text_of(body):
                    problems.append(f"{who}: {route.name}: {status}")
                continue
            unknown = [n for n in route.parameters if n != "webhook_id"]
            if unknown:
                problems.append(f"{route.name}: no value known for {unknown}")
                continue
            tried = [(other.webhook_id, 404)]
            if route.method == "GET":  # its own, read: not deleted
                tried.append((mine.webhook_id, 200))
            for webhook_id, expected in tried:
                path = route.path({"webhook_id": webhook_id})
                status, body = await fetch(
                    http, route.method, system.invoice_url + path, headers=headers
                )
                table.append(f"{who}: {route.name} {path} -> {status}")
                if status != expected:
                    problems.append(f"{who}: {route.name} {path}: {status}, not {expected}")


def _buyer_fillings(route: Route, invoice_id: str, response_id: str) -> list[dict[str, str]]:
    fixed = {"invoice_id": invoice_id, "response_id": response_id}
    names = [n for n in route.parameters if n not in fixed]
    unknown = [n for n in names if n not in CHOICES]
    if unknown:
        raise Unfillable(f"{route.name}: no value known for {unknown}")
    choices = [CHOICES[n] for n in names]
    known = {name: value for name, value in fixed.items() if name in route.parameters}
    return [known | dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]


def _check_document(problems: list[str], route: Route, values: dict[str, str], body: Any) -> None:
    kind = values.get("kind")
    if kind == "pdf" and not (isinstance(body, bytes) and body.startswith(b"%PDF")):
        problems.append(f"{route.name}: the buyer's own PDF is not a PDF")
    if kind == "xml" and not (isinstance(body, bytes) and b"<Invoice" in body[:2000]):
        problems.append(f"{route.name}: the buyer's own XML is not an invoice")
    if "response_id" in values and not (
        isinstance(body, bytes) and b"<ApplicationResponse" in body[:2000]
    ):
        problems.append(f"{route.name}: the buyer's own response is not an Invoice Response")


# The web front, with A's cookie.

WEB_FORMS: dict[str, Callable[[Tenant], dict[str, str]]] = {
    "/connections/{buyer_id}/connect": lambda me: {},
    "/connections/{buyer_id}/setup": lambda me: {"confirmed": "yes"},
    "/profile/addresses/{item_id}": lambda me: ADDRESS,
    "/profile/addresses/{item_id}/delete": lambda me: {},
    "/profile/bank-accounts/{item_id}": lambda me: BANK_ACCOUNT,
    "/profile/bank-accounts/{item_id}/delete": lambda me: {},
    "/invoices/{invoice_id}": lambda me: {
        "buyer_id": me.supplier.buyer_id,
        "number": f"X{uuid.uuid4().int % 10**8}",
        "lines-0-description": "Intrång",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "1",
        "action": "save",
    },
    "/invoices/{invoice_id}/send": lambda me: {},
    "/invoices/{invoice_id}/{action}": lambda me: {},
    "/invoices/{invoice_id}/delete": lambda me: {},
    "/invoice-templates/{template_id}/use": lambda me: {},
    "/invoice-templates/{template_id}/delete": lambda me: {},
    "/account/sessions/{session_id}/end": lambda me: {},
    "/company/users/{user_id}": lambda me: {"role": "admin"},
    "/buyer/invoices/{invoice_id}/status": lambda me: {"status": "received"},
    "/buyer/keys/{key_id}/revoke": lambda me: {},
    "/buyer/webhooks/{webhook_id}/delete": lambda me: {},
    "/buyer/suppliers/{invitation_id}/resend": lambda me: {},
}


async def test_the_web_shows_another_companys_things_as_not_found(tenants: Tenants) -> None:
    a, b = tenants.a, tenants.b
    problems: list[str] = []
    table: list[str] = []
    async with browsing(a.system, source=source_address()) as browser:
        landed = await browser.log_in(a.supplier.email, PASSWORD)
        assert landed.status == 200 and "/login" not in landed.url, landed.text[:500]
        await _walk_with_b_ids(browser, web_routes(), a, b, problems, table)
        # The pages the issue names, read as a person would: a "not found" page.
        for path in (
            f"/invoices/{b.draft['id']}",
            f"/invoices/{b.sent['id']}",
            f"/invoices/{b.sent['id']}/invoice.pdf",
            f"/connections/{b.supplier.buyer_id}/setup",
            f"/profile/addresses/{b.address_id}",
        ):
            page = await browser.open(path)
            if page.status != 404 or "text/html" not in page.headers.get("Content-Type", ""):
                problems.append(f"GET {path}: {page.status} {page.headers.get('Content-Type')}")
        # Händelselogg has no ids: A's own entries, and nothing of B's.
        page = await browser.open("/company/audit-log")
        table.append(f"web GET /company/audit-log -> {page.status}")
        if page.status != 200 or a.organisation_number not in page.text:
            problems.append(f"GET /company/audit-log: {page.status}, or not A's own")
        if leaked := {m for m in b.markers() if m in page.text}:
            problems.append(f"GET /company/audit-log: shows B's {leaked}")
        # Exportera data has none either: A's own in the ZIP, and nothing of B's.
        shown = await _exported(browser)
        table.append("web POST /company/export -> a ZIP")
        if a.sent["id"] not in shown or a.organisation_number not in shown:
            problems.append("POST /company/export: not A's own")
        if leaked := {m for m in b.markers() if m in shown}:
            problems.append(f"POST /company/export: shows B's {leaked}")
    # The buyer's pages, in the browser of A's buyer's user, with B's buyer's things.
    async with browsing(a.system, source=source_address()) as browser:
        landed = await browser.log_in(a.buyer_email, PASSWORD)
        assert landed.status == 200 and "/buyer/invoices" in landed.url, landed.url
        buyer_routes = [
            r for r in web_routes() if r.canonical.startswith(("/buyer", "/company/users"))
        ]
        await _walk_with_b_ids(browser, buyer_routes, a, b, problems, table)
    print("\n".join(["", "Web front (A's cookie, B's ids):", *table]))
    assert not problems, "\n".join(problems)
    await tenants.assert_b_unchanged()


async def _exported(browser: Any) -> str:
    """Everything in the company's export ZIP, as one text to search."""
    url = browser.url + "/company/export"
    async with browser.http.post(url, data={"csrf_token": browser.csrf}) as r:
        assert r.status == 200 and r.content_type == "application/zip", r.status
        archive = zipfile.ZipFile(io.BytesIO(await r.read()))
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


async def _walk_with_b_ids(
    browser: Any,
    routes: list[Route],
    a: Tenant,
    b: Tenant,
    problems: list[str],
    table: list[str],
) -> None:
    """Every route with ids, B's ids in A's browser: not found (or forbidden), nothing of B's."""
    for route in routes:
        if not route.parameters or route.method not in ("GET", "HEAD", "POST"):
            continue
        try:
            for values in fillings(route, b, a):
                path = route.path(values)
                if route.method == "POST":
                    form = WEB_FORMS.get(route.canonical)
                    if form is None:
                        raise Unfillable(f"{route.name}: no form known")
                    page = await browser.post(path, form(a), allow_redirects=False)
                    expected: tuple[int, ...] = (403, 404)
                else:
                    page = await browser.request(route.method, path, allow_redirects=False)
                    expected = (404,)
                table.append(f"{route.name}  {path} -> {page.status}")
                if page.status not in expected:
                    problems.append(f"{route.name} {path}: {page.status}")
                leaked = {m for m in b.markers() if m in page.text and m not in path}
                if leaked:
                    problems.append(f"{route.name} {path}: shows B's {leaked}")
                assert_no_trace(page, route.name)
        except Unfillable as error:
            problems.append(str(error))
