"""A stand-in for phase4's standalone Peppol access point, for tests and development.

It implements the contract the notifier uses (`services.notifier.peppol`):
`POST /sendas4/{sender}/{receiver}/{docType}/{process}/{countryC1}` with `X-Token`, answering with
a JSON sending report as phase4 does (`overallSuccess`, `sendingResult`, the ids). It checks what
it is given: the token (403 otherwise, as phase4), a body that is UBL 2.1 valid against the
schemas the tests use, the path's ids against the document (receiver = the buyer's EndpointID,
sender = the seller's, the document type = its root element, the billing process) and answers 400
with the problems otherwise. It keeps every document it accepted (`GET /received` lists them),
and may be told to fail the next N requests with a 500 or by dropping the connection.

    python -m devtools.peppol_access_point --port 8090 --token development-secret-do-not-use-in-production
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

from aiohttp import web

from devtools.peppol.schema import schema_errors

SCHEME = "iso6523-actorid-upis::"
PROCESS = "cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "Invoice-2::Invoice##",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": (
        "CreditNote-2::CreditNote##"
    ),
}


@dataclass(frozen=True)
class Received:
    sender: str
    receiver: str
    document_type: str
    process: str
    country: str
    xml: bytes

    @cached_property
    def invoice_number(self) -> str:
        # Accepted only after lxml, resolving no entities, found it valid UBL.
        return ET.fromstring(self.xml).findtext(f"{CBC}ID") or ""  # noqa: S314


@dataclass
class AccessPoint:
    token: str
    received: list[Received] = field(default_factory=list)
    failures: list[Literal["500", "drop"]] = field(default_factory=list)
    refusals: int = 0
    requests: int = 0

    def fail_next(self, count: int, how: Literal["500", "drop"] = "500") -> None:
        self.failures.extend([how] * count)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_post("/sendas4/{sender}/{receiver}/{doctype}/{process}/{country}", self.send)
        app.router.add_get("/received", self.listing)
        return app

    async def listing(self, request: web.Request) -> web.Response:
        """What it accepted, oldest first: where a developer looks, and its health check."""
        return web.json_response(
            [
                {
                    "invoice_number": r.invoice_number,
                    "sender": r.sender,
                    "receiver": r.receiver,
                    "document_type": r.document_type,
                    "bytes": len(r.xml),
                }
                for r in self.received
            ]
        )

    async def send(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        body = await request.read()
        if self.failures:
            how = self.failures.pop(0)
            if how == "drop":
                assert request.transport is not None
                request.transport.close()
                raise asyncio.CancelledError
            return web.json_response(
                {"overallSuccess": False, "error": "stand-in fault"}, status=500
            )
        if request.headers.get("X-Token") != self.token:
            return web.Response(status=403)
        ids = request.match_info
        problems = check(ids["sender"], ids["receiver"], ids["doctype"], ids["process"], body)
        if problems:
            self.refusals += 1
            return web.json_response({"overallSuccess": False, "problems": problems}, status=400)
        self.received.append(
            Received(
                ids["sender"], ids["receiver"], ids["doctype"], ids["process"], ids["country"], body
            )
        )
        return web.json_response(
            {
                "currentDateTimeUTC": datetime.now(UTC).isoformat(),
                "senderId": ids["sender"],
                "receiverId": ids["receiver"],
                "docTypeId": ids["doctype"],
                "processId": ids["process"],
                "countryC1": ids["country"],
                "sbdhInstanceIdentifier": str(uuid.uuid4()),
                "as4MessageId": f"{uuid.uuid4()}@stand-in",
                "sendingResult": "SUCCESS",
                "sendingSuccess": True,
                "overallSuccess": True,
            }
        )


def check(sender: str, receiver: str, doctype: str, process: str, body: bytes) -> list[str]:
    """What is wrong with one request, by the contract and the document."""
    try:
        errors = [f"schema: {line}: {message}" for line, message in schema_errors(body)]
    except SyntaxError as error:  # lxml's XMLSyntaxError
        return [f"not XML: {error}"]
    if errors:
        return errors
    root = ET.fromstring(body)  # noqa: S314 -- lxml, resolving no entities, found it valid
    kind = ROOTS.get(root.tag)
    if kind is None or f":{kind}" not in doctype or not doctype.startswith("busdox-docid-qns::"):
        errors.append(f"docType {doctype} is not the document's root {root.tag}")
    if process != PROCESS:
        errors.append(f"process {process} is not Peppol billing")
    for role, given in (("Supplier", sender), ("Customer", receiver)):
        endpoint = root.find(f"{CAC}Accounting{role}Party/{CAC}Party/{CBC}EndpointID")
        named = None if endpoint is None else f"{SCHEME}{endpoint.get('schemeID')}:{endpoint.text}"
        if named != given:
            errors.append(f"{role} EndpointID {named} is not the path's {given}")
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    point = AccessPoint(args.token)
    print(json.dumps({"peppol_access_point": f"http://{args.host}:{args.port}"}), flush=True)
    web.run_app(point.app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
