"""The company service's JSON API. `/v1/me/…` acts for the caller's own company, and nothing else;
`/v1/buyers…` is for operators."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import partial

from aiohttp import web
from pydantic import BaseModel, TypeAdapter

from services.company import audit, bank_accounts, buyers, members, own_buyer, suppliers
from services.company.schemas import (
    AddressForm,
    AuditEntry,
    BankAccountForm,
    Buyer,
    BuyerForm,
    BuyerSupplier,
    BuyerTerms,
    ChannelsForm,
    Company,
    CompanyForm,
    Connection,
    Invitation,
    InvitationForm,
    InvitationImport,
    InvitationsSent,
    MemberForm,
    MemberInvitation,
    Members,
    Membership,
    Reauthentication,
    RoleForm,
    RulesForm,
    RuleTrial,
    RuleVerdict,
    TermsAcceptance,
    TermsForm,
)
from shared.errors import NotFound
from shared.events.company import Address, BankAccount, ReferenceRule
from shared.http import json_response, read_json, require_bearer
from shared.openapi import documented
from shared.service import POOL
from shared.sessions import Principal, SessionVerifier
from shared.settings import CompanySettings

SETTINGS = web.AppKey("settings", CompanySettings)
CLOCK = web.AppKey[Callable[[], datetime]]("clock")
SESSIONS = web.AppKey("sessions", SessionVerifier)

routes = web.RouteTableDef()
BUYER = {"buyer_id": uuid.UUID}
ADDRESS = {"address_id": uuid.UUID}
ACCOUNT = {"account_id": uuid.UUID}
MEMBER = {"user_id": uuid.UUID}


def supplier_deps(request: web.Request) -> suppliers.Deps:
    return suppliers.Deps(pool=request.app[POOL], now=request.app[CLOCK]())


def operator_deps(request: web.Request) -> buyers.Deps:
    require_bearer(request, request.app[SETTINGS].operator_secret, "operator.unauthorized")
    return invitation_deps(request)


def invitation_deps(request: web.Request) -> buyers.Deps:
    settings = request.app[SETTINGS]
    return buyers.Deps(
        pool=request.app[POOL],
        now=request.app[CLOCK](),
        public_url=settings.public_url,
        invitation_days=settings.invitation_days,
    )


async def principal(request: web.Request) -> Principal:
    return await request.app[SESSIONS].principal(request.headers.get("Authorization", ""))


def path_id(request: web.Request, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise NotFound("not_found") from None


def json_list(items: Sequence[BaseModel], status: int = 200) -> web.Response:
    body = TypeAdapter(Sequence[BaseModel]).dump_json(items, serialize_as_any=True)
    return web.Response(body=body, status=status, content_type="application/json")


@routes.get("/v1/me/company")
@documented(response=Company, auth="session")
async def show_company(request: web.Request) -> web.Response:
    return json_response(
        await suppliers.company_of(supplier_deps(request), await principal(request))
    )


@routes.put("/v1/me/company")
@documented(body=CompanyForm, response=Company, auth="session")
async def save_company(request: web.Request) -> web.Response:
    who = await principal(request)
    form = await read_json(request, CompanyForm)
    return json_response(await suppliers.save_company(supplier_deps(request), who, form))


@routes.get("/v1/me/connections")
@documented(response=list[Connection], auth="session")
async def list_connections(request: web.Request) -> web.Response:
    return json_list(await suppliers.connections(supplier_deps(request), await principal(request)))


@routes.get("/v1/me/connections/{buyer_id}")
@documented(response=Connection, auth="session", path=BUYER)
async def show_connection(request: web.Request) -> web.Response:
    who = await principal(request)
    return json_response(
        await suppliers.connection(supplier_deps(request), who, path_id(request, "buyer_id"))
    )


@routes.get("/v1/me/connections/{buyer_id}/terms")
@documented(content_type="application/pdf", auth="session", path=BUYER)
async def download_terms(request: web.Request) -> web.Response:
    who = await principal(request)
    pdf, version = await suppliers.terms_pdf(
        supplier_deps(request), who, path_id(request, "buyer_id")
    )
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="terms-{version}.pdf"'},
    )


@routes.post("/v1/me/connections/{buyer_id}/terms-acceptance")
@documented(body=TermsAcceptance, response=Connection, auth="session", path=BUYER)
async def accept_terms(request: web.Request) -> web.Response:
    who = await principal(request)
    form = await read_json(request, TermsAcceptance)
    connection = await suppliers.accept_terms(
        supplier_deps(request), who, path_id(request, "buyer_id"), form.confirmed
    )
    return json_response(connection)


@routes.post("/v1/me/connections/{buyer_id}/connect")
@documented(response=Connection, auth="session", path=BUYER)
async def connect(request: web.Request) -> web.Response:
    who = await principal(request)
    return json_response(
        await suppliers.connect(supplier_deps(request), who, path_id(request, "buyer_id"))
    )


@routes.get("/v1/me/addresses")
@documented(response=list[Address], auth="session")
async def list_addresses(request: web.Request) -> web.Response:
    return json_list(await suppliers.addresses(supplier_deps(request), await principal(request)))


@routes.post("/v1/me/addresses")
@documented(body=AddressForm, response=Address, status=201, auth="session")
async def add_address(request: web.Request) -> web.Response:
    who = await principal(request)
    form = await read_json(request, AddressForm)
    return json_response(
        await suppliers.save_address(supplier_deps(request), who, form, None), status=201
    )


@routes.put("/v1/me/addresses/{address_id}")
@documented(body=AddressForm, response=Address, auth="session", path=ADDRESS)
async def update_address(request: web.Request) -> web.Response:
    who = await principal(request)
    address_id = path_id(request, "address_id")
    form = await read_json(request, AddressForm)
    return json_response(
        await suppliers.save_address(supplier_deps(request), who, form, address_id)
    )


@routes.delete("/v1/me/addresses/{address_id}")
@documented(status=204, auth="session", path=ADDRESS)
async def delete_address(request: web.Request) -> web.Response:
    who = await principal(request)
    await suppliers.delete_address(supplier_deps(request), who, path_id(request, "address_id"))
    return web.Response(status=204)


def reauthentication(request: web.Request, form: Reauthentication) -> Callable[[], Awaitable[None]]:
    """Asking identity whether the caller typed the password (and code) again, as the caller."""
    authorization = request.headers.get("Authorization", "")
    return partial(request.app[SESSIONS].reauthenticate, authorization, form.password, form.code)


@routes.get("/v1/me/bank-accounts")
@documented(response=list[BankAccount], auth="session")
async def list_bank_accounts(request: web.Request) -> web.Response:
    return json_list(await bank_accounts.listed(supplier_deps(request), await principal(request)))


@routes.post("/v1/me/bank-accounts")
@documented(body=BankAccountForm, response=BankAccount, status=201, auth="session")
async def add_bank_account(request: web.Request) -> web.Response:
    """Add a bank account; `password` (and `code`, with a second factor on) asked again."""
    who = await principal(request)
    form = await read_json(request, BankAccountForm)
    account = await bank_accounts.save(
        supplier_deps(request), who, form, None, reauthentication(request, form)
    )
    return json_response(account, status=201)


@routes.put("/v1/me/bank-accounts/{account_id}")
@documented(body=BankAccountForm, response=BankAccount, auth="session", path=ACCOUNT)
async def update_bank_account(request: web.Request) -> web.Response:
    """Change a bank account; `password` (and `code`, with a second factor on) asked again."""
    who = await principal(request)
    account_id = path_id(request, "account_id")
    form = await read_json(request, BankAccountForm)
    account = await bank_accounts.save(
        supplier_deps(request), who, form, account_id, reauthentication(request, form)
    )
    return json_response(account)


@routes.delete("/v1/me/bank-accounts/{account_id}")
@documented(body=Reauthentication, status=204, auth="session", path=ACCOUNT)
async def delete_bank_account(request: web.Request) -> web.Response:
    """Remove a bank account; `password` (and `code`, with a second factor on) asked again."""
    who = await principal(request)
    account_id = path_id(request, "account_id")
    form = await read_json(request, Reauthentication)
    await bank_accounts.remove(
        supplier_deps(request), who, account_id, reauthentication(request, form)
    )
    return web.Response(status=204)


@routes.get("/v1/me/audit-log")
@documented(response=list[AuditEntry], auth="session")
async def list_audit_log(request: web.Request) -> web.Response:
    """The caller's company's changes to bank accounts and company information, newest first."""
    return json_list(await audit.entries(request.app[POOL], await principal(request)))


@routes.post("/v1/buyers")
@documented(body=BuyerForm, response=Buyer, status=201, auth="operator")
async def create_buyer(request: web.Request) -> web.Response:
    deps = operator_deps(request)
    form = await read_json(request, BuyerForm)
    return json_response(await buyers.create_buyer(deps, form), status=201)


@routes.get("/v1/buyers")
@documented(response=list[Buyer], auth="operator")
async def list_buyers(request: web.Request) -> web.Response:
    return json_list(await buyers.list_buyers(operator_deps(request)))


@routes.put("/v1/buyers/{buyer_id}/channels")
@documented(body=ChannelsForm, response=Buyer, auth="operator", path=BUYER)
async def set_buyer_channels(request: web.Request) -> web.Response:
    """How the buyer receives the invoices sent from now on: `channels` (one or more of `mail`,
    `peppol`, `api`) and `peppol_id` (`0007:` and an organisation number, or `0088:` and a GLN),
    which `peppol` needs."""
    deps = operator_deps(request)
    form = await read_json(request, ChannelsForm)
    return json_response(await buyers.set_channels(deps, path_id(request, "buyer_id"), form))


@routes.post("/v1/buyers/{buyer_id}/invitations")
@documented(body=InvitationForm, response=Invitation, status=201, auth="operator", path=BUYER)
async def invite_supplier(request: web.Request) -> web.Response:
    deps = operator_deps(request)
    form = await read_json(request, InvitationForm)
    return json_response(await buyers.invite(deps, path_id(request, "buyer_id"), form), status=201)


@routes.post("/v1/buyers/{buyer_id}/users")
@documented(body=MemberForm, response=MemberInvitation, status=201, auth="operator", path=BUYER)
async def invite_buyer_user(request: web.Request) -> web.Response:
    """Invite a person to act for the buyer on its pages, as `admin` (who may invite more) or
    `user`."""
    deps = operator_deps(request)
    form = await read_json(request, MemberForm)
    invited = await members.invite(deps, path_id(request, "buyer_id"), form)
    return json_response(invited, status=201)


@routes.get("/v1/me/membership")
@documented(response=Membership, auth="session")
async def show_membership(request: web.Request) -> web.Response:
    """The company the caller acts for (a supplier or a buyer) and the caller's role in it."""
    return json_response(await members.membership(request.app[POOL], await principal(request)))


