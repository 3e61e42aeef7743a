"""Milliseconds per invoice PDF: our renderer, plain WeasyPrint and headless Chromium (baseline).

All three get the same document: the renderer's HTML with its stylesheet, which (b) and (c) read
from a `<style>` element since they know nothing of the renderer's separate stylesheet. The
variants take turns within each repetition, so a noisy neighbour slows all of them alike.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import weasyprint
from playwright.async_api import async_playwright

from bench.stats import Row, against, summarise
from services.renderer import pdf
from services.renderer.fetcher import ASSETS
from tests.renderer.factories import invoice, many_lines

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASES = {"1 page (10 lines)": 10, "3 pages (80 lines)": 80}
TARGETS = {"1 page (10 lines)": 2.0, "3 pages (80 lines)": 4.0}


def standalone_html(html: str) -> str:
    """The renderer's HTML with its stylesheet inlined, for renderers that only get the HTML."""
    css = (ASSETS / "invoice.css").read_text()
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def pdf_text(document: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(document)
        file.flush()
        return subprocess.run(  # noqa: S603 (a fixed program on our own temporary file)
            ["pdftotext", "-layout", file.name, "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def page_count(document: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(document)
        file.flush()
        info = subprocess.run(  # noqa: S603
            ["pdfinfo", file.name],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


async def run(quick: bool) -> list[Row]:
    repetitions = 3 if quick else 15
    rows: list[Row] = []
    pdf.warm_up()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        page = await browser.new_page()
        try:
            for case, lines in CASES.items():
                item = invoice(lines=many_lines(lines))
                as_json = item.model_dump_json()
                html = standalone_html(pdf.invoice_html(item, "sv"))

                def ours(as_json: str = as_json) -> bytes:
                    return pdf.render_invoice_pdf(as_json, "sv")

                def plain(html: str = html) -> bytes:
                    document: bytes = weasyprint.HTML(string=html).write_pdf()
                    return document

                async def chromium(html: str = html) -> bytes:
                    await page.set_content(html)
                    return await page.pdf(format="A4", print_background=True)

                # Warm: the first document of each pays for imports, fonts and the browser tab.
                ours_pdf, plain_pdf, chrome_pdf = ours(), plain(), await chromium()
                same_text = pdf_text(ours_pdf) == pdf_text(plain_pdf)
                times: dict[str, list[float]] = {"renderer": [], "weasyprint": [], "chromium": []}
                for _ in range(repetitions):
                    start = time.perf_counter()
                    ours()
                    times["renderer"].append(time.perf_counter() - start)
                    start = time.perf_counter()
                    plain()
                    times["weasyprint"].append(time.perf_counter() - start)
                    start = time.perf_counter()
                    await chromium()
                    times["chromium"].append(time.perf_counter() - start)
                ms = {name: [t * 1000 for t in values] for name, values in times.items()}
                base = summarise("pdf", case, "chromium", "ms/PDF", ms["chromium"])
                base.note = f"{page_count(chrome_pdf)} pages"
                mine = summarise("pdf", case, "renderer", "ms/PDF", ms["renderer"])
                mine.note = f"{page_count(ours_pdf)} pages; text same as (b): {same_text}"
                default = summarise("pdf", case, "weasyprint", "ms/PDF", ms["weasyprint"])
                default.note = f"{page_count(plain_pdf)} pages"
                rows += [
                    against(mine, base, limit=TARGETS[case]),
                    against(default, base),
                    against(base, base),
                ]
                if not same_text:
                    mine.met = False
        finally:
            await browser.close()
    return rows


def write_samples(folder: Path) -> None:
    """The PDFs of the three variants, for looking at them side by side."""
    folder.mkdir(parents=True, exist_ok=True)
    item = invoice(lines=many_lines(80))
    (folder / "renderer.pdf").write_bytes(pdf.render_invoice_pdf(item.model_dump_json(), "sv"))
    html = standalone_html(pdf.invoice_html(item, "sv"))
    (folder / "weasyprint.pdf").write_bytes(weasyprint.HTML(string=html).write_pdf())
