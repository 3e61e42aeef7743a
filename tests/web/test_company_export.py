"""Företag → Exportera data: the company's admin downloads everything as one ZIP, and nobody else
can; another company's invoices are never in it."""

from __future__ import annotations

import io
import json
import zipfile

import aiohttp

from tests.invoice.conftest import Supplier, colleague, connected_supplier
from tests.security.hostile_payloads import MINIMAL_PDF
from tests.system import System
from tests.waiting import eventually
from tests.web.test_invoice_pages import log_in


async def rendered(supplier: Supplier, invoice_id: str) -> bytes | None:
    status, pdf = await supplier.call("GET", f"/v1/me/invoices/{invoice_id}/pdf")
    return pdf if status == 200 else None


async def test_an_admin_downloads_the_whole_company_as_one_zip(system: System) -> None:
    async with aiohttp.ClientSession() as api:
        admin = await connected_supplier(system, api)
        other = await connected_supplier(system, api)
        _, foreign = await other.call("POST", "/v1/me/invoices", json=other.form())

        _, sent = await admin.call("POST", "/v1/me/invoices", json=admin.form())
        upload = aiohttp.FormData()
        upload.add_field(
            "file", MINIMAL_PDF, filename="följesedel.pdf", content_type="application/pdf"
        )
        status, _ = await admin.call(
            "POST", f"/v1/me/invoices/{sent['id']}/attachments", data=upload
        )
        assert status == 201
        status, _ = await admin.call("POST", f"/v1/me/invoices/{sent['id']}/send")
        assert status == 200
        _, draft = await admin.call("POST", "/v1/me/invoices", json=admin.form(number=""))
        status, _ = await admin.call(
            "POST", "/v1/me/templates", json={"invoice_id": sent["id"], "name": "Månadsfaktura"}
        )
        assert status == 201
        pdf = await eventually(lambda: rendered(admin, sent["id"]), within=30)
        _, xml = await admin.call("GET", f"/v1/me/invoices/{sent['id']}/xml")

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            token = await log_in(browser, system, admin)
            async with browser.get(system.web_url + "/company/export") as r:
                assert r.status == 200 and "Ladda ner ZIP-fil" in await r.text()
            async with browser.post(
                system.web_url + "/company/export", data={"csrf_token": token}
            ) as r:
                assert r.status == 200, await r.text()
                assert r.content_type == "application/zip"
                assert "attachment;" in r.headers["Content-Disposition"]
                content = await r.read()

    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    folder = f"invoices/{sent['number']}"
    names = set(archive.namelist())
    assert {
        "README.txt",
        "company.json",
        "templates.json",
        "invoices.json",
        f"{folder}/invoice.json",
        f"{folder}/invoice.pdf",
        f"{folder}/invoice.xml",
        f"{folder}/attachments/följesedel.pdf",
        f"invoices/draft-{draft['id']}/invoice.json",
    } == names
    assert archive.read(f"{folder}/invoice.pdf") == pdf
    assert archive.read(f"{folder}/invoice.xml") == xml
    assert archive.read(f"{folder}/attachments/följesedel.pdf") == MINIMAL_PDF

    company = json.loads(archive.read("company.json"))
    assert set(company) == {
        "company",
        "addresses",
        "bank_accounts",
        "connections",
        "members",
        "audit_log",
    }
    assert company["bank_accounts"] and company["addresses"] and company["audit_log"]
    assert [m["email"] for m in company["members"]["members"]] == [admin.email]
    listed = json.loads(archive.read("invoices.json"))
    assert [(i["id"], i["folder"]) for i in listed] == [
        (sent["id"], folder),
        (draft["id"], f"invoices/draft-{draft['id']}"),
    ]
    invoice = json.loads(archive.read(f"{folder}/invoice.json"))
    assert invoice["status"] in ("sent", "delivered") and invoice["form"]["lines"]
    [template] = json.loads(archive.read("templates.json"))
    assert template["name"] == "Månadsfaktura" and template["form"]["lines"]
    readme = archive.read("README.txt").decode()
    assert "bokföringslagen (7 kap. 2 §)" in readme and "med 2 fakturor och utkast" in readme
    assert foreign["id"] not in content.decode("latin-1")


async def test_only_an_admin_may_export(system: System) -> None:
    async with aiohttp.ClientSession() as api:
        admin = await connected_supplier(system, api)
        email, _ = await colleague(system, api, admin)
        user = Supplier(system, api, "", admin.buyer_id, email)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            token = await log_in(browser, system, user)
            async with browser.get(system.web_url + "/company") as r:
                assert 'href="/company/export"' not in await r.text()
            async with browser.get(system.web_url + "/company/export") as r:
                assert r.status == 403
                assert "Bara företagets administratörer" in await r.text()
            async with browser.post(
                system.web_url + "/company/export", data={"csrf_token": token}
            ) as r:
                assert r.status == 403 and r.content_type == "text/html"
            # Without the form's token the download is refused before anything is read.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            await log_in(browser, system, admin)
            async with browser.post(system.web_url + "/company/export", data={}) as r:
                assert r.status == 403 and r.content_type == "text/html"


async def test_the_companys_only_user_is_pointed_to_the_export_before_deleting(
    system: System,
) -> None:
    async with aiohttp.ClientSession() as api:
        admin = await connected_supplier(system, api)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            await log_in(browser, system, admin)
            async with browser.get(system.web_url + "/account") as r:
                page = await r.text()
            assert "Du är företagets enda användare." in page
            assert 'href="/company/export"' in page and 'action="/account/delete"' in page
            await colleague(system, api, admin)
            async with browser.get(system.web_url + "/account") as r:
                page = await r.text()
            # With a colleague, the only admin hands the role over first instead.
            assert "Du är företagets enda användare." not in page
            assert "Du är företagets enda administratör" in page
