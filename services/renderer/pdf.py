"""The buyer's invoice as a PDF: a Jinja2 template, one stylesheet, WeasyPrint.

`render_invoice_pdf` is what the worker processes run: it takes and returns plain data so it
pickles across a spawned process. Everything costly to set up (the template environment, the
parsed stylesheet, the font configuration) is built once per process on first use and reused
for every document that process renders.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from services.renderer import formatting
from services.renderer.failures import Unrenderable
from services.renderer.fetcher import ASSETS, AssetsOnly
from services.renderer.labels import CATEGORY_NAMES, LABELS
from shared.countries import country_name
from shared.i18n import Language
from shared.invoices import EXEMPTION_TEXTS, UNITS, Invoice, totals

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = ASSETS / "invoice.css"


@dataclass(frozen=True)
class Toolkit:
    templates: Environment
    fonts: FontConfiguration
    stylesheet: weasyprint.CSS
    fetcher: AssetsOnly


@functools.cache
def toolkit() -> Toolkit:
    """This process's template environment, fonts and parsed stylesheet, built once."""
    fetcher = AssetsOnly()
    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=fonts)
    return Toolkit(templates=_environment(), fonts=fonts, stylesheet=stylesheet, fetcher=fetcher)


def warm_up() -> None:
    """Build the toolkit now, so a fresh worker's first invoice is not the slow one."""
    toolkit()


def render_invoice_pdf(invoice_json: str, language: Language) -> bytes:
    """The worker's entry point: the invoice as JSON in, the PDF out."""
    return invoice_pdf(Invoice.model_validate_json(invoice_json), language)


def invoice_pdf(invoice: Invoice, language: Language, fetcher: AssetsOnly | None = None) -> bytes:
    tools = toolkit()
    document = weasyprint.HTML(
        string=invoice_html(invoice, language),
        base_url=ASSETS.as_uri() + "/",
        url_fetcher=fetcher or tools.fetcher,
    )
    try:
        pdf: bytes = document.write_pdf(stylesheets=[tools.stylesheet], font_config=tools.fonts)
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; ours must be an Exception the caller can handle.
        raise Unrenderable(f"the document asked for a forbidden resource: {error}") from None
    return pdf


def invoice_html(invoice: Invoice, language: Language) -> str:
    template = toolkit().templates.get_template("invoice.html")
    sums = totals(invoice.lines, invoice.charges)
    categories = sorted({row.category for row in sums.breakdown})
    return template.render(
        invoice=invoice,
        totals=sums,
        language=language,
        labels=LABELS[language],
        exemptions=[
            EXEMPTION_TEXTS[category][language]
            for category in categories
            if category in EXEMPTION_TEXTS
        ],
    )


def _environment() -> Environment:
    # autoescape=True for every template: all text on an invoice comes from users.
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        money=_in_language(formatting.money),
        quantity=_in_language(formatting.quantity),
        unit_price=_in_language(formatting.unit_price),
        rate=_in_language(formatting.rate),
        unit_name=_in_language(_unit_name),
        country=_in_language(country_name),
        category=_in_language(_category_name),
        iso_date=formatting.iso_date,
    )
    return environment


def _unit_name(code: str, language: Language) -> str:
    return UNITS.get(code, {}).get(language, code)


def _category_name(code: str, language: Language) -> str:
    names = CATEGORY_NAMES.get(code) or EXEMPTION_TEXTS.get(code)
    return names[language] if names else code


def _in_language(format_value: Callable[[Any, Language], str]) -> Callable[[Context, Any], str]:
    """A filter formatting its value in the language of the document being rendered."""

    @pass_context
    def apply(context: Context, value: Any) -> str:
        return format_value(value, context["language"])

    return apply
