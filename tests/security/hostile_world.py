"""A supplier who types markup into every field it can, made through the real services; a
listener that must hear nothing; and ways to read what the system produced."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.harness import serving
from tests.invoice.conftest import PASSWORD, Supplier, connected_supplier
from tests.security.hostile_payloads import markup, short_markup
from tests.system import System
from tests.web.test_pages import csrf_of


@dataclass
class Leak:
    """An HTTP server on 127.0.0.1 that records every request it gets; none should come."""

    url: str
    requests: list[str] = field(default_factory=list)


@asynccontextmanager
async def listening() -> AsyncIterator[Leak]:
    leak = Leak(url="")

    async def record(request: web.Request) -> web.Response:
        leak.requests.append(f"{request.method} {request.path_qs}")
        return web.Response(text="root:x:0:0:leaked")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    async with serving(app) as url:
        leak.url = url
        yield leak


@dataclass
class HostileSupplier:
    """A connected supplier whose every profile text is markup, and the texts it typed."""

    api: Supplier
    browser: aiohttp.ClientSession
    buyer_email: str
    profile: dict[str, str]

    async def page(self, path: str) -> str:
        async with self.browser.get(self.api.system.web_url + path) as r:
            assert r.status == 200, (path, r.status)
            return await r.text()


def hostile_profile() -> dict[str, str]:
    """Every text of the supplier, its user and its buyer, each tagged with its field."""
    return {
        "first_name": markup("fornamn"),
        "last_name": markup("efternamn"),
        "company_name": markup("foretag") + " AB",
        "address_name": markup("adressnamn"),
        "street": markup("gata"),
        "postal_code": short_markup("postnr"),
        "city": markup("ort"),
        "phone": short_markup("telefon"),
        "bank_name": markup("bank"),
        "buyer_name": markup("kund") + f" {uuid.uuid4().hex[:6]}",
        "buyer_street": markup("kundgata"),
        "buyer_postal_code": short_markup("kundpostnr"),
        "buyer_city": markup("kundort"),
        "invited_first_name": markup("inbjuden"),
    }


async def hostile_supplier(system: System, http: aiohttp.ClientSession) -> HostileSupplier:
    """Like `connected_supplier`, with markup wherever a person or an operator types text."""
    profile = hostile_profile()
    email = f"fientlig.{uuid.uuid4().hex[:10]}@example.com"
    buyer_email = f"faktura.{uuid.uuid4().hex[:10]}@example.com"
    # No reference rules: every reference may hold any text.
    supplier = await connected_supplier(
        system,
        http,
        profile,
        email=email,
        buyer_email=buyer_email,
        buyer_rules={"reference_rules": []},
    )
    browser = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with browser.get(system.web_url + "/login") as r:
        token = csrf_of(await r.text())
    login = {"csrf_token": token, "email": email, "password": PASSWORD}
    async with browser.post(system.web_url + "/login", data=login) as r:
        assert r.status == 200 and r.url.path == "/connections", r.url
    return HostileSupplier(supplier, browser, buyer_email, profile)


async def sent_document(supplier: Supplier, invoice_id: str, kind: str = "pdf") -> bytes:
    """The stored PDF or XML of a sent invoice, once the renderer has made it."""
    async with asyncio.timeout(30):
        while True:
            status, body = await supplier.call("GET", f"/v1/me/invoices/{invoice_id}/{kind}")
            if status == 200:
                assert isinstance(body, bytes)
                return body
            await asyncio.sleep(0.1)


def pdf_text(pdf: bytes) -> str:
    """The text in the order it was drawn, so a wrapped cell stays in one piece."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def embedded_files(pdf: bytes, folder: Path) -> str:
    """poppler's list of the files embedded in `pdf`: `0 embedded files` when there are none."""
    path = folder / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout.strip()


def peak_memory_kb() -> dict[int, int]:
    """VmHWM, the peak resident memory, of this process (where every service's event loop
    runs) and of each child (the render workers), by process id."""
    me = os.getpid()
    peaks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(entry.name) == me or int(values.get("PPid", "0").strip()) == me:
            peaks[int(entry.name)] = int(values.get("VmHWM", "0 kB").split()[0])
    return peaks
