"""The buyer's invoice as a PDF: a Jinja2 template, one stylesheet, WeasyPrint.

`render_invoice_pdf` and `archive_copy` are what the worker processes run: they take and return
plain data so it pickles across a spawned process. Everything costly to set up (the template environment, the
parsed stylesheet, the font configuration) is built once per process on first use and reused
for every document that process renders.

Every PDF is PDF/A-3b (ISO 19005-3: fonts embedded, XMP identification, an sRGB output intent),
as a 7-year archive wants. The one the buyer receives, the archive copy, also carries the Peppol
XML as its associated file, so that one file is the whole invoice; a supplier's preview carries
none, for a draft has no final e-invoice.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any
from xml.etree import ElementTree

import cssselect2
import pikepdf
import tinyhtml5
import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from services.renderer.failures import Unrenderable
from services.renderer.fetcher import ASSETS, AssetsOnly
from services.renderer.labels import CATEGORY_NAMES, LABELS
from services.renderer.ubl import pdf_filename
from shared.countries import country_name
from shared.formatting import template_filters
from shared.i18n import Language
from shared.invoices import EXEMPTION_TEXTS, UNITS, Invoice, totals

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = ASSETS / "invoice.css"
PDF_VARIANT = "pdf/a-3b"


# WeasyPrint matches its whole HTML user-agent stylesheet (forms, lists, bidi, ~250 rules) against
# every element of every document. The invoice uses a dozen elements; these are the UA rules that
# apply to them, less the declarations invoice.css overrides on every element they reach (margins
# and sizes of body, headings and pages, cell padding and alignment, table spacing), so the PDF
# comes out the same (pixel for pixel) with less matching and cascading. invoice.css keeps its own
# values: Chromium and plain WeasyPrint in the benchmark read it with their full UA stylesheets.
# The invoice's own stylesheet follows these rules in the same sheet (see `invoice_stylesheet`).
INVOICE_UA_CSS = """
head, meta, title, style, script, link { display: none }
html, body, div, h1, h2, p { display: block }
span { display: inline }
html { color-scheme: light }
table { display: table; text-indent: initial; box-sizing: border-box; border-color: gray }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group }
tbody { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; border-color: gray }
h1, h2 { bookmark-label: content(text); hyphens: manual; break-after: avoid; break-inside: avoid }
h1 { bookmark-level: 1 }
h2 { bookmark-level: 2 }
@page {
  @bottom-left { text-align: left; vertical-align: middle }
  @bottom-right { text-align: right; vertical-align: middle }
}
"""


def invoice_stylesheet(fetcher: AssetsOnly, fonts: FontConfiguration) -> weasyprint.CSS:
    """The user-agent rules above and `invoice.css`, parsed into one sheet.

    WeasyPrint matches every element against each sheet in turn and then cascades every matching
    declaration, so one sheet instead of two saves a matcher pass per element. The order keeps
    the cascade as it was: every UA selector is a bare element name, which the invoice's rules
    match with at least the same specificity and come after.
    """
    return weasyprint.CSS(
        string=INVOICE_UA_CSS + STYLESHEET.read_text(encoding="utf-8"),
        base_url=ASSETS.as_uri() + "/",
        url_fetcher=fetcher,
        font_config=fonts,
    )


# WeasyPrint has no type hints, hence the ignore.
class InvoiceHTML(weasyprint.HTML):  # type: ignore[misc]
    """The invoice's markup as WeasyPrint's document, styled with the invoice's user-agent rules.

    The template writes well-formed XHTML (every element closed, every table with its `tbody`),
    so the C XML parser builds the same tree as WeasyPrint's pure-Python HTML5 parser, about
    fifteen times faster. Text that XML cannot hold (a control character, say) goes to the HTML5
    parser, which takes anything.
    """

    def __init__(self, markup: str, url_fetcher: AssetsOnly, stylesheet: weasyprint.CSS) -> None:
        try:
            # Our template's output: users' text is escaped, so no declaration comes from them.
            root = ElementTree.fromstring(markup)  # noqa: S314
        except ElementTree.ParseError:
            root = tinyhtml5.parse(markup, namespace_html_elements=False)
        # What weasyprint.HTML.__init__ sets once it has its tree.
        self.base_url = ASSETS.as_uri() + "/"
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
        self.stylesheet = stylesheet

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        return [self.stylesheet]


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
    stylesheet = invoice_stylesheet(fetcher, fonts)
    return Toolkit(templates=_environment(), fonts=fonts, stylesheet=stylesheet, fetcher=fetcher)


def warm_up() -> None:
    """Build the toolkit now, so a fresh worker's first invoice is not the slow one."""
    toolkit()


def render_invoice_pdf(invoice_json: str, language: Language) -> bytes:
    """The worker's entry point: the invoice as JSON in, the PDF out."""
    return invoice_pdf(Invoice.model_validate_json(invoice_json), language)


def invoice_pdf(invoice: Invoice, language: Language, fetcher: AssetsOnly | None = None) -> bytes:
    tools = toolkit()
    document = InvoiceHTML(
        invoice_html(invoice, language), fetcher or tools.fetcher, tools.stylesheet
    )
    try:
        pdf: bytes = document.write_pdf(font_config=tools.fonts, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; ours must be an Exception the caller can handle.
        raise Unrenderable(f"the document asked for a forbidden resource: {error}") from None
    return pdf


def archive_copy(pdf: bytes, xml: bytes, filename: str, description: str) -> bytes:
    """The buyer's PDF: `pdf` with the Peppol XML as its PDF/A-3 associated file, the same
    invoice for machines (`/AFRelationship /Alternative`, listed in the catalog's `/AF`).

    Added to the PDF already written rather than by WeasyPrint's `attachments`: the XML embeds
    the PDF (without it), so WeasyPrint would have to write the laid-out invoice twice. qpdf
    (pikepdf) copies the PDF's objects as they are, its XMP identification and output intent
    with them.
    """
    now = _pdf_date(datetime.now(UTC))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        spec = pikepdf.AttachedFileSpec(
            document,
            xml,
            description=description,
            filename=filename,
            mime_type="application/xml",
            creation_date=now,
            mod_date=now,
            relationship=pikepdf.Name.Alternative,
        )
        document.attachments[filename] = spec
        document.Root.AF = pikepdf.Array([spec.obj])
        archive = io.BytesIO()
        document.save(archive)
    return archive.getvalue()


def e_invoice_file(invoice: Invoice, language: Language) -> tuple[str, str]:
    """The embedded XML's name, as the mail names it too (`faktura-2026-17.xml`), and its
    description in the language of the PDF (`Faktura 2026-17, e-faktura enligt …`)."""
    labels = LABELS[language]
    title = labels["credit_note" if invoice.kind == "credit_note" else "invoice"]
    filename = str(PurePath(pdf_filename(invoice)).with_suffix(".xml"))
    return filename, f"{title} {invoice.number}, {labels['e_invoice']}"


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


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
        template_filters(),
        unit_name=_in_language(_unit_name),
        country=_in_language(country_name),
        category=_in_language(_category_name),
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
