"""Företag → Exportera data in a real browser: the admin finds it in the menu, reads what the ZIP
holds, and downloads it with the sent invoice's PDF and e-invoice inside."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.e2e.journey import log_in, open_page, snapshot
from tests.invoice.conftest import connected_supplier
from tests.system import System
from tests.waiting import eventually

pytestmark = pytest.mark.browser


async def test_an_admin_exports_the_company_from_the_menu(browser: Browser, system: System) -> None:
    async with aiohttp.ClientSession() as api:
        supplier = await connected_supplier(system, api)
        _, draft = await supplier.call("POST", "/v1/me/invoices", json=supplier.form())
        status, sent = await supplier.call("POST", f"/v1/me/invoices/{draft['id']}/send")
        assert status == 200, sent

        async def rendered() -> bool:
            status, _ = await supplier.call("GET", f"/v1/me/invoices/{sent['id']}/xml")
            return status == 200

        await eventually(rendered, within=30)

    page = await open_page(browser, "sv-SE")
    await page.goto(system.web_url + "/login")
    await log_in(page, supplier.email)
    await page.get_by_text("Företag", exact=True).click()
    await page.get_by_role("link", name="Exportera data").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Exportera data")
    await expect(page.locator("main")).to_contain_text("bokföringslagen")
    await snapshot(page, "exportera-data")
    async with page.expect_download() as started:
        await page.get_by_role("button", name="Ladda ner ZIP-fil").click()
    download = await started.value
    assert download.suggested_filename.startswith("export-") and (
        download.suggested_filename.endswith(".zip")
    )
    saved = await download.path()
    archive = zipfile.ZipFile(io.BytesIO(await asyncio.to_thread(saved.read_bytes)))
    folder = f"invoices/{sent['number']}"
    assert {f"{folder}/invoice.pdf", f"{folder}/invoice.xml"} <= set(archive.namelist())
    assert archive.read(f"{folder}/invoice.pdf").startswith(b"%PDF-")
    assert b"<Invoice" in archive.read(f"{folder}/invoice.xml")[:2000]
    listed = json.loads(archive.read("invoices.json"))
    assert [i["number"] for i in listed] == [sent["number"]]
