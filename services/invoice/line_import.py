"""Invoice lines read from a spreadsheet saved as CSV: the rules in one place, as plain functions.

A file is what Excel writes in Sweden (`;` between the cells, a decimal comma, Windows-1252 or
UTF-8 with a byte-order mark) or what most other programs write (`,` between the cells, a decimal
point); tab-separated text is read too. The columns are, in this order unless a first row names
them: article id, name, quantity, unit, price, VAT. A heading row is recognised in Swedish or
English (`HEADINGS`), in any order, and columns it does not know are left aside.

A unit is a UN/ECE Recommendation 20 code the form offers (H87, HUR, …) or one of the words of
`UNIT_WORDS` (st, styck, tim, h, dag, kg, m, m2, l, …); empty is pieces (H87). VAT is a Swedish
rate (25, 12, 6, with or without `%`), 0 for the zero rate (Z:0), or one of the form's VAT
choices (`S:25`, `AE:0`, `E:0`, …); empty is 25 %.

Every row is judged and every problem reported, at its row (as the spreadsheet numbers it) and
column: a file is taken whole or not at all.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from services.invoice.schemas import LineForm
from shared import vat
from shared.errors import FieldError
from shared.i18n import Catalog
from shared.invoices import UNITS

MAX_BYTES = 1_000_000
MAX_ROWS = 500
# A heading row has at least this many cells it recognises; a data row never has any.
FIELDS = ("article_id", "description", "quantity", "unit", "unit_price", "vat")
COLUMN_NAMES: dict[str, dict[str, str]] = {
    "article_id": {"sv": "Artikelnummer", "en": "Article id"},
    "description": {"sv": "Benämning", "en": "Name"},
    "quantity": {"sv": "Antal", "en": "Quantity"},
    "unit": {"sv": "Enhet", "en": "Unit"},
    "unit_price": {"sv": "À-pris", "en": "Price"},
    "vat": {"sv": "Moms", "en": "VAT"},
}
# Headings as people write them, compared without case, spaces, dots, hyphens and accents' marks
# that spreadsheets differ on (À-pris, A-pris, á pris).
HEADINGS: dict[str, str] = {
    **dict.fromkeys(
        (
            "artikelnummer",
            "artikelnr",
            "artnr",
            "artikel",
            "articleid",
            "articlenumber",
            "article",
            "itemnumber",
            "itemid",
            "sku",
            "productid",
        ),
        "article_id",
    ),
    **dict.fromkeys(
        (
            "benamning",
            "beskrivning",
            "text",
            "artikelnamn",
            "namn",
            "name",
            "description",
            "itemname",
            "productname",
        ),
        "description",
    ),
    **dict.fromkeys(("antal", "kvantitet", "quantity", "qty"), "quantity"),
    **dict.fromkeys(("enhet", "unit", "unitcode", "uom"), "unit"),
    **dict.fromkeys(
        ("apris", "pris", "styckpris", "enhetspris", "price", "unitprice", "priceperunit"),
        "unit_price",
    ),
    **dict.fromkeys(("moms", "momssats", "momsprocent", "vat", "vatrate", "tax"), "vat"),
}
# Words for the units the form offers, as they appear in Swedish and English price lists.
UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("st", "styck", "stycken", "stk", "pcs", "pc", "piece", "pieces", "ea"), "H87"),
    **dict.fromkeys(("tim", "timme", "timmar", "h", "hr", "hrs", "hour", "hours"), "HUR"),
    **dict.fromkeys(("dag", "dagar", "d", "day", "days"), "DAY"),
    **dict.fromkeys(("kg", "kilo"), "KGM"),
    **dict.fromkeys(("ton", "t"), "TNE"),
    **dict.fromkeys(("m", "meter"), "MTR"),
    **dict.fromkeys(("km",), "KMT"),
    **dict.fromkeys(("m2", "m²", "kvm"), "MTK"),
    **dict.fromkeys(("m3", "m³", "kbm"), "MTQ"),
    **dict.fromkeys(("l", "liter", "litre", "lit"), "LTR"),
    **dict.fromkeys(("sats", "set"), "SET"),
    **dict.fromkeys(("enhet", "unit"), "C62"),
}
_SWEDISH_RATES = {"25": "S:25", "12": "S:12", "6": "S:6", "0": "Z:0"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def read_lines(content: bytes) -> tuple[list[LineForm], list[FieldError]]:
    """The file's lines, or every problem found in it (and then no lines)."""
    if len(content) > MAX_BYTES:
        return [], [("lines_file", "line_import.too_large", {"megabytes": MAX_BYTES // 1_000_000})]
    text = _decoded(content)
    if text is None:
        return [], [("lines_file", "line_import.unreadable", {})]
    try:
        found = _records(text)
    # A cell past the csv module's limit (128 kB): no spreadsheet of invoice lines has one.
    except csv.Error:
        return [], [("lines_file", "line_import.unreadable", {})]
    records = [
        (number, cells)
        for number, cells in enumerate(found, start=1)
        if any(c.strip() for c in cells)
    ]
    columns = _heading(records[0][1]) if records else None
    if columns is not None:
        missing = [
            f for f in ("description", "quantity", "unit_price") if f not in columns.values()
        ]
        if missing:
            return [], [_missing_columns(missing)]
        records = records[1:]
    if not records:
        return [], [("lines_file", "line_import.empty", {})]
    if len(records) > MAX_ROWS:
        return [], [("lines_file", "line_import.too_many_rows", {"max": MAX_ROWS})]
    lines: list[LineForm] = []
    errors: list[FieldError] = []
    for number, cells in records:
        line, problems = _line(number, cells, columns)
        errors += problems
        if line is not None:
            lines.append(line)
    return ([], errors) if errors else (lines, [])


def _decoded(content: bytes) -> str | None:
    """UTF-8 (with or without its byte-order mark), else Windows-1252 as Swedish Excel saves;
    None for what is neither, or binary."""
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _records(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count) if any(d in first for d in ";\t,") else ";"
    return list(csv.reader(text.splitlines(), delimiter=delimiter))


def _key(heading: str) -> str:
    folded = heading.strip().lower().translate(str.maketrans("àáâäåéèëöô", "aaaaaeeeoo"))
    return re.sub(r"[\s.\-_/:()]", "", folded)


def _heading(cells: list[str]) -> dict[int, str] | None:
    """Which field each column holds, when the row is a heading row."""
    known = {
        index: HEADINGS[_key(cell)] for index, cell in enumerate(cells) if _key(cell) in HEADINGS
    }
    return known if len(known) >= 2 else None


def _missing_columns(fields: list[str]) -> FieldError:
    return (
        "lines_file",
        "line_import.columns_missing",
        {
            "columns_sv": ", ".join(COLUMN_NAMES[f]["sv"] for f in fields),
            "columns_en": ", ".join(COLUMN_NAMES[f]["en"] for f in fields),
        },
    )


def _at(row: int, field: str, code: str, **params: Any) -> FieldError:
    names = COLUMN_NAMES[field]
    return (
        f"lines_file.{row}.{field}",
        code,
        {"row": row, "column_sv": names["sv"], "column_en": names["en"], **params},
    )


def _line(
    row: int, cells: list[str], columns: dict[int, str] | None
) -> tuple[LineForm | None, list[FieldError]]:
    if columns is None:
        if any(cell.strip() for cell in cells[len(FIELDS) :]):
            return None, [
                ("lines_file", "line_import.too_many_columns", {"row": row, "max": len(FIELDS)})
            ]
        columns = dict(enumerate(FIELDS))
    raw = {field: "" for field in FIELDS}
    for index, field in columns.items():
        if index < len(cells):
            raw[field] = cells[index].strip()
    errors: list[FieldError] = []
    if not raw["description"]:
        errors.append(_at(row, "description", "line_import.required"))
    quantity = _decimal(raw["quantity"])
    if quantity is None:
        errors.append(_at(row, "quantity", "line_import.number"))
    elif quantity <= 0:
        errors.append(_at(row, "quantity", "line_import.quantity_positive"))
    price = _decimal(raw["unit_price"])
    if price is None:
        errors.append(_at(row, "unit_price", "line_import.number"))
    elif price < 0:
        errors.append(_at(row, "unit_price", "line_import.price_negative"))
    unit = unit_code(raw["unit"])
    if unit is None:
        errors.append(_at(row, "unit", "line_import.unit", value=raw["unit"][:20]))
    choice = vat_choice(raw["vat"])
    if choice is None:
        errors.append(_at(row, "vat", "line_import.vat", value=raw["vat"][:20]))
    values: dict[str, Any] = {
        "article_id": raw["article_id"],
        "description": raw["description"],
        "quantity": quantity,
        "unit": unit or "H87",
        "unit_price": price,
    }
    if choice is not None:
        category, _, rate = choice.partition(":")
        values |= {"vat_category": category, "vat_rate": Decimal(rate)}
    try:
        line = LineForm.model_validate(values)
    except ValidationError as error:
        judged = {field.rsplit(".", 1)[1] for field, _, _ in errors}
        errors += [
            problem
            for problem in map(lambda p: _invalid(row, p), error.errors())
            if problem[0].rsplit(".", 1)[1] not in judged
        ]
        return None, errors
    return (None, errors) if errors else (line, [])


def _invalid(row: int, problem: Any) -> FieldError:
    """A cell the line's own rules refuse: too long, too many decimals, a control character."""
    field = str(problem["loc"][0]) if problem["loc"] else "description"
    field = "vat" if field.startswith("vat_") else field
    code = {
        "too_long": "line_import.too_long",
        "string_too_long": "line_import.too_long",
        "decimal_max_places": "line_import.decimals",
        "decimal_max_digits": "line_import.too_big",
    }.get(problem["type"], "line_import.characters")
    return _at(
        row,
        field,
        code,
        **{
            k: v
            for k, v in (problem.get("ctx") or {}).items()
            if k in ("max_length", "decimal_places")
        },
    )


def _decimal(text: str) -> Decimal | None:
    """A number as a spreadsheet writes it: `1 234,50` or `1234.50`; with both marks the last is
    the decimal one (`1.234,50`, `1,234.50`)."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text)
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rindex(",") > cleaned.rindex(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def unit_code(text: str) -> str | None:
    """The UN/ECE code of a unit given as its code or a common word; pieces when empty."""
    if not text:
        return "H87"
    if text.upper() in UNITS:
        return text.upper()
    return UNIT_WORDS.get(text.lower().rstrip("."))


def vat_choice(text: str) -> str | None:
    """The form's VAT choice for a rate in per cent or a choice as the form writes it."""
    if not text:
        return "S:25"
    if text.upper() in vat.CHOICES:
        return text.upper()
    rate = re.sub(r"[\s%]", "", text).replace(",", ".")
    rate = re.sub(r"\.0+$", "", rate)
    return _SWEDISH_RATES.get(rate)


MESSAGES: Catalog = {
    "line_import.too_large": {
        "sv": "Filen är större än {megabytes} MB. Dela upp raderna på flera filer.",
        "en": "The file is larger than {megabytes} MB. Split the lines into several files.",
    },
    "line_import.unreadable": {
        "sv": "Filen kan inte läsas som text. Spara den som CSV (semikolonavgränsad) i Excel.",
        "en": "The file cannot be read as text. Save it as CSV (comma or semicolon separated).",
    },
    "line_import.missing": {
        "sv": "Välj en CSV-fil med rader.",
        "en": "Choose a CSV file with lines.",
    },
    "line_import.empty": {"sv": "Filen innehåller inga rader.", "en": "The file has no lines."},
    "line_import.too_many_rows": {
        "sv": "Filen har fler än {max} rader. Dela upp den.",
        "en": "The file has more than {max} lines. Split it.",
    },
    "line_import.too_many_lines": {
        "sv": "Fakturan kan ha högst {max} rader; med filens rader blir de {count}.",
        "en": "An invoice can have at most {max} lines; with the file's lines it would have {count}.",
    },
    "line_import.columns_missing": {
        "sv": "Rubrikraden saknar kolumnerna {columns_sv}.",
        "en": "The heading row lacks the columns {columns_en}.",
    },
    "line_import.too_many_columns": {
        "sv": "Rad {row}: fler än {max} kolumner. Utan rubrikrad är kolumnerna Artikelnummer, "
        "Benämning, Antal, Enhet, À-pris och Moms.",
        "en": "Row {row}: more than {max} columns. Without a heading row the columns are "
        "Article id, Name, Quantity, Unit, Price and VAT.",
    },
    "line_import.required": {
        "sv": "Rad {row}, {column_sv}: fältet är tomt.",
        "en": "Row {row}, {column_en}: the field is empty.",
    },
    "line_import.number": {
        "sv": "Rad {row}, {column_sv}: ange ett tal, t.ex. 1 234,50.",
        "en": "Row {row}, {column_en}: enter a number, e.g. 1234.50.",
    },
    "line_import.quantity_positive": {
        "sv": "Rad {row}, {column_sv}: ange ett antal större än noll.",
        "en": "Row {row}, {column_en}: enter a quantity above zero.",
    },
    "line_import.price_negative": {
        "sv": "Rad {row}, {column_sv}: priset kan inte vara negativt.",
        "en": "Row {row}, {column_en}: the price cannot be negative.",
    },
    "line_import.unit": {
        "sv": "Rad {row}, {column_sv}: enheten ”{value}” är okänd. Använd t.ex. st, tim, dag, "
        "kg, m, m2, m3, l eller en enhetskod som H87.",
        "en": 'Row {row}, {column_en}: the unit "{value}" is unknown. Use e.g. pcs, h, day, '
        "kg, m, m2, m3, l or a unit code such as H87.",
    },
    "line_import.vat": {
        "sv": "Rad {row}, {column_sv}: momsen ”{value}” är okänd. Ange 25, 12, 6 eller 0.",
        "en": 'Row {row}, {column_en}: the VAT "{value}" is unknown. Enter 25, 12, 6 or 0.',
    },
    "line_import.too_long": {
        "sv": "Rad {row}, {column_sv}: högst {max_length} tecken.",
        "en": "Row {row}, {column_en}: at most {max_length} characters.",
    },
    "line_import.decimals": {
        "sv": "Rad {row}, {column_sv}: högst {decimal_places} decimaler.",
        "en": "Row {row}, {column_en}: at most {decimal_places} decimals.",
    },
    "line_import.too_big": {
        "sv": "Rad {row}, {column_sv}: talet är för stort.",
        "en": "Row {row}, {column_en}: the number is too large.",
    },
    "line_import.characters": {
        "sv": "Rad {row}, {column_sv}: innehåller tecken som inte kan stå på en faktura.",
        "en": "Row {row}, {column_en}: contains characters an invoice cannot carry.",
    },
}
