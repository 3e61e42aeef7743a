"""The buyer's own settings, for its users: Leverantörer (its suppliers, invited one by one or a
CSV file at a time, invitations sent again), Villkor (its terms of use, a new version put in
place) and Referensregler (the rules its invoices' references follow, edited and tried). Anyone
of the buyer's may look; the company service lets only its admins change anything."""

from __future__ import annotations

import base64
import re
from typing import Any

from aiohttp import web

from services.web.company_pages import company, invalid_only
from services.web.dates import written_moment
from services.web.pages import (
    COMPANY,
    LANGUAGE,
    MEMBERSHIP,
    SESSION_TOKEN,
    buyer_required,
    checked_id,
    form_of,
    render,
    text,
)
from shared.client import ServiceError, api_path
from shared.reference_rules import CHECKS, REFERENCE_FIELDS

routes = web.RouteTableDef()

ROW_ERROR = re.compile(r"^rows\.(\d+)\.(\w+)$")
RULE_FIELDS = ("field", "pattern", "check", "message_sv", "message_en")
MAX_RULES = 20


def is_admin(request: web.Request) -> bool:
    membership = request.get(MEMBERSHIP)
    return membership is not None and membership["role"] == "admin"


async def _upload(request: web.Request) -> tuple[dict[str, str], bytes | None]:
    """A multipart form's texts and its file's bytes (None when no file was chosen)."""
    posted = await request.post()
    upload = posted.get("file")
    content = upload.file.read() if isinstance(upload, web.FileField) and upload.filename else None
    return {k: v for k, v in posted.items() if isinstance(v, str)}, content


# Leverantörer


async def _suppliers_page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    query = request.query.get("q", "").strip()
    found = await company(request, "GET", "/v1/me/buyer/suppliers", params={"q": query})
    language = request[LANGUAGE]
    for supplier in found:
        supplier["invited"] = written_moment(supplier["invited_at"], language)
        if supplier["expires_at"]:
            supplier["expires"] = written_moment(supplier["expires_at"], language)
    context.setdefault("values", {"language": language})
    return render(
        request,
        "buyer_suppliers.html",
        status=status,
        suppliers=found,
        query=query,
        admin=is_admin(request),
        notice=request.query.get("notice"),
        invited=request.query.get("invited"),
        **context,
    )


@routes.get("/buyer/suppliers")
@buyer_required
async def suppliers(request: web.Request) -> web.StreamResponse:
    return await _suppliers_page(request)