@routes.get("/v1/me/members")
@documented(response=Members, auth="session")
async def list_members(request: web.Request) -> web.Response:
    """The caller's company's users and the invitations still open."""
    found = await members.listed(invitation_deps(request), await principal(request))
    return json_response(found)


@routes.post("/v1/me/members")
@documented(body=MemberForm, response=MemberInvitation, status=201, auth="session")
async def invite_member(request: web.Request) -> web.Response:
    """An admin invites a colleague by e-mail, as `admin` or `user`."""
    who = await principal(request)
    form = await read_json(request, MemberForm)
    invited = await members.invite_colleague(invitation_deps(request), who, form)
    return json_response(invited, status=201)


@routes.put("/v1/me/members/{user_id}")
@documented(body=RoleForm, status=204, auth="session", path=MEMBER)
async def change_member_role(request: web.Request) -> web.Response:
    """An admin changes a colleague's role; the company always keeps an admin (409)."""
    who = await principal(request)
    form = await read_json(request, RoleForm)
    await members.change_role(invitation_deps(request), who, path_id(request, "user_id"), form.role)
    return web.Response(status=204)


@routes.delete("/v1/me/members/{user_id}")
@documented(status=204, auth="session", path=MEMBER)
async def remove_member(request: web.Request) -> web.Response:
    """An admin ends a colleague's membership (or the admin's own, if another admin remains)."""
    who = await principal(request)
    await members.change_role(invitation_deps(request), who, path_id(request, "user_id"), None)
    return web.Response(status=204)


