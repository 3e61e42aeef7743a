"""Languages and message catalogues: Swedish first, English too."""

from __future__ import annotations

from typing import Literal

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")
DEFAULT_LANGUAGE: Language = "sv"

# The months' names, January first, as a date is written out in each language.
MONTHS: dict[Language, tuple[str, ...]] = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# code -> language -> text; `{name}` placeholders are filled from the error's context.
Catalog = dict[str, dict[Language, str]]

COMMON: Catalog = {
    "missing": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "string_too_short": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "string_too_long": {
        "sv": "Högst {max_length} tecken.",
        "en": "At most {max_length} characters.",
    },
    "value_error": {"sv": "Ogiltigt värde.", "en": "Invalid value."},
    "text_control_characters": {
        "sv": "Texten innehåller osynliga styrtecken. Skriv om den eller klistra in den som "
        "vanlig text.",
        "en": "The text contains invisible control characters. Retype it or paste it as plain "
        "text.",
    },
    "text_line_break": {
        "sv": "Fältet ska vara en enda rad, utan radbrytningar.",
        "en": "This field is one line, without line breaks.",
    },
    "string_type": {"sv": "Ange en text.", "en": "Enter text."},
    "int_parsing": {"sv": "Ange ett heltal.", "en": "Enter a whole number."},
    "decimal_parsing": {"sv": "Ange ett tal.", "en": "Enter a number."},
    "date_from_datetime_parsing": {
        "sv": "Ange ett datum (ÅÅÅÅ-MM-DD).",
        "en": "Enter a date (YYYY-MM-DD).",
    },
    "date_parsing": {"sv": "Ange ett datum (ÅÅÅÅ-MM-DD).", "en": "Enter a date (YYYY-MM-DD)."},
    "bool_parsing": {"sv": "Ange ja eller nej.", "en": "Enter yes or no."},
    "literal_error": {"sv": "Välj ett av alternativen.", "en": "Choose one of the options."},
    "extra_forbidden": {"sv": "Okänt fält.", "en": "Unknown field."},
    "json_invalid": {"sv": "Ogiltig JSON.", "en": "Invalid JSON."},
    "model_type": {"sv": "Ett JSON-objekt krävs.", "en": "A JSON object is required."},
    "uuid_parsing": {"sv": "Ogiltigt id.", "en": "Invalid id."},
    "email": {"sv": "Ange en giltig e-postadress.", "en": "Enter a valid e-mail address."},
    "body_too_large": {"sv": "Förfrågan är för stor.", "en": "The request is too large."},
    "not_found": {"sv": "Hittades inte.", "en": "Not found."},
    "unauthorized": {"sv": "Du behöver logga in.", "en": "You need to log in."},
    "forbidden": {"sv": "Åtkomst nekad.", "en": "Access denied."},
    "method_not_allowed": {"sv": "Metoden stöds inte.", "en": "Method not allowed."},
    "unavailable": {
        "sv": "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
        "en": "The service is temporarily unavailable. Please try again shortly.",
    },
    "internal": {
        "sv": "Något gick fel hos oss. Försök igen om en stund.",
        "en": "Something went wrong on our side. Please try again shortly.",
    },
}


def negotiate(accept_language: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The first of our languages the header prefers (by q-value), else `default`."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower().split("-")[0]))
    for negative_quality, _, language in sorted(ranked):
        if negative_quality < 0 and language in LANGUAGES:
            return language
    return default


def translate(catalog: Catalog, code: str, language: Language, **params: object) -> str:
    entry = catalog.get(code) or COMMON.get(code) or COMMON["value_error"]
    text = entry[language]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
