"""Identifiers a Swedish supplier types: organisation number, VAT number, bankgiro, plusgiro,
IBAN, BIC and OCR reference.

Each validator takes what the user typed and returns either the normalised value (the form we
store and show) or an `Invalid` with a reason code; `MESSAGES` holds the Swedish and English
text for every code, with `{name}` placeholders filled from `Invalid.params`
(see `shared.i18n.translate`).

The Swedish rules are our own and strict about where separators may go; python-stdnum is used
for Luhn, mod-97, the IBAN registry, BIC country codes and foreign VAT numbers. We only ever
give stdnum clean ASCII, because its own cleaning maps Unicode look-alikes (full-width digits,
long s) to ASCII and would accept input we reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeAlias

from stdnum import bic as stdnum_bic
from stdnum import ean, luhn, numdb
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.gb import vat as gb_vat
from stdnum.no import mva as no_mva

from shared.i18n import Catalog


@dataclass(frozen=True)
class Invalid:
    code: str
    params: dict[str, object] = field(default_factory=dict)


Result: TypeAlias = str | Invalid

REQUIRED = "required"

# Word processors and PDFs turn "-" into these; a supplier pasting "556677–8899" meant a hyphen.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_ASCII_DIGITS = re.compile(r"[0-9]+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]+")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_digits(text: str) -> bool:
    # str.isdigit() is also true for "²" and Arabic-Indic digits, which int() happily reads.
    return _ASCII_DIGITS.fullmatch(text) is not None


def _upper(text: str) -> str:
    # str.upper() changes lengths and letters outside ASCII ("ß" -> "SS", "ſ" -> "S").
    return text.translate(_ASCII_UPPER)


def _compact(value: str) -> str:
    """`value` without whitespace anywhere, every dash look-alike read as "-"."""
    return "".join(char for char in value.translate(_DASHES) if not char.isspace())


def _digits_and_dash(compact: str) -> tuple[str, int | None] | None:
    """The digits of `compact` and how many of them follow its dash (None if it has none);
    None unless `compact` is digits with at most one dash between them.

    Callers check the number of digits before the dash's place, so that a missing digit is
    reported as a wrong length rather than a misplaced dash.
    """
    if _is_digits(compact):
        return compact, None
    head, dash, tail = compact.partition("-")
    if dash and _is_digits(head) and _is_digits(tail):
        return head + tail, len(tail)
    return None


def luhn_valid(digits: str) -> bool:
    """True when `digits` is a non-empty string of ASCII digits whose Luhn sum is 0 mod 10."""
    return _is_digits(digits) and luhn.is_valid(digits)


# --- Organisationsnummer ---------------------------------------------------------------------

# Some systems write the number with the century prefix 16 that Skatteverket uses for legal
# persons; the 10 digits after it are the number itself.
_ORGNR_CENTURY = "16"


def _orgnr_digits(value: str) -> str | Invalid:
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    parsed = _digits_and_dash(_compact(text))
    if parsed is None:
        return Invalid("orgnr.characters")
    digits, after_dash = parsed
    if len(digits) == 12 and digits.startswith(_ORGNR_CENTURY):
        digits = digits[2:]
    if len(digits) != 10:
        return Invalid("orgnr.length", {"length": len(digits)})
    if after_dash not in (None, 4):
        return Invalid("orgnr.characters")
    if not luhn.is_valid(digits):
        return Invalid("orgnr.checksum")
    return digits


def organisation_number(value: str) -> Result:
    """`556677-8899`, `5566778899` or `16556677-8899` -> `556677-8899`."""
    digits = _orgnr_digits(value)
    if isinstance(digits, Invalid):
        return digits
    return f"{digits[:6]}-{digits[6:]}"


# --- Momsregistreringsnummer -----------------------------------------------------------------

# ISO 3166 country -> VAT prefix. Greece is GR in ISO 3166 but EL in VIES, and only EL is a
# valid prefix, so both country spellings expect EL.
# fmt: off
_EU_COUNTRIES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)
# fmt: on
_EU_VAT_PREFIXES = {country: country for country in _EU_COUNTRIES} | {"GR": "EL", "EL": "EL"}
# The member states by ISO 3166 code, Greece as GR.
EU_COUNTRIES = frozenset(_EU_COUNTRIES) | {"GR"}


def _validate_no(number: str) -> str:
    return "NO" + no_mva.validate(number)


def _validate_gb(number: str) -> str:
    return "GB" + gb_vat.validate(number)


# Outside the EU only countries whose VAT number begins with their country code; stdnum has
# more VAT modules (CH, IS, ...) but their numbers are shaped differently.
_NON_EU_VALIDATORS = {"NO": _validate_no, "GB": _validate_gb}

# Separators foreign VAT numbers are printed with ("BE 0697.449.992"); the Swedish one only
# allows a dash.
_FOREIGN_VAT_SEPARATORS = str.maketrans("", "", "-.")


def vat_number(value: str, country: str = "SE", organisation_number: str | None = None) -> Result:
    """A VAT number from `country` (ISO 3166, upper or lower case) -> compact, upper case, with
    its country prefix: `se 556677-8899 01` -> `SE556677889901`.

    When `country` is SE and `organisation_number` is a valid organisation number, the VAT
    number must be the one derived from it; an invalid `organisation_number` is not checked
    against here, its own field reports it.
    """
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    country = _upper(country.strip())
    prefix = _EU_VAT_PREFIXES.get(country) or (country if country in _NON_EU_VALIDATORS else None)
    if prefix is None:
        return Invalid("vat.unsupported_country", {"country": country})
    compact = _upper(_compact(text))
    if not compact.startswith(prefix):
        return Invalid("vat.country", {"expected": prefix})
    if prefix == "SE":
        return _swedish_vat_number(compact[2:], organisation_number)
    compact = compact.translate(_FOREIGN_VAT_SEPARATORS)
    if _ASCII_ALNUM.fullmatch(compact) is None:
        return Invalid("vat.format", {"country": country})
    try:
        if prefix in _NON_EU_VALIDATORS:
            return _NON_EU_VALIDATORS[prefix](compact)
        return eu_vat.validate(compact)
    except InvalidChecksum:
        return Invalid("vat.checksum")
    except ValidationError:
        return Invalid("vat.format", {"country": country})


# One dash anywhere between the digits: people write both 556677-8899 01 and 5566778899-01.
_SE_VAT_DIGITS = re.compile(r"[0-9]+(?:-[0-9]+)?")


def _swedish_vat_number(rest: str, organisation_number: str | None) -> Result:
    digits = rest.replace("-", "")
    # Skatteverket's form: the ten digits of the organisation number, then 01.
    if _SE_VAT_DIGITS.fullmatch(rest) is None or len(digits) != 12 or not digits.endswith("01"):
        return Invalid("vat.format", {"country": "SE"})
    if not luhn.is_valid(digits[:10]):
        return Invalid("vat.checksum")
    if organisation_number is not None:
        expected = _orgnr_digits(organisation_number)
        if isinstance(expected, str) and expected != digits[:10]:
            return Invalid(
                "vat.mismatch",
                {"organisation_number": f"{expected[:6]}-{expected[6:]}"},
            )
    return "SE" + digits


# --- Bankgiro and Plusgiro -------------------------------------------------------------------


def bankgiro(value: str) -> Result:
    """7 or 8 digits, Luhn over all of them -> `NNN-NNNN` or `NNNN-NNNN`."""
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    parsed = _digits_and_dash(_compact(text))
    if parsed is None:
        return Invalid("bankgiro.characters")
    digits, after_dash = parsed
    if len(digits) not in (7, 8):
        return Invalid("bankgiro.length", {"length": len(digits)})
    if after_dash not in (None, 4):
        return Invalid("bankgiro.characters")
    if not luhn.is_valid(digits):
        return Invalid("bankgiro.checksum")
    return f"{digits[:-4]}-{digits[-4:]}"


def plusgiro(value: str) -> Result:
    """2 to 8 digits, Luhn over all of them -> the digits with a dash before the last one."""
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    parsed = _digits_and_dash(_compact(text))
    if parsed is None:
        return Invalid("plusgiro.characters")
    digits, after_dash = parsed
    if not 2 <= len(digits) <= 8:
        return Invalid("plusgiro.length", {"length": len(digits)})
    if after_dash not in (None, 1):
        return Invalid("plusgiro.characters")
    if not luhn.is_valid(digits):
        return Invalid("plusgiro.checksum")
    return f"{digits[:-1]}-{digits[-1]}"


# --- IBAN and BIC ----------------------------------------------------------------------------

_IBAN_REGISTRY = numdb.get("iban")
_BBAN_FIELD = re.compile(r"([0-9]+)!")
_IBAN_COUNTRY = re.compile(r"[A-Z]{2}")
_IBAN_CHECK_DIGITS = re.compile(r"[0-9]{2}")


def _iban_length(country: str) -> int | None:
    """The length of an IBAN from `country` in the SWIFT registry, None if it has no IBAN."""
    structure = _IBAN_REGISTRY.info(country)[0][1].get("bban")
    if structure is None:
        return None
    return 4 + sum(int(width) for width in _BBAN_FIELD.findall(structure))


def iban(value: str) -> Result:
    """ISO 13616, printed with spaces or not, any case -> compact upper case."""
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    compact = _compact(text)
    if _ASCII_ALNUM.fullmatch(compact) is None:
        return Invalid("iban.format")
    compact = _upper(compact)
    country = compact[:2]
    if _IBAN_COUNTRY.fullmatch(country) is None:
        return Invalid("iban.format")
    expected_length = _iban_length(country)
    if expected_length is None:
        return Invalid("iban.country", {"country": country})
    if len(compact) != expected_length:
        return Invalid(
            "iban.length",
            {"country": country, "expected": expected_length, "length": len(compact)},
        )
    check_digits = compact[2:4]
    if _IBAN_CHECK_DIGITS.fullmatch(check_digits) is None:
        return Invalid("iban.format")
    # 98 - (n mod 97) is always 02..98, but 00, 01 and 99 pass the mod-97 test whenever
    # 97, 98 and 02 would; stdnum accepts them.
    if check_digits in ("00", "01", "99"):
        return Invalid("iban.checksum")
    try:
        return stdnum_iban.validate(compact)
    except InvalidChecksum:
        return Invalid("iban.checksum")
    except ValidationError:
        # The country is known, so this is the account part not matching its national
        # structure (e.g. letters in a Swedish account number).
        return Invalid("iban.format")


_BIC = re.compile(r"[A-Z]{4}(?P<country>[A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?")


def bic(value: str) -> Result:
    """ISO 9362: bank, country, location and optional branch -> upper case, 8 or 11 characters."""
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    compact = _compact(text)
    if _ASCII_ALNUM.fullmatch(compact) is None:
        return Invalid("bic.format")
    compact = _upper(compact)
    match = _BIC.fullmatch(compact)
    if match is None:
        return Invalid("bic.format")
    # stdnum's list is ISO 3166-1 alpha-2 plus XK, which SWIFT uses for Kosovo.
    if not stdnum_bic.is_valid(compact):
        return Invalid("bic.country", {"country": match["country"]})
    return compact


# --- OCR -------------------------------------------------------------------------------------


def ocr(value: str) -> Result:
    """A payment reference of 2 to 25 digits whose last digit is a Luhn check digit -> digits.

    Some payees also require a length digit before the check digit; whether they do is part
    of their agreement with Bankgirot, which we do not know, and such a reference passes Luhn
    anyway, so Luhn over all digits is the rule here.
    """
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    digits = "".join(char for char in text if not char.isspace())
    if not _is_digits(digits):
        return Invalid("ocr.characters")
    if not 2 <= len(digits) <= 25:
        return Invalid("ocr.length", {"length": len(digits)})
    if not luhn.is_valid(digits):
        return Invalid("ocr.checksum")
    return digits


# --- Peppol participant identifier ----------------------------------------------------------

# The ISO 6523 schemes a buyer may be reached under in Peppol: a Swedish organisation number
# (0007) or a GS1 Global Location Number (0088).
PEPPOL_SCHEMES = ("0007", "0088")


def peppol_participant_id(value: str) -> Result:
    """`0007:` and an organisation number, or `0088:` and a GLN -> `0007:5566778899`,
    `0088:7300010000001` (the scheme and the bare digits, as Peppol's directory lists them)."""
    text = value.strip()
    if not text:
        return Invalid(REQUIRED)
    scheme, colon, identifier = _compact(text).partition(":")
    if not colon or scheme not in PEPPOL_SCHEMES:
        return Invalid("peppol.scheme")
    if scheme == "0007":
        digits = _orgnr_digits(identifier)
        return digits if isinstance(digits, Invalid) else f"0007:{digits}"
    if not _is_digits(identifier):
        return Invalid("gln.characters")
    if len(identifier) != 13:
        return Invalid("gln.length", {"length": len(identifier)})
    # A GLN is checked as a GTIN-13 is: the GS1 check digit over the twelve before it.
    if not ean.is_valid(identifier):
        return Invalid("gln.checksum")
    return f"0088:{identifier}"


# --- Messages --------------------------------------------------------------------------------

_CHECK_AGAIN_SV = "Kontrollera att du skrivit rätt."
_CHECK_AGAIN_EN = "Please check that you typed it correctly."

MESSAGES: Catalog = {
    REQUIRED: {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "orgnr.characters": {
        "sv": "Organisationsnumret får bara innehålla siffror, med ett bindestreck före de fyra "
        "sista om du vill, t.ex. 556677-8899.",
        "en": "The organisation number may only contain digits, optionally with a hyphen "
        "before the last four, e.g. 556677-8899.",
    },
    "orgnr.length": {
        "sv": "Organisationsnumret ska ha 10 siffror, t.ex. 556677-8899.",
        "en": "The organisation number must have 10 digits, e.g. 556677-8899.",
    },
    "orgnr.checksum": {
        "sv": f"Organisationsnumret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The organisation number is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
    "vat.country": {
        "sv": "Momsregistreringsnumret ska börja med landskoden {expected}.",
        "en": "The VAT number must start with the country code {expected}.",
    },
    "vat.format": {
        "sv": "Momsregistreringsnumret har fel format. Ett svenskt momsregistreringsnummer är "
        "SE följt av organisationsnumrets 10 siffror och 01, t.ex. SE556677889901.",
        "en": "The VAT number has the wrong format. A Swedish VAT number is SE followed by the "
        "10 digits of the organisation number and 01, e.g. SE556677889901.",
    },
    "vat.checksum": {
        "sv": f"Momsregistreringsnumret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The VAT number is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
    "vat.mismatch": {
        "sv": "Momsregistreringsnumret hör inte till organisationsnumret "
        "{organisation_number}. Det ska vara SE, samma 10 siffror och 01.",
        "en": "The VAT number does not belong to the organisation number "
        "{organisation_number}. It should be SE, the same 10 digits and 01.",
    },
    "vat.unsupported_country": {
        "sv": "Vi kan inte kontrollera momsregistreringsnummer från landet {country}.",
        "en": "We cannot check VAT numbers from the country {country}.",
    },
    "bankgiro.characters": {
        "sv": "Bankgironumret får bara innehålla siffror, med ett bindestreck före de fyra sista "
        "om du vill, t.ex. 5050-1055.",
        "en": "The bankgiro number may only contain digits, optionally with a hyphen before "
        "the last four, e.g. 5050-1055.",
    },
    "bankgiro.length": {
        "sv": "Bankgironumret ska ha 7 eller 8 siffror, t.ex. 5050-1055.",
        "en": "The bankgiro number must have 7 or 8 digits, e.g. 5050-1055.",
    },
    "bankgiro.checksum": {
        "sv": f"Bankgironumret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The bankgiro number is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
    "plusgiro.characters": {
        "sv": "Plusgironumret får bara innehålla siffror, med ett bindestreck före den sista om "
        "du vill, t.ex. 41234-6.",
        "en": "The plusgiro number may only contain digits, optionally with a hyphen before "
        "the last one, e.g. 41234-6.",
    },
    "plusgiro.length": {
        "sv": "Plusgironumret ska ha mellan 2 och 8 siffror, t.ex. 41234-6.",
        "en": "The plusgiro number must have between 2 and 8 digits, e.g. 41234-6.",
    },
    "plusgiro.checksum": {
        "sv": f"Plusgironumret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The plusgiro number is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
    "iban.format": {
        "sv": "IBAN-numret har fel format. Det består av landskod, två kontrollsiffror och "
        "kontonumret, bara bokstäver och siffror, t.ex. SE45 5000 0000 0583 9825 7466.",
        "en": "The IBAN has the wrong format. It is a country code, two check digits and the "
        "account number, letters and digits only, e.g. SE45 5000 0000 0583 9825 7466.",
    },
    "iban.length": {
        "sv": "Ett IBAN-nummer från {country} ska ha {expected} tecken, men det här har {length}.",
        "en": "An IBAN from {country} must have {expected} characters, but this one has {length}.",
    },
    "iban.checksum": {
        "sv": f"IBAN-numret stämmer inte – kontrollsiffrorna är fel. {_CHECK_AGAIN_SV}",
        "en": f"The IBAN is not valid – the check digits are wrong. {_CHECK_AGAIN_EN}",
    },
    "iban.country": {
        "sv": "IBAN-numret börjar med {country}, som inte är en landskod som används för IBAN.",
        "en": "The IBAN starts with {country}, which is not a country code used for IBANs.",
    },
    "bic.format": {
        "sv": "BIC-koden ska ha 8 eller 11 tecken: 4 bokstäver för banken, 2 för landet, 2 "
        "bokstäver eller siffror för orten och ibland 3 till för kontoret, t.ex. ESSESESS.",
        "en": "The BIC must have 8 or 11 characters: 4 letters for the bank, 2 for the country, "
        "2 letters or digits for the location and sometimes 3 more for the branch, "
        "e.g. ESSESESS.",
    },
    "bic.country": {
        "sv": "BIC-koden innehåller landskoden {country}, som inte finns. Tecken 5 och 6 ska "
        "vara bankens land, t.ex. SE.",
        "en": "The BIC contains the country code {country}, which does not exist. Characters 5 "
        "and 6 must be the bank's country, e.g. SE.",
    },
    "peppol.scheme": {
        "sv": "Peppol-id ska börja med 0007: följt av ett organisationsnummer, eller 0088: "
        "följt av ett GLN, t.ex. 0007:5566778899.",
        "en": "The Peppol id must start with 0007: followed by an organisation number, or "
        "0088: followed by a GLN, e.g. 0007:5566778899.",
    },
    "gln.characters": {
        "sv": "Ett GLN får bara innehålla siffror, t.ex. 0088:7300010000001.",
        "en": "A GLN may only contain digits, e.g. 0088:7300010000001.",
    },
    "gln.length": {
        "sv": "Ett GLN ska ha 13 siffror, men det här har {length}.",
        "en": "A GLN must have 13 digits, but this one has {length}.",
    },
    "gln.checksum": {
        "sv": f"GLN-numret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The GLN is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
    "ocr.characters": {
        "sv": "OCR-numret får bara innehålla siffror.",
        "en": "The OCR reference may only contain digits.",
    },
    "ocr.length": {
        "sv": "OCR-numret ska ha mellan 2 och 25 siffror.",
        "en": "The OCR reference must have between 2 and 25 digits.",
    },
    "ocr.checksum": {
        "sv": f"OCR-numret stämmer inte – kontrollsiffran är fel. {_CHECK_AGAIN_SV}",
        "en": f"The OCR reference is not valid – the check digit is wrong. {_CHECK_AGAIN_EN}",
    },
}
