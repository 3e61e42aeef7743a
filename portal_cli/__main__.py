"""The operator's command line, talking to the company and invoice services' operator APIs.

    portal buyer create --name "Infranord AB" --organisation-number 556793-5497 \\
        --email faktura@infranord.se --street "Box 1803" --postal-code "171 21" --city Solna \\
        --terms villkor.pdf --rules infranord
    portal buyer list
    portal buyer channels --buyer "Infranord AB" --channels mail,peppol --peppol-id 0007:5567935497
    portal buyer invite --buyer "Infranord AB" --email anna@leverantor.se --first-name Anna --last-name Ek
    portal buyer key --buyer "Infranord AB"
    portal buyer key --revoke lpk_AbCdEfGh
    portal broker migrate-queues --amqp-url amqp://admin:…@rabbitmq/
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import aiohttp

from portal_cli import buyers, queues
from portal_cli.api import CommandError, ServiceApi, Services
from portal_cli.wording import say
from shared.client import ServiceClient
from shared.settings import DEVELOPMENT_SECRET


def channel_options(command: argparse.ArgumentParser, default: str | None) -> None:
    command.add_argument(
        "--channels",
        required=default is None,
        default=default,
        help="comma-separated: mail, peppol (needs --peppol-id) and api (nothing is pushed, the"
        " buyer fetches its invoices through its API)"
        + (f"; default: {default}" if default else ""),
    )
    command.add_argument(
        "--peppol-id", default="", help="0007: and an organisation number, or 0088: and a GLN"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="portal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    main.add_argument(
        "--company-url", default=os.environ.get("PORTAL_COMPANY_URL", "http://127.0.0.1:8082")
    )
    main.add_argument(
        "--invoice-url", default=os.environ.get("PORTAL_INVOICE_URL", "http://127.0.0.1:8083")
    )
    main.add_argument(
        "--operator-secret",
        default=os.environ.get("PORTAL_OPERATOR_SECRET", DEVELOPMENT_SECRET),
        help="the services' PORTAL_OPERATOR_SECRET (default: the development one)",
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
    channel_options(create, default="mail")
    create.set_defaults(run=buyers.create)

    channels = buyer.add_parser(
        "channels", help="how a buyer receives its invoices: e-mail, Peppol or its API alone"
    )
    channels.add_argument(
        "--buyer", required=True, help="the buyer's id, organisation number or name"
    )
    channel_options(channels, default=None)
    channels.set_defaults(run=buyers.set_channels)

    listing = buyer.add_parser("list", help="list the buyers")
    listing.set_defaults(run=buyers.list_all)

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
    invitation.set_defaults(run=buyers.invite)

    users = buyer.add_parser("user", help="the people who use the buyer's pages").add_subparsers(
        required=True, metavar="COMMAND"
    )
    user = users.add_parser(
        "add", help="invite a person by e-mail to the buyer's pages; prints the invitation link"
    )
    user.add_argument("--buyer", required=True, help="the buyer's id, organisation number or name")
    user.add_argument("--email", required=True)
    user.add_argument("--first-name", default="", help="default: taken from the e-mail address")
    user.add_argument("--last-name", default="")
    user.add_argument("--language", choices=["sv", "en"], default="sv")
    user.add_argument(
        "--role",
        choices=["admin", "user"],
        default="admin",
        help="an admin also invites and changes the buyer's other users (default)",
    )
    user.set_defaults(run=buyers.add_user)

    key = buyer.add_parser(
        "key",
        help="issue an API key with which the buyer lists and downloads its invoices,"
        " or revoke one",
    )
    which = key.add_mutually_exclusive_group(required=True)
    which.add_argument("--buyer", help="issue a key for the buyer with this id, number or name")
    which.add_argument(
        "--revoke",
        metavar="KEY",
        help="revoke the key with this id, or beginning so (at least 8 characters)",
    )
    key.set_defaults(run=buyers.key)

    broker = groups.add_parser("broker", help="the message broker").add_subparsers(
        dest="command", required=True
    )
    migration = broker.add_parser(
        "migrate-queues",
        help="make the queues an older version declared classic quorum queues, keeping every"
        " message; run with the services stopped",
    )
    migration.add_argument(
        "--amqp-url",
        default=os.environ.get("PORTAL_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        help="any node of the cluster, as a user that may configure every queue and publish"
        " as any user (default: PORTAL_AMQP_URL, else guest on this machine)",
    )
    migration.add_argument(
        "--queue-prefix", default=os.environ.get("PORTAL_QUEUE_PREFIX", ""), help=argparse.SUPPRESS
    )
    migration.set_defaults(run=queues.migrate)
    return main


async def run(args: argparse.Namespace) -> None:
    timeout = aiohttp.ClientTimeout(total=60)
    secret = args.operator_secret
    async with aiohttp.ClientSession() as http:
        company = ServiceClient(http, args.company_url, secret=secret, timeout=timeout)
        invoice = ServiceClient(http, args.invoice_url, secret=secret, timeout=timeout)
        services = Services(
            company=ServiceApi(company, "company_service"),
            invoice=ServiceApi(invoice, "invoice_service"),
        )
        await args.run(services, args)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        asyncio.run(run(args))
    except CommandError as error:
        print(f"portal: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # an answer of a shape not foreseen, say: a message, no trace
        print(f"portal: {say('unexpected', error=error)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
