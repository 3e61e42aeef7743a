"""The Fakturaportal pages over HTTP, without JavaScript."""

from __future__ import annotations

import re

import aiohttp
from markupsafe import escape

from tests.invoice.conftest import PASSWORD, Supplier, connected_supplier
from tests.system import OPERATOR_SECRET, System
from tests.web.test_pages import csrf_of


async def log_in(browser: aiohttp.ClientSession, system: System, supplier: Supplier) -> str:
    """Log the supplier in; returns the form token its pages take."""
    async with browser.get(system.web_url + "/login") as r:
        token = csrf_of(await r.text())
    await browser.post(
        system.web_url + "/login",
        data={"csrf_token": token, "email": supplier.email, "password": PASSWORD},
    )
    return token


async def test_key_save_and_send_an_invoice_without_javascript(system: System) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/login") as r:
            token = csrf_of(await r.text())
        login = {"csrf_token": token, "email": supplier.email, "password": PASSWORD}
        async with browser.post(system.web_url + "/login", data=login) as r:
            assert r.url.path == "/connections"
        async with browser.get(system.web_url + "/invoices/new") as r:
            page = await r.text()
        assert (
            "Fakturaportal" in page
            and "Lägg till en artikel" in page
            and "Förhandsgranska PDF" in page
        )
        assert 'value="H87" selected>st<' in page
        form = {
            "csrf_token": token,
            "action": "save",
            "buyer_id": supplier.buyer_id,
            "number": "W-1001",
            "issue_date": "2026-11-24",
            "due_date": "2026-12-24",
            "currency": "SEK",
            "buyer_order_number": "AO12345",
            "payment_reference": "1234567897",
            "buyer_reference": "12345",
            "contact_person": "Olle Ström",
            "lines-0-article_id": "SP-1",
            "lines-0-description": "Spårarbete",
            "lines-0-quantity": "2,5",
            "lines-0-unit": "HUR",
            "lines-0-unit_price": "1 000,00",
            "lines-0-vat": "S:25",
            "charges-0-description": "Frakt",
            "charges-0-amount": "100",
            "charges-0-vat": "S:25",
        }
        async with browser.post(system.web_url + "/invoices/new", data=form) as r:
            assert r.url.path.endswith("/save"), r.url
            page = await r.text()
        assert "Spara eller skicka" in page and ">Skicka<" in page
        invoice_path = r.url.path.removesuffix("/save")
        async with browser.get(system.web_url + invoice_path) as r:
            page = await r.text()
        # Reopened: everything as typed, and the server's totals (2 600 net, 650 VAT).
        assert 'value="W-1001"' in page and 'value="2.5"' in page and "3250.00" in page
        async with browser.post(
            system.web_url + invoice_path + "/send", data={"csrf_token": token}
        ) as r:
            page = await r.text()
        assert r.url.path == invoice_path + "/sent"
        assert "Gratulerar, Du har nu skickat din faktura!" in page
        async with browser.get(system.web_url + "/invoices?q=W-1001") as r:
            page = await r.text()
        assert re.search(r"W-1001.*?Skickad", page, re.S)
        # Amounts as Swedish writes them, as on the form and the PDF.
        assert "3\u00a0250,00\u00a0SEK" in page


async def test_wrong_references_are_shown_at_their_fields(system: System) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        token = await log_in(browser, system, supplier)
        form = {
            "csrf_token": token,
            "action": "save",
            "buyer_id": supplier.buyer_id,
            "number": "W-2",
            "issue_date": "2026-11-24",
            "due_date": "2026-12-24",
            "buyer_order_number": "12",
            "payment_reference": "1234567890",
            "buyer_reference": "x",
            "contact_person": "Olle",
            "lines-0-description": "Arbete",
            "lines-0-quantity": "1",
            "lines-0-unit_price": "10",
            "lines-0-vat": "S:25",
        }
        async with browser.post(system.web_url + "/invoices/new", data=form) as r:
            invoice_path = r.url.path.removesuffix("/save")
        async with browser.post(
            system.web_url + invoice_path + "/send", data={"csrf_token": token}
        ) as r:
            page = await r.text()
        assert r.status == 422
        assert "Ange Infranords arbetsordernummer" in page
        assert "Ange ett giltigt OCR-nummer" in page
        assert "Ange Infranords resurs-id" in page
        assert "Ange beställarens för- och efternamn." in page


