"""The operator's command line, talking to the company service's operator API.

    portal buyer create --name "Infranord AB" --organisation-number 556793-5497 \\
        --email faktura@infranord.se --street "Box 1803" --postal-code "171 21" --city Solna \\
        --terms villkor.pdf --rules infranord
    portal buyer list
    portal buyer invite --buyer "Infranord AB" --email anna@leverantor.se --first-name Anna --last-name Ek
    portal buyer key --buyer "Infranord AB"
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp

from shared.settings import DEVELOPMENT_SECRET


class CommandError(Exception):
    pass


class ServiceApi:
    """A service's operator API: the company service's, or the invoice service's."""

    def __init__(self, http: aiohttp.ClientSession, url: str, secret: str) -> None:
        self.http = http
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "sv"}

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            async with self.http.request(
                method, self.url + path, json=body, headers=self.headers
            ) as r:
                answer = await r.json(content_type=None)
        except (aiohttp.ClientError, ValueError) as error:
            raise CommandError(
                f"the company service at {self.url} did not answer: {error}"
            ) from None
        if r.status >= 400:
            problem = answer.get("error", {}) if isinstance(answer, dict) else {}
            lines = [str(problem.get("message", f"HTTP {r.status}"))]
            for field, items in problem.get("fields", {}).items():
                lines += [f"  {field}: {item['message']}" for item in items]
            raise CommandError("\n".join(lines))
        return answer


def buyer_body(args: argparse.Namespace) -> dict[str, Any]:
    """The create request, with the files read before any network work starts."""
    terms = Path(args.terms)
    if not terms.is_file():
        raise CommandError(f"no such file: {terms}")
    body: dict[str, Any] = {
        "name": args.name,
        "country": args.country,
        "organisation_number": args.organisation_number,
        "vat_number": args.vat_number or "",
        "email": args.email,
        "street": args.street,
        "postal_code": args.postal_code,
        "city": args.city,
        "terms_pdf_base64": base64.b64encode(terms.read_bytes()).decode(),
        "terms_version": args.terms_version or date.today().isoformat(),
    }
    rules = Path(args.rules)
    if rules.suffix == ".json" and rules.is_file():
        body["reference_rules"] = json.loads(rules.read_text(encoding="utf-8"))
    else:
        body["rules_preset"] = args.rules
    return body


async def create_buyer(api: ServiceApi, args: argparse.Namespace) -> None:
    buyer = await api.call("POST", "/v1/buyers", args.body)
    print(f"Created buyer {buyer['name']} ({buyer['organisation_number']})\n  id: {buyer['id']}")


async def list_buyers(api: ServiceApi, args: argparse.Namespace) -> None:
    for buyer in await api.call("GET", "/v1/buyers"):
        print(
            f"{buyer['id']}  {buyer['organisation_number']}  {buyer['name']}  (terms {buyer['terms_version']})"
        )


async def find_buyer(api: ServiceApi, wanted: str) -> dict[str, Any]:
    """The one buyer whose id, organisation number or name is `wanted`."""
    key = wanted.strip().lower()
    buyers = await api.call("GET", "/v1/buyers")
    matches = [
        b for b in buyers if key in (b["id"], b["organisation_number"].lower(), b["name"].lower())
    ]
    if len(matches) != 1:
        raise CommandError(f"no single buyer matches {wanted!r}; see `portal buyer list`")
    found: dict[str, Any] = matches[0]
    return found


async def invite(api: ServiceApi, args: argparse.Namespace) -> None:
    buyer = await find_buyer(api, args.buyer)
    invitation = await api.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/invitations",
        {
            "email": args.email,
            "first_name": args.first_name,
            "last_name": args.last_name,
            "language": args.language,
        },
    )
    print(f"Invited {args.email} to {buyer['name']}; the e-mail is on its way.")
    print(f"Invitation link (valid until {invitation['expires_at'][:10]}):\n  {invitation['link']}")


async def issue_key(api: ServiceApi, args: argparse.Namespace) -> None:
    buyer = await find_buyer(api, args.buyer)
    invoices = ServiceApi(api.http, args.invoice_url, args.operator_secret)
    issued = await invoices.call("POST", f"/v1/operator/buyers/{buyer['id']}/keys")
    print(f"API key for {buyer['name']} (shown once; keep it secret):\n  {issued['key']}")
    print(
        f"List received invoices: GET {args.invoice_url}/v1/buyer/invoices with 'Authorization: Bearer <key>'"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="portal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    main.add_argument(
        "--company-url", default=os.environ.get("PORTAL_COMPANY_URL", "http://127.0.0.1:8082")
    )
    main.add_argument(
        "--operator-secret",
        default=os.environ.get("PORTAL_OPERATOR_SECRET", DEVELOPMENT_SECRET),
        help="the company service's PORTAL_OPERATOR_SECRET (default: the development one)",
    )
    groups = main.add_subparsers(dest="group", required=True)
    buyer = groups.add_parser("buyer", help="buyers and their invitations").add_subparsers(
        dest="command", required=True
    )

    create = buyer.add_parser(
        "create", help="register a buyer with its terms of use and reference rules"
    )
    create.add_argument("--name", required=True)
    create.add_argument("--country", default="SE")
    create.add_argument("--organisation-number", required=True)
    create.add_argument("--vat-number")
    create.add_argument("--email", required=True, help="where the buyer receives invoices")
    create.add_argument("--street", required=True)
    create.add_argument("--postal-code", required=True)
    create.add_argument("--city", required=True)
    create.add_argument("--terms", required=True, help="the terms-of-use PDF")
    create.add_argument("--terms-version", help="default: today's date")
    create.add_argument(
        "--rules", default="infranord", help="a preset name (infranord) or a JSON file of rules"
    )
    create.set_defaults(run=create_buyer)

    listing = buyer.add_parser("list", help="list the buyers")
    listing.set_defaults(run=list_buyers)

    invitation = buyer.add_parser(
        "invite", help="invite a supplier by e-mail; prints the invitation link"
    )
    invitation.add_argument(
        "--buyer", required=True, help="the buyer's id, organisation number or name"
    )
    invitation.add_argument("--email", required=True)
    invitation.add_argument("--first-name", required=True)
    invitation.add_argument("--last-name", required=True)
    invitation.add_argument("--language", choices=["sv", "en"], default="sv")
    invitation.set_defaults(run=invite)

    key = buyer.add_parser(
        "key", help="issue an API key with which the buyer lists and downloads its invoices"
    )
    key.add_argument("--buyer", required=True, help="the buyer's id, organisation number or name")
    key.set_defaults(run=issue_key)
    return main


async def run(args: argparse.Namespace) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        await args.run(ServiceApi(http, args.company_url, args.operator_secret), args)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.run is create_buyer:
            args.body = buyer_body(args)
        asyncio.run(run(args))
    except CommandError as error:
        print(f"portal: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
