"""Swedish supplier identifiers: tables of real examples, and properties over generated ones.

Every example said to be valid is checked again here with a Luhn and a mod-97 written out
independently of stdnum (`test_valid_examples_really_are_valid`), so a table cannot quietly
hold a number that only our own code believes in.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.identifiers import (
    MESSAGES,
    Invalid,
    Result,
    bankgiro,
    bic,
    iban,
    luhn_valid,
    ocr,
    organisation_number,
    peppol_participant_id,
    plusgiro,
    vat_number,
)

# No example database: it would be written into the working tree, and every property here is
# cheap enough to explore afresh. The first call of a country's VAT module imports it, so no
# deadline either.
properties = settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body` + digit pass Luhn: from the right, every second digit of
    the full number (the first of `body`'s) is doubled, with 9 subtracted above 9."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str(-total % 10)


def passes_luhn(number: str) -> bool:
    return len(number) >= 1 and luhn_check_digit(number[:-1]) == number[-1]


def passes_mod97(compact_iban: str) -> bool:
    rearranged = compact_iban[4:] + compact_iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    remainder = int("".join(str(int(char, 36)) for char in rearranged)) % 97
    return f"{98 - remainder:02d}"


def digits_of(text: str) -> str:
    return "".join(char for char in text if char in "0123456789")


# --- Tables ------------------------------------------------------------------------------------

ORGNR_VALID = [
    ("556677-8899", "556677-8899"),
    ("5566778899", "556677-8899"),
    ("  556677-8899\t", "556677-8899"),
    ("5566 77-8899", "556677-8899"),
    ("556677\u20138899", "556677-8899"),  # en dash, as Word writes it
    ("16556677-8899", "556677-8899"),
    ("165566778899", "556677-8899"),
    ("556036-0793", "556036-0793"),
    ("556012-5790", "556012-5790"),
    ("1655 6012-5790", "556012-5790"),
]

ORGNR_INVALID = [
    ("", "required"),
    (" \t ", "required"),
    ("556677-889", "orgnr.length"),
    ("55667788990", "orgnr.length"),
    ("19556677-8899", "orgnr.length"),  # 12 digits but not the 16 century form
    ("1655667788990", "orgnr.length"),
    ("5566-778899", "orgnr.characters"),  # the dash belongs before the last four
    ("165566-778899", "orgnr.characters"),
    ("556677--8899", "orgnr.characters"),
    ("556677/8899", "orgnr.characters"),
    ("556677-8899a", "orgnr.characters"),
    ("-", "orgnr.characters"),
    ("\u0665\u0665\u0666\u0666\u0667\u0667\u0668\u0668\u0669\u0669", "orgnr.characters"),
    ("\uff15\uff15\uff16\uff16\uff17\uff17\uff18\uff18\uff19\uff19", "orgnr.characters"),
    ("556677-8898", "orgnr.checksum"),
    ("16556677-8898", "orgnr.checksum"),
    ("556036-0794", "orgnr.checksum"),
]

# (value, country, organisation_number, normalised)
VAT_VALID = [
    ("SE556677889901", "SE", None, "SE556677889901"),
    ("se 556677-8899 01", "SE", None, "SE556677889901"),
    ("SE5566778899-01", "se", None, "SE556677889901"),
    (" SE 5560 3607 9301 ", "SE", None, "SE556036079301"),
    ("SE556677889901", "SE", "556677-8899", "SE556677889901"),
    ("SE556677889901", "SE", "16556677-8899", "SE556677889901"),
    # an invalid organisation number is its own field's error, not a mismatch
    ("SE556677889901", "SE", "556677-8898", "SE556677889901"),
    ("SE556677889901", "SE", "", "SE556677889901"),
    ("DE136695976", "DE", None, "DE136695976"),
    ("de 136 695 976", "de", None, "DE136695976"),
    ("AT U13585627", "AT", None, "ATU13585627"),
    ("ATU57194903", "AT", None, "ATU57194903"),
    ("BE 0697.449.992", "BE", None, "BE0697449992"),
    ("BE697449992", "BE", None, "BE0697449992"),  # stdnum adds the leading 0
    ("BG 175 074 752", "BG", None, "BG175074752"),
    ("CY-10259033P", "CY", None, "CY10259033P"),
    ("CZ 25123891", "CZ", None, "CZ25123891"),
    ("DK 13585628", "DK", None, "DK13585628"),
    ("EE 100 931 558", "EE", None, "EE100931558"),
    ("ES B-58378431", "ES", None, "ESB58378431"),
    ("FI 20774740", "FI", None, "FI20774740"),
    ("Fr 40 303 265 045", "FR", None, "FR40303265045"),
    ("FR61954506077", "FR", None, "FR61954506077"),
    ("EL 094259216", "GR", None, "EL094259216"),
    ("EL094259216", "EL", None, "EL094259216"),
    ("HR 33392005961", "HR", None, "HR33392005961"),
    ("HU-12892312", "HU", None, "HU12892312"),
    ("IE 6433435F", "IE", None, "IE6433435F"),
    ("IT 00743110157", "IT", None, "IT00743110157"),
    ("LT 119511515", "LT", None, "LT119511515"),
    ("LU 150 274 42", "LU", None, "LU15027442"),
    ("LV 4000 3521 600", "LV", None, "LV40003521600"),
    ("MT 1167-9112", "MT", None, "MT11679112"),
    ("NL 004495445B01", "NL", None, "NL004495445B01"),
    ("PL 8567346215", "PL", None, "PL8567346215"),
    ("PT 501 964 843", "PT", None, "PT501964843"),
    ("RO 185 472 90", "RO", None, "RO18547290"),
    ("SI 5022 3054", "SI", None, "SI50223054"),
    ("SK 202 274 96 19", "SK", None, "SK2022749619"),
    ("NO 995 525 828 MVA", "NO", None, "NO995525828MVA"),
    ("GB 980 7806 84", "GB", None, "GB980780684"),
]

# (value, country, organisation_number, code)
VAT_INVALID = [
    ("", "SE", None, "required"),
    ("   ", "DE", None, "required"),
    ("556677889901", "SE", None, "vat.country"),  # the prefix is part of the number
    ("556677-8899", "SE", None, "vat.country"),  # the organisation number in the VAT field
    ("DE136695976", "SE", None, "vat.country"),
    ("SE556677889901", "DE", None, "vat.country"),
    ("GR094259216", "GR", None, "vat.country"),  # Greece is EL
    ("XI980780684", "GB", None, "vat.country"),
    ("SE", "SE", None, "vat.format"),
    ("SE5566778899", "SE", None, "vat.format"),
    ("SE556677889902", "SE", None, "vat.format"),  # must end in 01
    ("SE55667788990101", "SE", None, "vat.format"),
    ("SE-556677889901", "SE", None, "vat.format"),
    ("SE556677889901-", "SE", None, "vat.format"),
    ("SE5566-7788-9901", "SE", None, "vat.format"),
    ("SE556677.889901", "SE", None, "vat.format"),
    ("SE55667788990l", "SE", None, "vat.format"),
    ("SE556677889801", "SE", None, "vat.checksum"),
    ("SE556677889901", "SE", "556036-0793", "vat.mismatch"),
    ("DE13669597", "DE", None, "vat.format"),
    ("DE 136,695 976", "DE", None, "vat.format"),
    ("DE136695977", "DE", None, "vat.checksum"),
    ("ATU13585628", "AT", None, "vat.checksum"),
    ("FR41303265045", "FR", None, "vat.checksum"),
    ("EL094259217", "GR", None, "vat.checksum"),
    ("PL8567346216", "PL", None, "vat.checksum"),
    ("NO995525828", "NO", None, "vat.format"),  # MVA is part of the number
    ("NO995525829MVA", "NO", None, "vat.checksum"),
    ("US123456789", "US", None, "vat.unsupported_country"),
    ("CHE-123.456.788 MWST", "CH", None, "vat.unsupported_country"),
    ("SE556677889901", "", None, "vat.unsupported_country"),
]

BANKGIRO_VALID = [
    ("5050-1055", "5050-1055"),
    ("50501055", "5050-1055"),
    ("5050 1055", "5050-1055"),
    (" 5050\u20131055 ", "5050-1055"),
    ("123-4566", "123-4566"),
    ("1234566", "123-4566"),
]

BANKGIRO_INVALID = [
    ("", "required"),
    ("bg 5050-1055", "bankgiro.characters"),
    ("5050.1055", "bankgiro.characters"),
    ("505-01055", "bankgiro.characters"),
    ("5050-105", "bankgiro.characters"),  # 7 digits, dash in the wrong place
    ("5050--1055", "bankgiro.characters"),
    ("12-3456", "bankgiro.length"),
    ("123456789", "bankgiro.length"),
    ("5050-1056", "bankgiro.checksum"),
    ("123-4567", "bankgiro.checksum"),
]

PLUSGIRO_VALID = [
    ("41234-6", "41234-6"),
    ("4 12 34-6", "41234-6"),
    ("412346", "41234-6"),
    ("1-8", "1-8"),
    ("18", "1-8"),
    ("1234567-4", "1234567-4"),
    ("12 34 56 74", "1234567-4"),
]

PLUSGIRO_INVALID = [
    ("", "required"),
    ("PG 41234-6", "plusgiro.characters"),
    ("4123-46", "plusgiro.characters"),
    ("41234-6-", "plusgiro.characters"),
    ("41234/6", "plusgiro.characters"),
    ("1", "plusgiro.length"),
    ("12345678-9", "plusgiro.length"),
    ("41234-5", "plusgiro.checksum"),
    ("1234567-5", "plusgiro.checksum"),
]

# A Swedish IBAN whose correct check digits are 98: 01 passes mod 97 just as well, but ISO
# 13616 check digits are always 02..98.
IBAN_CHECK_98 = "SE9850000000000000000055"
IBAN_CHECK_01 = "SE0150000000000000000055"
# Correct mod-97 check digits, but letters in the Swedish account part.
IBAN_LETTERS_IN_BBAN = (
    "SE" + iban_check_digits("SE", "500000000583982574AA") + "500000000583982574AA"
)

IBAN_VALID = [
    ("SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466"),
    ("se4550000000058398257466", "SE4550000000058398257466"),
    ("\u00a0SE45\u00a05000\u00a00000\u00a00583\u00a09825\u00a07466 ", "SE4550000000058398257466"),
    (IBAN_CHECK_98, IBAN_CHECK_98),
    ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
]

IBAN_INVALID = [
    ("", "required"),
    ("SE45-5000-0000-0583-9825-7466", "iban.format"),
    ("SE45 5000 0000 0583 9825 746!", "iban.format"),
    ("4550000000058398257466", "iban.format"),
    ("SEAB50000000058398257466", "iban.format"),
    (IBAN_LETTERS_IN_BBAN, "iban.format"),
    ("SE45\u00df000000058398257466", "iban.format"),
    ("SE455000000005839825746", "iban.length"),
    ("SE45500000000583982574660", "iban.length"),
    ("SE", "iban.length"),
    ("XX4550000000058398257466", "iban.country"),
    ("US4550000000058398257466", "iban.country"),
    ("SE4550000000058398257467", "iban.checksum"),
    ("SE5450000000058398257466", "iban.checksum"),
    (IBAN_CHECK_01, "iban.checksum"),
    ("GB82WEST12345698765433", "iban.checksum"),
]

BIC_VALID = [
    ("ESSESESS", "ESSESESS"),
    ("NDEASESS", "NDEASESS"),
    ("HANDSESS", "HANDSESS"),
    ("SWEDSESS", "SWEDSESS"),
    ("ndeasess", "NDEASESS"),
    ("ESSE SE SS", "ESSESESS"),
    ("HANDSESSXXX", "HANDSESSXXX"),
    ("DEUTDEFF500", "DEUTDEFF500"),
]

BIC_INVALID = [
    ("", "required"),
    ("ESSESES", "bic.format"),
    ("ESSESESS1", "bic.format"),
    ("ESSESESSXXXX", "bic.format"),
    ("ESS1SESS", "bic.format"),  # the bank part is letters only
    ("ESSE1ESS", "bic.format"),  # so is the country
    ("ESSE-SE-SS", "bic.format"),
    ("ESSE\u00dfESS", "bic.format"),  # "ß".upper() is "SS": must not turn into a BIC
    ("ESSEXXSS", "bic.country"),
    ("ESSEZZSS", "bic.country"),
]

OCR_WITH_LENGTH_DIGIT = "1234568" + luhn_check_digit("1234568")  # 8 digits, 8 before the check

OCR_VALID = [
    ("12345682", "12345682"),
    ("1234 5682", "12345682"),
    ("18", "18"),
    (OCR_WITH_LENGTH_DIGIT, OCR_WITH_LENGTH_DIGIT),
    ("1234567890123456789012340", "1234567890123456789012340"),
]

OCR_INVALID = [
    ("", "required"),
    ("1234-5682", "ocr.characters"),
    ("ABC123", "ocr.characters"),
    ("1", "ocr.length"),
    ("12345678901234567890123452", "ocr.length"),
    ("12345683", "ocr.checksum"),
]

# 7300010000001 and 7350053850019 carry the GS1 check digit of their first twelve digits.
PEPPOL_VALID = [
    ("0007:5560360793", "0007:5560360793"),
    ("0007:556036-0793", "0007:5560360793"),
    (" 0007: 165560360793 ", "0007:5560360793"),
    ("0088:7300010000001", "0088:7300010000001"),
    ("0088:7350053850019", "0088:7350053850019"),
]
PEPPOL_INVALID = [
    ("", "required"),
    ("5560360793", "peppol.scheme"),
    ("0192:5560360793", "peppol.scheme"),
    ("iso6523-actorid-upis::0007:5560360793", "peppol.scheme"),
    ("0007:5560360794", "orgnr.checksum"),
    ("0007:55603607", "orgnr.length"),
    ("0007:556036/0793", "orgnr.characters"),
    ("0088:730001000000", "gln.length"),
    ("0088:7300010000002", "gln.checksum"),
    ("0088:73000100000O1", "gln.characters"),
    ("0088:\uff17300010000001", "gln.characters"),
]

ValidTable = list[tuple[str, str]]
InvalidTable = list[tuple[str, str]]
SIMPLE: list[tuple[Callable[[str], Result], ValidTable, InvalidTable]] = [
    (organisation_number, ORGNR_VALID, ORGNR_INVALID),
    (bankgiro, BANKGIRO_VALID, BANKGIRO_INVALID),
    (plusgiro, PLUSGIRO_VALID, PLUSGIRO_INVALID),
    (iban, IBAN_VALID, IBAN_INVALID),
    (bic, BIC_VALID, BIC_INVALID),
    (ocr, OCR_VALID, OCR_INVALID),
    (peppol_participant_id, PEPPOL_VALID, PEPPOL_INVALID),
]
SIMPLE_VALID = [
    pytest.param(validate, value, normalised, id=f"{validate.__name__}-{value!r}")
    for validate, valid, _ in SIMPLE
    for value, normalised in valid
]
SIMPLE_INVALID = [
    pytest.param(validate, value, code, id=f"{validate.__name__}-{value!r}")
    for validate, _, invalid in SIMPLE
    for value, code in invalid
]


@pytest.mark.parametrize(("validate", "value", "normalised"), SIMPLE_VALID)
def test_valid_input_is_normalised(
    validate: Callable[[str], Result], value: str, normalised: str
) -> None:
    assert validate(value) == normalised
    assert validate(normalised) == normalised


@pytest.mark.parametrize(("validate", "value", "code"), SIMPLE_INVALID)
def test_invalid_input_gives_its_reason(
    validate: Callable[[str], Result], value: str, code: str
) -> None:
    result = validate(value)
    assert isinstance(result, Invalid)
    assert result.code == code


@pytest.mark.parametrize(("value", "country", "orgnr", "normalised"), VAT_VALID)
def test_valid_vat_number_is_normalised(
    value: str, country: str, orgnr: str | None, normalised: str
) -> None:
    assert vat_number(value, country, orgnr) == normalised
    assert vat_number(normalised, country, orgnr) == normalised


@pytest.mark.parametrize(("value", "country", "orgnr", "code"), VAT_INVALID)
def test_invalid_vat_number_gives_its_reason(
    value: str, country: str, orgnr: str | None, code: str
) -> None:
    result = vat_number(value, country, orgnr)
    assert isinstance(result, Invalid)
    assert result.code == code


def test_vat_number_defaults_to_sweden() -> None:
    assert vat_number("SE556677889901") == "SE556677889901"
    assert vat_number("DE136695976") == Invalid("vat.country", {"expected": "SE"})


def test_reasons_carry_what_their_message_needs() -> None:
    assert vat_number("SE556677889901", "SE", "556036-0793") == Invalid(
        "vat.mismatch", {"organisation_number": "556036-0793"}
    )
    assert vat_number("GR094259216", "GR") == Invalid("vat.country", {"expected": "EL"})
    assert vat_number("X", "us") == Invalid("vat.unsupported_country", {"country": "US"})
    assert iban("SE455000000005839825746") == Invalid(
        "iban.length", {"country": "SE", "expected": 24, "length": 23}
    )
    assert iban("XX4550000000058398257466") == Invalid("iban.country", {"country": "XX"})
    assert bic("ESSEXXSS") == Invalid("bic.country", {"country": "XX"})
    assert organisation_number("556677-889") == Invalid("orgnr.length", {"length": 9})


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("79927398713", True),  # the textbook Luhn example
        ("79927398710", False),
        ("5566778899", True),
        ("5566778898", False),
        ("0", True),
        ("", False),
        ("12a", False),
        ("5566-778899", False),
        ("\u0667\u0669", False),  # Arabic-Indic digits
    ],
)
def test_luhn_valid(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def test_valid_examples_really_are_valid() -> None:
    """Cross-check every valid example with the independent Luhn and mod 97 above."""
    for _, normalised in ORGNR_VALID:
        assert passes_luhn(digits_of(normalised)), normalised
    for value, country, _, normalised in VAT_VALID:
        if country.upper() == "SE":
            assert passes_luhn(normalised[2:12]) and normalised.endswith("01"), value
    for _, normalised in BANKGIRO_VALID + PLUSGIRO_VALID + OCR_VALID:
        assert passes_luhn(digits_of(normalised)), normalised
    assert OCR_WITH_LENGTH_DIGIT[-2] == str(len(OCR_WITH_LENGTH_DIGIT) % 10)
    for _, normalised in IBAN_VALID:
        assert passes_mod97(normalised), normalised
    # the two IBANs that only the 02..98 rule tells apart
    assert passes_mod97(IBAN_CHECK_98) and passes_mod97(IBAN_CHECK_01)
    assert passes_mod97(IBAN_LETTERS_IN_BBAN)


def test_invalid_checksum_examples_differ_only_in_their_check() -> None:
    """A checksum example must be well-formed, or it proves nothing about the check."""
    for value, code in ORGNR_INVALID + BANKGIRO_INVALID + PLUSGIRO_INVALID + OCR_INVALID:
        if code.endswith(".checksum"):
            assert not passes_luhn(digits_of(value)), value


def test_invalid_is_a_frozen_value() -> None:
    reason = Invalid("orgnr.checksum")
    assert reason == Invalid("orgnr.checksum", {})
    with pytest.raises(AttributeError):
        reason.code = "other"  # type: ignore[misc]


# --- Messages ----------------------------------------------------------------------------------

ALL_CODES = {
    "required",
    "orgnr.characters",
    "orgnr.length",
    "orgnr.checksum",
    "vat.country",
    "vat.format",
    "vat.checksum",
    "vat.mismatch",
    "vat.unsupported_country",
    "bankgiro.characters",
    "bankgiro.length",
    "bankgiro.checksum",
    "plusgiro.characters",
    "plusgiro.length",
    "plusgiro.checksum",
    "iban.format",
    "iban.length",
    "iban.checksum",
    "iban.country",
    "bic.format",
    "bic.country",
    "ocr.characters",
    "ocr.length",
    "ocr.checksum",
    "peppol.scheme",
    "gln.characters",
    "gln.length",
    "gln.checksum",
}


def test_every_code_has_a_message_and_every_message_a_test() -> None:
    tested = {code for _, _, invalid in SIMPLE for _, code in invalid}
    tested |= {code for *_, code in VAT_INVALID}
    assert set(MESSAGES) == ALL_CODES
    assert tested == ALL_CODES


@pytest.mark.parametrize("code", sorted(ALL_CODES))
def test_message_in_both_languages(code: str) -> None:
    swedish, english = MESSAGES[code]["sv"], MESSAGES[code]["en"]
    assert swedish.strip() and english.strip()
    assert swedish != english
    assert swedish.endswith(".") and english.endswith(".")


def test_messages_fill_in_from_the_params_of_their_reason() -> None:
    reasons = [validate(value) for validate, _, invalid in SIMPLE for value, _ in invalid]
    reasons += [vat_number(value, country, orgnr) for value, country, orgnr, _ in VAT_INVALID]
    for reason in reasons:
        assert isinstance(reason, Invalid)
        for language in ("sv", "en"):
            text = MESSAGES[reason.code][language].format(**reason.params)
            assert "{" not in text, (reason, text)


def test_examples_in_messages_are_valid() -> None:
    assert organisation_number("556677-8899") == "556677-8899"
    assert vat_number("SE556677889901") == "SE556677889901"
    assert bankgiro("5050-1055") == "5050-1055"
    assert plusgiro("41234-6") == "41234-6"
    assert iban("SE45 5000 0000 0583 9825 7466") == "SE4550000000058398257466"
    assert bic("ESSESESS") == "ESSESESS"
    examples = {
        "orgnr.": "556677-8899",
        "vat.format": "SE556677889901",
        "bankgiro.": "5050-1055",
        "plusgiro.": "41234-6",
        "iban.format": "SE45 5000 0000 0583 9825 7466",
        "bic.format": "ESSESESS",
    }
    for code, entry in MESSAGES.items():
        for prefix, example in examples.items():
            if code.startswith(prefix) and "t.ex." in entry["sv"]:
                assert example in entry["sv"] and example in entry["en"], code


# --- Properties --------------------------------------------------------------------------------

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@properties
@given(body=nine_digits)
def test_any_nine_digits_with_their_check_digit_make_an_organisation_number(body: str) -> None:
    digits = body + luhn_check_digit(body)
    formatted = f"{digits[:6]}-{digits[6:]}"
    assert luhn_valid(digits)
    assert organisation_number(digits) == formatted
    assert organisation_number(formatted) == formatted
    assert organisation_number("16" + digits) == formatted
    vat = f"SE{digits}01"
    assert vat_number(vat) == vat
    assert vat_number(vat, "SE", formatted) == vat
    assert vat_number(f"se {formatted} 01", "se", "16" + digits) == vat


@properties
@given(body=nine_digits, position=st.integers(0, 9), replacement=st.sampled_from("0123456789"))
def test_luhn_catches_every_single_digit_error(body: str, position: int, replacement: str) -> None:
    digits = body + luhn_check_digit(body)
    if digits[position] == replacement:
        replacement = str((int(replacement) + 1) % 10)
    wrong = digits[:position] + replacement + digits[position + 1 :]
    assert not luhn_valid(wrong)
    assert organisation_number(wrong) == Invalid("orgnr.checksum")
    assert vat_number(f"SE{wrong}01") == Invalid("vat.checksum")


@properties
@given(body=nine_digits, other=nine_digits)
def test_vat_number_must_belong_to_the_organisation_number(body: str, other: str) -> None:
    digits, other_digits = body + luhn_check_digit(body), other + luhn_check_digit(other)
    result = vat_number(f"SE{digits}01", "SE", other_digits)
    if digits == other_digits:
        assert result == f"SE{digits}01"
    else:
        assert result == Invalid(
            "vat.mismatch", {"organisation_number": f"{other_digits[:6]}-{other_digits[6:]}"}
        )


# (validator, fewest digits, most digits, how the normalised value is written)
GIRO_LIKE: list[tuple[Callable[[str], Result], int, int, Callable[[str], str]]] = [
    (bankgiro, 7, 8, lambda digits: f"{digits[:-4]}-{digits[-4:]}"),
    (plusgiro, 2, 8, lambda digits: f"{digits[:-1]}-{digits[-1]}"),
    (ocr, 2, 25, lambda digits: digits),
]


@pytest.mark.parametrize(
    ("validate", "shortest", "longest", "written"),
    GIRO_LIKE,
    ids=[validate.__name__ for validate, *_ in GIRO_LIKE],
)
@properties
@given(data=st.data())
def test_giro_numbers_and_references_with_a_check_digit(
    validate: Callable[[str], Result],
    shortest: int,
    longest: int,
    written: Callable[[str], str],
    data: st.DataObject,
) -> None:
    body = data.draw(st.text(alphabet="0123456789", min_size=shortest - 1, max_size=longest - 1))
    digits = body + luhn_check_digit(body)
    normalised = written(digits)
    assert validate(digits) == normalised
    assert validate(normalised) == normalised
    assert validate(" ".join(digits)) == normalised

    position = data.draw(st.integers(0, len(digits) - 1))
    replacement = str((int(digits[position]) + data.draw(st.integers(1, 9))) % 10)
    wrong = digits[:position] + replacement + digits[position + 1 :]
    result = validate(wrong)
    assert isinstance(result, Invalid)
    assert result.code.endswith(".checksum")


@properties
@given(bban=st.text(alphabet="0123456789", min_size=20, max_size=20))
def test_any_swedish_account_with_its_check_digits_makes_an_iban(bban: str) -> None:
    compact = "SE" + iban_check_digits("SE", bban) + bban
    assert passes_mod97(compact)
    spaced = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)).lower()
    assert iban(spaced) == compact
    assert iban(compact) == compact


VALIDATORS: list[Callable[[str], Result]] = [
    organisation_number,
    bankgiro,
    plusgiro,
    iban,
    bic,
    ocr,
    vat_number,
]

# Mostly the characters these numbers are made of, so that generated text gets past the first
# checks often; the Unicode look-alikes are the ones that fool str.isdigit() and str.upper().
near_identifiers = st.text(
    alphabet="0123456789 -\u2013\u00a0SEseDEGBNOMVAXxß\u0663\uff15ſ.", max_size=30
)
any_text = st.one_of(st.text(), near_identifiers)


def assert_well_formed(validate: Callable[[str], Result], result: Result) -> None:
    """A result is a value that validates to itself, or a reason with a message to show."""
    if isinstance(result, Invalid):
        assert result.code in MESSAGES
        assert set(MESSAGES[result.code]) == {"sv", "en"}
        for language in ("sv", "en"):
            MESSAGES[result.code][language].format(**result.params)
    else:
        assert isinstance(result, str)
        assert validate(result) == result


@pytest.mark.parametrize("validate", VALIDATORS, ids=[v.__name__ for v in VALIDATORS])
@properties
@given(value=any_text)
def test_any_text_gives_a_value_or_a_reason(validate: Callable[[str], Result], value: str) -> None:
    assert_well_formed(validate, validate(value))


@properties
@given(
    value=any_text,
    country=st.one_of(
        st.sampled_from(["SE", "se", "DE", "EL", "GR", "GB", "NO", "NL", "IE", "US", ""]),
        st.text(max_size=3),
    ),
    orgnr=st.one_of(st.none(), any_text),
)
def test_any_vat_input_gives_a_value_or_a_reason(
    value: str, country: str, orgnr: str | None
) -> None:
    result = vat_number(value, country, orgnr)
    assert_well_formed(lambda again: vat_number(again, country, orgnr), result)
