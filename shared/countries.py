"""ISO 3166 countries with their Swedish and English names."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from shared.i18n import Language

_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})


@cache
def _swedish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"], fallback=True)


def country_name(code: str, language: Language) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    return _swedish().gettext(str(country.name)) if language == "sv" else name


@cache
def countries(language: Language) -> list[tuple[str, str]]:
    """(code, name) for every country, in the language's alphabetical order."""
    named = [(str(c.alpha_2), country_name(str(c.alpha_2), language)) for c in pycountry.countries]
    return sorted(named, key=lambda item: item[1].lower().translate(_SWEDISH_ORDER))


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None if len(code) == 2 else False
