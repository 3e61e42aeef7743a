"""Schemathesis against each service's own OpenAPI description, in the running system.

Whatever a service is sent, valid or not, it never answers 5xx, and every answer is the documented
type or the JSON error shape. Requests carry real credentials, and path parameters are sometimes
real ids, so the fuzzing reaches past the first 401 and 404 into the handlers.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Err

from shared.settings import DEVELOPMENT_SECRET
from tests.fuzz.conftest import expect, session_token
from tests.invoice.conftest import TERMS, Supplier, buyer_user
from tests.system import OPERATOR_SECRET, System

# Examples per operation and generation mode: enough to find the easy 5xx, bounded in time.
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "30"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Destructive operations last: a DELETE of a known id would leave the others only 404s.
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


@dataclass
class Target:
    """One service to fuzz: where it is, the bearer token for each scheme, ids that exist."""

    url: str
    tokens: Mapping[str, str] = field(default_factory=dict)
    known: Mapping[str, str] = field(default_factory=dict)
    # Only the operations whose path starts so; all of them when empty.
    prefix: str = ""


async def test_identity(system: System, http: aiohttp.ClientSession, supplier: Supplier) -> None:
    token = await session_token(system, http, supplier)
    await fuzz(http, Target(system.identity_url, {"session": token}))


async def test_company(system: System, http: aiohttp.ClientSession, supplier: Supplier) -> None:
    token = await session_token(system, http, supplier)
    auth = {"Authorization": f"Bearer {token}"}
    me = system.company_url + "/v1/me"
    async with http.get(me + "/addresses", headers=auth) as r:
        address = (await expect(r, 200))[0]
    async with http.get(me + "/bank-accounts", headers=auth) as r:
        account = (await expect(r, 200))[0]
    await fuzz(
        http,
        Target(
            system.company_url,
            {"session": token, "operator": OPERATOR_SECRET},
            {
                "buyer_id": supplier.buyer_id,
                "address_id": address["id"],
                "account_id": account["id"],
            },
        ),
    )


async def test_company_as_a_buyers_user(
    system: System, http: aiohttp.ClientSession, supplier: Supplier
) -> None:
    """The buyer's own routes, with a session of the buyer's admin, so that the fuzzing gets
    past "not a buyer" into the handlers."""
    _, token = await buyer_user(system, http, supplier.buyer_id)
    async with http.post(
        system.company_url + "/v1/me/buyer/invitations",
        headers={"Authorization": f"Bearer {token}"},
        json={"email": "fuzz.inbjuden@example.com", "first_name": "Fuzz", "last_name": "Ek"},
    ) as r:
        invitation = await expect(r, 201)
    await fuzz(
        http,
        Target(
            system.company_url,
            {"session": token, "operator": OPERATOR_SECRET},
            {"invitation_id": invitation["invitation_id"]},
            prefix="/v1/me/buyer/",
        ),
    )


async def test_invoice(system: System, http: aiohttp.ClientSession, supplier: Supplier) -> None:
    token = await session_token(system, http, supplier)
    status, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
    assert status == 201, draft
    upload = aiohttp.FormData()
    upload.add_field("file", TERMS, filename="bilaga.pdf", content_type="application/pdf")
    status, attachment = await supplier.call(
        "POST", f"/v1/me/invoices/{draft['id']}/attachments", data=upload
    )
    assert status == 201, attachment
    status, template = await supplier.call(
        "POST", "/v1/me/templates", json={"invoice_id": draft["id"], "name": "Fuzz"}
    )
    assert status == 201, template
    async with http.post(
        f"{system.invoice_url}/v1/operator/buyers/{supplier.buyer_id}/keys",
        headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
    ) as r:
        buyer_key = (await expect(r, 201))["key"]
    await fuzz(
        http,
        Target(
            system.invoice_url,
            {
                "session": token,
                "operator": OPERATOR_SECRET,
                "internal": DEVELOPMENT_SECRET,
                "buyer_key": buyer_key,
            },
            {
                "invoice_id": draft["id"],
                "attachment_id": attachment["id"],
                "template_id": template["id"],
                "buyer_id": supplier.buyer_id,
            },
        ),
    )


async def test_renderer(system: System, http: aiohttp.ClientSession) -> None:
    await fuzz(http, Target(system.renderer_url, {"internal": DEVELOPMENT_SECRET}))


async def test_notifier(notifier_url: str, http: aiohttp.ClientSession) -> None:
    await fuzz(http, Target(notifier_url))


async def fuzz(http: aiohttp.ClientSession, target: Target) -> None:
    async with http.get(target.url + "/openapi.json") as r:
        description = await expect(r, 200)
    assert description["openapi"] == "3.1.0"
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in description["paths"].items()
        for method, operation in operations.items()
        if operation.get("x-undocumented")
    ]
    assert not undocumented, f"handlers without @documented: {undocumented}"
    # Schemathesis calls synchronously; the services answer from this loop, so it runs aside.
    failures, calls = await asyncio.to_thread(run_schemathesis, description, target)
    print(f"\n{description['info']['title']}: {len(description['paths'])} paths, {calls} requests")
    assert not failures, "\n\n".join(failures)


def run_schemathesis(description: dict[str, Any], target: Target) -> tuple[list[str], int]:
    """Every operation, positive and negative data, and again with real ids: the failures and
    how many requests were made."""
    schema = schemathesis.openapi.from_dict(description)
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        if result.ok().path.startswith(target.prefix):
            operations.append(result.ok())
    operations.sort(key=lambda o: (METHOD_ORDER.get(o.method.lower(), 9), o.path))
    failures: list[str] = []
    calls = 0
    for operation in operations:
        raw = description["paths"][operation.path][operation.method.lower()]
        schemes = [scheme for requirement in raw["security"] for scheme in requirement]
        headers = {"Authorization": f"Bearer {target.tokens[schemes[0]]}"} if schemes else {}
        strategies = {"positive": operation.as_strategy(GenerationMode.POSITIVE)}
        if raw.get("parameters") or raw.get("requestBody"):
            strategies["negative"] = operation.as_strategy(GenerationMode.NEGATIVE)
        names = [p["name"] for p in raw.get("parameters", []) if p["in"] == "path"]
        if names and all(name in target.known for name in names):
            known = {name: target.known[name] for name in names}
            strategies["known ids"] = operation.as_strategy(path_parameters=known)
        for kind, strategy in strategies.items():
            try:
                calls += exercise(strategy, target.url, headers)
            except Unsatisfiable:
                # Where no invalid value survives the trip there is no negative case: a path
                # segment may be any text but an empty one or one with a slash.
                if kind != "negative":
                    raise
            except Exception as error:
                failures.append(f"{operation.label} ({kind} data): {error}")
    return failures, calls


def exercise(strategy: Any, base_url: str, headers: dict[str, str]) -> int:
    """Call the operation with the strategy's examples, checking each answer; how many calls."""
    calls = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=strategy)
    def examples(case: Any) -> None:
        nonlocal calls
        calls += 1
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        case.validate_response(response, checks=CHECKS, headers=headers)

    examples()
    return calls