async def test_the_supplier_sees_its_customers_rejection_and_reason(system: System) -> None:
    reason = 'Fel pris på rad 2 <script>alert("x")</script>\nSe avtalet.'
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
        _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
        _, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        async with api.post(
            f"{system.invoice_url}/v1/operator/buyers/{supplier.buyer_id}/keys",
            headers={"Authorization": f"Bearer {OPERATOR_SECRET}"},
        ) as r:
            key = (await r.json())["key"]
        async with api.post(
            f"{system.invoice_url}/v1/buyer/invoices/{sent['id']}/status",
            headers={"Authorization": f"Bearer {key}"},
            json={"status": "rejected", "reason": reason, "reason_code": "PRI"},
        ) as r:
            assert r.status == 200, await r.text()
    number = sent["form"]["number"]
    shown = escape(reason)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(system.web_url + "/login") as r:
            token = csrf_of(await r.text())
        login = {"csrf_token": token, "email": supplier.email, "password": PASSWORD}
        await browser.post(system.web_url + "/login", data=login)
        async with browser.get(system.web_url + "/invoices", params={"q": number}) as r:
            page = await r.text()
        assert "Kundens status" in page
        # Beside the delivery's own status, whichever it is by now.
        assert re.search(rf"{number}.*?status-\w+.*?buyer-status-rejected\">Avvisad<", page, re.S)
        assert "Fel pris på rad 2 &lt;script&gt;" in page and "<script>alert" not in page
        async with browser.get(f"{system.web_url}/invoices/{sent['id']}") as r:
            page = await r.text()
        assert 'buyer-status-rejected">Avvisad</span>' in page
        assert "<strong>Fel pris</strong>" in page
        assert f'<p class="reason">{shown}</p>' in page
        browser.cookie_jar.update_cookies({"portal_lang": "en"})
        async with browser.get(f"{system.web_url}/invoices/{sent['id']}") as r:
            page = await r.text()
        assert "Customer&#39;s status" in page and ">Rejected</span>" in page
        assert "<strong>Prices incorrect</strong>" in page


async def test_a_lines_errors_are_tied_to_its_fields(system: System) -> None:
    """A screen reader hears a line's error on the field itself: the field is invalid and
    described by the note that holds the message, as the other fields of the form are."""
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        token = await log_in(browser, system, supplier)
        form = {
            "csrf_token": token,
            "action": "save",
            "buyer_id": supplier.buyer_id,
            "lines-0-description": "Arbete",
            "lines-0-quantity": "två",
            "lines-0-unit_price": "10",
            "lines-0-vat": "S:25",
            "charges-0-description": "Frakt",
            "charges-0-amount": "mycket",
            "charges-0-vat": "S:25",
        }
        async with browser.post(system.web_url + "/invoices/new", data=form) as r:
            page = await r.text()
    for field in ("lines-0-quantity", "charges-0-amount"):
        tag = re.search(rf'<input id="{field}"[^>]*>', page)
        assert tag is not None, field
        assert f'aria-invalid="true" aria-describedby="{field}-note"' in tag.group(0)
        note = re.search(rf'<div id="{field}-note">(.*?)</div>', page, re.S)
        assert note is not None and 'class="error"' in note.group(1), field
    untouched = re.search(r'<input id="lines-0-description"[^>]*>', page)
    assert untouched is not None and "aria-invalid" not in untouched.group(0)