@routes.post("/buyer/suppliers/invite")
@buyer_required
async def invite(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    body = {k: form.get(k, "") for k in ("email", "first_name", "last_name")}
    body["language"] = form["language"] if form.get("language") in ("sv", "en") else "sv"
    try:
        await company(request, "POST", "/v1/me/buyer/invitations", json=body)
    except ServiceError as error:
        invalid_only(error)
        return await _suppliers_page(request, status=422, errors=error.fields, values=form)
    raise web.HTTPSeeOther("/buyer/suppliers?notice=invited")


def row_problems(request: web.Request, fields: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The file's problems as a table: row number, column and message, in the file's order."""
    problems = []
    for name, messages in fields.items():
        matched = ROW_ERROR.match(name)
        if matched is None:
            continue
        column = text(request, f"suppliers.column.{matched[2]}")
        problems += [{"row": int(matched[1]), "column": column, "message": m} for m in messages]
    return sorted(problems, key=lambda p: p["row"])


@routes.post("/buyer/suppliers/import")
@buyer_required
async def import_file(request: web.Request) -> web.StreamResponse:
    _, content = await _upload(request)
    if content is None:
        return await _suppliers_page(
            request, status=422, errors={"file": [text(request, "suppliers.file_missing")]}
        )
    try:
        csv = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return await _suppliers_page(
            request, status=422, errors={"file": [text(request, "suppliers.not_utf8")]}
        )
    try:
        sent = await company(request, "POST", "/v1/me/buyer/invitations/import", json={"csv": csv})
    except ServiceError as error:
        invalid_only(error)
        problems = row_problems(request, error.fields)
        errors = {"file": error.fields.get("csv") or [text(request, "suppliers.file_wrong")]}
        return await _suppliers_page(request, status=422, errors=errors, problems=problems)
    raise web.HTTPSeeOther(f"/buyer/suppliers?invited={int(sent['invited'])}")


@routes.post("/buyer/suppliers/{invitation_id}/resend")
@buyer_required
async def resend(request: web.Request) -> web.StreamResponse:
    invitation_id = checked_id(request.match_info["invitation_id"])
    path = api_path("/v1/me/buyer/invitations/{}/resend", invitation_id)
    await company(request, "POST", path)
    raise web.HTTPSeeOther("/buyer/suppliers?notice=resent")


# Villkor


async def _terms_page(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    terms = await company(request, "GET", "/v1/me/buyer/terms")
    terms["changed"] = written_moment(terms["changed_at"], request[LANGUAGE])
    return render(
        request,
        "buyer_terms.html",
        status=status,
        terms=terms,
        admin=is_admin(request),
        notice=request.query.get("notice"),
        **context,
    )


@routes.get("/buyer/terms")
@buyer_required
async def terms(request: web.Request) -> web.StreamResponse:
    return await _terms_page(request)


@routes.get("/buyer/terms.pdf")
@buyer_required
async def terms_pdf(request: web.Request) -> web.StreamResponse:
    pdf = await request.app[COMPANY].read(
        "GET", "/v1/me/buyer/terms.pdf", language=request[LANGUAGE], token=request[SESSION_TOKEN]
    )
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="terms.pdf"'},
    )


@routes.post("/buyer/terms")
@buyer_required
async def replace_terms(request: web.Request) -> web.StreamResponse:
    form, content = await _upload(request)
    body = {
        "version": form.get("version", ""),
        "pdf_base64": base64.b64encode(content or b"").decode(),
    }
    try:
        await company(request, "PUT", "/v1/me/buyer/terms", json=body)
    except ServiceError as error:
        invalid_only(error)
        errors = error.fields
        if "pdf_base64" in errors:
            errors["file"] = errors.pop("pdf_base64")
        return await _terms_page(request, status=422, errors=errors, values=form)
    raise web.HTTPSeeOther("/buyer/terms?notice=replaced")


# Referensregler


def rules_of_form(form: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of the rules form, in order: `rules-<n>-<field>`, and `rules-<n>-required`
    when ticked."""
    rows: list[dict[str, Any]] = []
    for index in range(MAX_RULES):
        if f"rules-{index}-field" not in form:
            break
        row: dict[str, Any] = {k: form.get(f"rules-{index}-{k}", "") for k in RULE_FIELDS}
        row["required"] = form.get(f"rules-{index}-required") == "yes"
        rows.append(row)
    return rows


async def _rules_page(
    request: web.Request,
    rows: list[dict[str, Any]] | None = None,
    status: int = 200,
    **context: Any,
) -> web.Response:
    saved = await company(request, "GET", "/v1/me/buyer/rules")
    language = request[LANGUAGE]
    return render(
        request,
        "buyer_rules.html",
        status=status,
        rules=saved,
        rows=rows if rows is not None else [{**r, "check": r["check"] or ""} for r in saved],
        fields=[(f, text(request, f"rules.field.{f}")) for f in REFERENCE_FIELDS],
        checks=[("", text(request, "rules.check.none"))]
        + [(c, text(request, f"rules.check.{c}")) for c in CHECKS],
        admin=is_admin(request),
        language=language,
        notice=request.query.get("notice"),
        **context,
    )


@routes.get("/buyer/rules")
@buyer_required
async def rules(request: web.Request) -> web.StreamResponse:
    return await _rules_page(request)


@routes.post("/buyer/rules")
@buyer_required
async def save_rules(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    rows = rules_of_form(form)
    action = form.get("action", "save")
    if action == "add" and len(rows) < MAX_RULES:
        unused = [f for f in REFERENCE_FIELDS if f not in {r["field"] for r in rows}]
        rows.append({"field": (unused or REFERENCE_FIELDS)[0], "required": False})
        return await _rules_page(request, rows)
    if action.startswith("remove:") and action.removeprefix("remove:").isdigit():
        index = int(action.removeprefix("remove:"))
        return await _rules_page(request, rows[:index] + rows[index + 1 :])
    try:
        await company(request, "PUT", "/v1/me/buyer/rules", json={"rules": rows})
    except ServiceError as error:
        invalid_only(error)
        return await _rules_page(request, rows, status=422, errors=error.fields)
    raise web.HTTPSeeOther("/buyer/rules?notice=saved")


@routes.post("/buyer/rules/trial")
@buyer_required
async def try_rules(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    body = {"field": form.get("trial_field", ""), "value": form.get("trial_value", "")}
    values = {"trial_field": body["field"], "trial_value": body["value"]}
    try:
        verdict = await company(request, "POST", "/v1/me/buyer/rules/trial", json=body)
    except ServiceError as error:
        invalid_only(error)
        errors = {f"trial_{k}": v for k, v in error.fields.items()}
        return await _rules_page(request, status=422, errors=errors, trial_values=values)
    return await _rules_page(request, verdict=verdict, trial_values=values)