INVITATION = {"invitation_id": uuid.UUID}


@routes.get("/v1/me/buyer/suppliers")
@documented(response=list[BuyerSupplier], auth="session")
async def list_buyer_suppliers(request: web.Request) -> web.Response:
    """The buyer's suppliers and invitations, newest first; `q` searches names and addresses."""
    found = await own_buyer.suppliers(
        invitation_deps(request), await principal(request), request.query.get("q", "")
    )
    return json_list(found)


@routes.post("/v1/me/buyer/invitations")
@documented(body=InvitationForm, response=Invitation, status=201, auth="session")
async def invite_own_supplier(request: web.Request) -> web.Response:
    """A buyer's admin invites a supplier by e-mail."""
    who = await principal(request)
    form = await read_json(request, InvitationForm)
    invited = await own_buyer.invite_supplier(invitation_deps(request), who, form)
    return json_response(invited, status=201)


@routes.post("/v1/me/buyer/invitations/import")
@documented(body=InvitationImport, response=InvitationsSent, status=201, auth="session")
async def import_own_suppliers(request: web.Request) -> web.Response:
    """A buyer's admin invites every supplier of a CSV file (e-mail, first name, last name,
    language), or nobody when any row is wrong: the errors are at `rows.<row>.<column>`."""
    who = await principal(request)
    form = await read_json(request, InvitationImport)
    sent = await own_buyer.import_suppliers(invitation_deps(request), who, form.csv)
    return json_response(sent, status=201)


