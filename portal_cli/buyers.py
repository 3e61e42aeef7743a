"""`portal buyer …`: buyers with their terms and rules, their invitations and their API keys."""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

from portal_cli.api import CommandError, ServiceError, Services
from portal_cli.wording import say
from shared.client import api_path

# A buyer just created reaches the invoice service by an event, within moments.
KEY_ATTEMPTS, KEY_PAUSE = 20, 0.25


def buyer_body(args: argparse.Namespace) -> dict[str, Any]:
    """The create request, from the arguments and the files they name."""
    body: dict[str, Any] = {
        "name": args.name,
        "country": args.country,
        "organisation_number": args.organisation_number,
        "vat_number": args.vat_number or "",
        "email": args.email,
        "street": args.street,
        "postal_code": args.postal_code,
        "city": args.city,
        "terms_pdf_base64": base64.b64encode(_read(Path(args.terms))).decode(),
        "terms_version": args.terms_version or date.today().isoformat(),
        **channels_body(args),
    }
    rules = Path(args.rules)
    if rules.suffix == ".json":
        try:
            body["reference_rules"] = json.loads(_read(rules))
        except ValueError as error:
            raise CommandError(say("unreadable_file", path=rules, error=error)) from None
    else:
        body["rules_preset"] = args.rules
    return body


def channels_body(args: argparse.Namespace) -> dict[str, Any]:
    """`--channels mail,peppol` and `--peppol-id` as the company service takes them."""
    channels = [c.strip() for c in args.channels.split(",") if c.strip()]
    return {"channels": channels, "peppol_id": args.peppol_id}


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise CommandError(say("no_such_file", path=path))
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(say("unreadable_file", path=path, error=error.strerror)) from None


async def create(services: Services, args: argparse.Namespace) -> None:
    body = buyer_body(args)  # before any request: a missing file changes nothing
    buyer = await services.company.call("POST", "/v1/buyers", body)
    print(say("buyer_created", **buyer))


async def set_channels(services: Services, args: argparse.Namespace) -> None:
    buyer = await find(services, args.buyer)
    path = api_path("/v1/buyers/{}/channels", buyer["id"])
    changed = await services.company.call("PUT", path, channels_body(args))
    print(say("buyer_channels", **changed, listed=", ".join(changed["channels"])))


async def list_all(services: Services, args: argparse.Namespace) -> None:
    for buyer in await services.company.call("GET", "/v1/buyers"):
        print(say("buyer_line", **buyer))


async def find(services: Services, wanted: str) -> dict[str, Any]:
    """The one buyer whose id, organisation number or name is `wanted`."""
    key = wanted.strip().lower()
    buyers = await services.company.call("GET", "/v1/buyers")
    matches = [
        b for b in buyers if key in (b["id"], b["organisation_number"].lower(), b["name"].lower())
    ]
    if len(matches) != 1:
        raise CommandError(say("no_single_buyer", wanted=wanted))
    found: dict[str, Any] = matches[0]
    return found


async def invite(services: Services, args: argparse.Namespace) -> None:
    buyer = await find(services, args.buyer)
    invitation = await services.company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/invitations",
        {
            "email": args.email,
            "first_name": args.first_name,
            "last_name": args.last_name,
            "language": args.language,
        },
    )
    print(
        say(
            "invited",
            email=args.email,
            buyer=buyer["name"],
            expires=invitation["expires_at"][:10],
            link=invitation["link"],
        )
    )


async def add_user(services: Services, args: argparse.Namespace) -> None:
    buyer = await find(services, args.buyer)
    first, last = args.first_name, args.last_name
    if not first:
        # "anna.lind@infranord.se" becomes Anna Lind, which the registration lets her correct.
        words = args.email.partition("@")[0].replace("_", ".").split(".")
        first, last = words[0].capitalize(), last or " ".join(w.capitalize() for w in words[1:])
    invited = await services.company.call(
        "POST",
        f"/v1/buyers/{buyer['id']}/users",
        {
            "email": args.email,
            "first_name": first,
            "last_name": last or "-",
            "language": args.language,
            "role": args.role,
        },
    )
    print(
        say(
            "user_invited",
            email=invited["email"],
            buyer=buyer["name"],
            role=args.role,
            expires=invited["expires_at"][:10],
            link=invited["link"],
        )
    )


async def key(services: Services, args: argparse.Namespace) -> None:
    """Issue a key for `--buyer`, or revoke the key `--revoke` names."""
    if args.revoke is not None:
        revoked = await services.invoice.call(
            "DELETE", api_path("/v1/operator/keys/{}", args.revoke)
        )
        print(say("key_revoked", **revoked))
        return
    buyer = await find(services, args.buyer)
    issued = await _issue(services, buyer)
    print(
        say(
            "key_issued",
            buyer=buyer["name"],
            invoice_url=services.invoice.service.base_url,
            **issued,
        )
    )


async def _issue(services: Services, buyer: dict[str, Any]) -> dict[str, str]:
    for _ in range(KEY_ATTEMPTS):
        try:
            issued: dict[str, str] = await services.invoice.call(
                "POST", f"/v1/operator/buyers/{buyer['id']}/keys"
            )
            return issued
        except ServiceError as error:
            if error.status != 404:
                raise
        await asyncio.sleep(KEY_PAUSE)
    raise CommandError(say("buyer_not_yet_known", buyer=buyer["name"]))
