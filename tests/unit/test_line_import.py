"""Invoice lines from CSV files as spreadsheets save them: taken whole, or refused row by row."""

from __future__ import annotations

from decimal import Decimal

from services.invoice.line_import import MAX_ROWS, MESSAGES, read_lines, unit_code, vat_choice
from shared.i18n import translate

# As Excel saves "CSV (semikolonavgränsad)" in Sweden: Windows-1252, `;`, decimal comma, a space
# between thousands, and Excel's quotes around a cell holding a `;`.
EXCEL_SWEDISH = (
    "Artikelnummer;Benämning;Antal;Enhet;À-pris;Moms\r\n"
    "A-100;Konsulttimme;7,5;tim;1 250,00;25\r\n"
    'B-7;"Skruv; rostfri";1 200;st;0,35;25 %\r\n'
    ";Frakt till Åre;1;;450;12\r\n"
).encode("cp1252")

COMMA_SEPARATED = (
    b"Article id,Description,Quantity,Unit,Price,VAT\n"
    b"X1,Licence,2,pcs,1234.50,25\n"
    b"X2,Book,3,H87,199.99,6\n"
)


def test_excel_swedish_file_gives_its_lines() -> None:
    lines, errors = read_lines(EXCEL_SWEDISH)
    assert errors == []
    assert [(x.article_id, x.description, x.quantity, x.unit, x.unit_price) for x in lines] == [
        ("A-100", "Konsulttimme", Decimal("7.5"), "HUR", Decimal("1250.00")),
        ("B-7", "Skruv; rostfri", Decimal(1200), "H87", Decimal("0.35")),
        ("", "Frakt till Åre", Decimal(1), "H87", Decimal(450)),
    ]
    assert [(x.vat_category, x.vat_rate) for x in lines] == [
        ("S", Decimal(25)),
        ("S", Decimal(25)),
        ("S", Decimal(12)),
    ]


def test_comma_separated_file_with_decimal_points() -> None:
    lines, errors = read_lines(COMMA_SEPARATED)
    assert errors == []
    assert [(x.unit, x.unit_price, x.vat_rate) for x in lines] == [
        ("H87", Decimal("1234.50"), Decimal(25)),
        ("H87", Decimal("199.99"), Decimal(6)),
    ]


def test_utf8_with_byte_order_mark_and_no_heading_row() -> None:
    content = "\ufeffK-1;Kaffe;2;kg;89,90;12\nK-2;Städning;3;h;450;S:25\n".encode()
    lines, errors = read_lines(content)
    assert errors == []
    # The mark is not part of the first article id, and the row is data, not headings.
    assert [(x.article_id, x.description, x.unit) for x in lines] == [
        ("K-1", "Kaffe", "KGM"),
        ("K-2", "Städning", "HUR"),
    ]


def test_headings_in_another_order_and_unknown_columns_left_aside() -> None:
    content = "Pris;Antal;Summa;Beskrivning\n100;2;200;Tvätt\n".encode()
    lines, errors = read_lines(content)
    assert errors == []
    assert (lines[0].description, lines[0].quantity, lines[0].unit_price) == (
        "Tvätt",
        Decimal(2),
        Decimal(100),
    )


def test_every_bad_row_is_reported_and_nothing_is_taken() -> None:
    content = (
        "Artikelnummer;Benämning;Antal;Enhet;À-pris;Moms\n"
        "A1;Bra rad;1;st;10;25\n"
        "A2;;tre;lådor;-5;18\n"
        "A3;Också bra;2;st;20;25\n"
        "A4;Noll;0;st;1,23456;25\n"
    ).encode()
    lines, errors = read_lines(content)
    assert lines == []
    assert [field for field, _, _ in errors] == [
        "lines_file.3.description",
        "lines_file.3.quantity",
        "lines_file.3.unit_price",
        "lines_file.3.unit",
        "lines_file.3.vat",
        "lines_file.5.quantity",
        "lines_file.5.unit_price",
    ]
    messages = {field: translate(MESSAGES, code, "sv", **params) for field, code, params in errors}
    assert messages["lines_file.3.unit"].startswith("Rad 3, Enhet: enheten ”lådor” är okänd")
    assert messages["lines_file.5.unit_price"] == "Rad 5, À-pris: högst 4 decimaler."
    english = translate(MESSAGES, errors[1][1], "en", **errors[1][2])
    assert english == "Row 3, Quantity: enter a number, e.g. 1234.50."


def test_whole_file_problems() -> None:
    assert read_lines(b"")[1][0][1] == "line_import.empty"
    assert read_lines(b"%PDF-1.7\x00\x01")[1][0][1] == "line_import.unreadable"
    assert read_lines(b"x" * 1_000_001)[1][0][1] == "line_import.too_large"
    many = "".join(f"A{i};Rad {i};1;st;1;25\n" for i in range(MAX_ROWS + 1)).encode()
    assert read_lines(many)[1][0][1] == "line_import.too_many_rows"
    field, code, params = read_lines(b"Artikelnummer;Antal\nA;1\n")[1][0]
    assert (field, code, params["columns_sv"]) == (
        "lines_file",
        "line_import.columns_missing",
        "Benämning, À-pris",
    )
    assert read_lines(b"A;" + b"x" * 200_000 + b";1\n")[1][0][1] == "line_import.unreadable"
    too_wide = read_lines(b"A;B;1;st;1;25;extra\n")[1]
    assert too_wide[0][1] == "line_import.too_many_columns"


def test_a_cell_the_line_cannot_carry_is_refused_at_its_row() -> None:
    content = ("A;" + "x" * 201 + ";1;st;1;25\nB;Ok\x01;1;st;1;25\n").encode()
    _, errors = read_lines(content)
    assert [(field, code) for field, code, _ in errors] == [
        ("lines_file.1.description", "line_import.too_long"),
        ("lines_file.2.description", "line_import.characters"),
    ]


def test_units_and_vat_as_written() -> None:
    assert [unit_code(u) for u in ("", "H87", "hur", "st.", "Styck", "tim", "m2", "kg", "x")] == [
        "H87", "H87", "HUR", "H87", "H87", "HUR", "MTK", "KGM", None,
    ]  # fmt: skip
    assert [vat_choice(v) for v in ("", "25", "25 %", "12,0", "6", "0", "ae:0", "18")] == [
        "S:25", "S:25", "S:25", "S:12", "S:6", "Z:0", "AE:0", None,
    ]  # fmt: skip