@routes.post("/v1/me/buyer/invitations/{invitation_id}/resend")
@documented(response=Invitation, auth="session", path=INVITATION)
async def resend_own_invitation(request: web.Request) -> web.Response:
    """Mail the invitation again with a new link; the one mailed before stops working."""
    who = await principal(request)
    invitation_id = path_id(request, "invitation_id")
    return json_response(await own_buyer.resend(invitation_deps(request), who, invitation_id))


@routes.get("/v1/me/buyer/terms")
@documented(response=BuyerTerms, auth="session")
async def show_own_terms(request: web.Request) -> web.Response:
    return json_response(await own_buyer.terms(invitation_deps(request), await principal(request)))


@routes.get("/v1/me/buyer/terms.pdf")
@documented(content_type="application/pdf", auth="session")
async def download_own_terms(request: web.Request) -> web.Response:
    pdf, version = await own_buyer.terms_document(
        invitation_deps(request), await principal(request)
    )
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="terms-{version}.pdf"'},
    )


@routes.put("/v1/me/buyer/terms")
@documented(body=TermsForm, response=BuyerTerms, auth="session")
async def replace_own_terms(request: web.Request) -> web.Response:
    """A buyer's admin puts a new version of its terms in place (a PDF, base64); its suppliers
    accept it before they send again."""
    who = await principal(request)
    form = await read_json(request, TermsForm)
    replaced = await own_buyer.replace_terms(
        invitation_deps(request), who, form.version, form.pdf_base64
    )
    return json_response(replaced)


@routes.get("/v1/me/buyer/rules")
@documented(response=list[ReferenceRule], auth="session")
async def list_own_rules(request: web.Request) -> web.Response:
    return json_list(await own_buyer.rules(invitation_deps(request), await principal(request)))


@routes.put("/v1/me/buyer/rules")
@documented(body=RulesForm, response=list[ReferenceRule], auth="session")
async def save_own_rules(request: web.Request) -> web.Response:
    """A buyer's admin replaces its reference rules; errors are at `rules.<index>.<field>`."""
    who = await principal(request)
    form = await read_json(request, RulesForm)
    return json_list(await own_buyer.save_rules(invitation_deps(request), who, form))


@routes.post("/v1/me/buyer/rules/trial")
@documented(body=RuleTrial, response=RuleVerdict, auth="session")
async def try_own_rules(request: web.Request) -> web.Response:
    """Whether the buyer's rules accept `value` in `field`, as an invoice's would be checked."""
    who = await principal(request)
    form = await read_json(request, RuleTrial)
    return json_response(await own_buyer.try_value(invitation_deps(request), who, form))
