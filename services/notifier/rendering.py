"""E-mails rendered from Jinja2 templates: a subject, a plain-text body and an HTML body.

`templates/{language}/{kind}.txt` defines the blocks `subject` and `body`; the matching `.html`
defines `body` inside the shared layout. Only `.html` is autoescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from services.notifier.wording import format_date, format_datetime, format_duration
from shared.formatting import template_filters
from shared.i18n import Language

TEMPLATES = Path(__file__).parent / "templates"

V = TypeVar("V")

Kind = Literal[
    "email_confirmation",
    "existing_account",
    "password_reset",
    "password_changed",
    "account_deleted",
    "supplier_invitation",
    "member_invitation",
    "invoice_to_buyer",
    "invoice_confirmation",
    "invoice_rejected",
    "invoice_paid",
    "bank_account_changed",
]


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class Renderer:
    def __init__(self, *, public_url: str, support_email: str) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Amounts as the web pages and the invoice PDF write them; `date` is the day in Sweden.
        self.environment.filters.update(
            template_filters(),
            date=_in_language(format_date),
            datetime=_in_language(format_datetime),
            duration=_in_language(format_duration),
        )
        self.environment.globals.update(
            public_url=public_url.rstrip("/"), support_email=support_email
        )

    def render(self, kind: Kind, language: Language, **values: Any) -> RenderedMail:
        context = {"language": language, **values}
        text = self.environment.get_template(f"{language}/{kind}.txt")
        subject_parts = text.blocks["subject"](text.new_context(context))
        # One line: a header cannot hold a line break, and a name could smuggle one in.
        subject = " ".join("".join(subject_parts).split())
        html = self.environment.get_template(f"{language}/{kind}.html")
        return RenderedMail(
            subject=subject,
            text=text.render(context),
            html=html.render(context, subject=subject),
        )


def _in_language(
    format_value: Callable[[V, Language], str],
) -> Callable[[Context, V, Language | None], str]:
    """A filter formatting its value in the language of the template being rendered, or in the
    one it is given (`due_date|date("en")`, for an English line in a Swedish mail)."""

    @pass_context
    def apply(context: Context, value: V, language: Language | None = None) -> str:
        return format_value(value, language or context["language"])

    return apply
