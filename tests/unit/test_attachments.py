"""What an attachment may be: a PDF that a parser opens, unencrypted, without active content, whose
streams decode to at most 256 MB together whatever their filters; checked in a bounded process."""

from __future__ import annotations

import base64
import random
import time
import zlib
from pathlib import Path

import pytest

from services.invoice.attachments import pdf_problem
from services.invoice.pdf_filters import decoded_size
from services.invoice.pdf_inspection import MAX_INFLATED, problem_of
from services.renderer.pdf import invoice_pdf
from tests.renderer.factories import invoice, many_lines
from tests.security.hostile_payloads import (
    ENCRYPTED_BY_REFERENCE,
    ENCRYPTED_IN_PLACE,
    MB,
    MINIMAL_PDF,
    decompression_bomb,
    with_contents,
)
from tests.security.hostile_pdfs import (
    ACTIVE_CONTENT,
    HONEST_LINK_AND_DESTINATION,
    encrypted,
    encrypted_under_escaped_name,
    flate_flate_bomb,
    hex_flate_bomb,
)

TERMS = Path(__file__).parents[2] / "examples" / "anvandarvillkor.pdf"
# The example of LZW in ISO 32000-1, 7.4.4.2: 45 45 45 45 45 65 45 45 45 66, early change.
LZW_EXAMPLE = bytes.fromhex("800B6050220C0C8501")


def test_a_bomb_is_refused_and_a_file_below_the_limit_is_not() -> None:
    assert problem_of(decompression_bomb(1024 * MB)) == "attachment.bomb"
    assert problem_of(decompression_bomb(MAX_INFLATED // 2)) is None


def test_chained_filters_count_what_the_last_one_makes() -> None:
    assert problem_of(hex_flate_bomb(150 * MB), limit=128 * MB) == "attachment.bomb"
    assert problem_of(hex_flate_bomb(300 * MB)) == "attachment.bomb"
    assert problem_of(flate_flate_bomb(1024 * MB)) == "attachment.bomb"
    assert problem_of(hex_flate_bomb(150 * MB)) is None


def test_streams_count_together() -> None:
    four_mb = with_contents(zlib.compress(bytes(4 * MB)), b"/FlateDecode")
    assert problem_of(four_mb, limit=3 * MB) == "attachment.bomb"
    assert problem_of(four_mb, limit=4 * MB) is None


@pytest.mark.parametrize(
    ("filters", "encoded", "decoded"),
    [
        pytest.param(["/FlateDecode"], zlib.compress(b"abc" * 1000), 3000, id="flate"),
        pytest.param(["/ASCIIHexDecode"], b"61 62\n6>", 3, id="hex"),
        pytest.param(["/ASCII85Decode"], base64.a85encode(bytes(9)) + b"~>", 9, id="a85"),
        pytest.param(["/ASCII85Decode"], b"z z\n!!~>", 9, id="a85-z"),
        pytest.param(["/RunLengthDecode"], b"\x02abc\xfdz\x80", 7, id="run-length"),
        pytest.param(["/LZWDecode"], LZW_EXAMPLE, 10, id="lzw"),
        pytest.param(
            ["/ASCII85Decode", "/FlateDecode"],
            base64.a85encode(zlib.compress(bytes(5000))) + b"~>",
            5000,
            id="a85-flate",
        ),
        pytest.param(["/DCTDecode"], b"\xff\xd8\xff\xe0 a JPEG", 11, id="image-as-it-is"),
        pytest.param(["/ASCIIHexDecode"], b"6162zz", 0, id="not-hex"),
    ],
)
def test_each_filter_decodes_as_a_reader_would(
    filters: list[str], encoded: bytes, decoded: int
) -> None:
    assert decoded_size(encoded, filters, 10 * MB) == decoded


def test_decoding_stops_where_the_data_breaks_as_in_a_viewer() -> None:
    text = random.Random(7).randbytes(MB)
    broken = zlib.compress(text)[: len(text) // 4] + b"!!!!"
    assert 0 < decoded_size(broken, ["/FlateDecode"], 10 * MB) < len(text)


def test_decoding_stops_at_the_limit() -> None:
    started = time.monotonic()
    assert decoded_size(zlib.compress(zlib.compress(bytes(64 * MB))), ["/Fl", "/Fl"], MB) == MB + 1
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(ENCRYPTED_BY_REFERENCE, id="by-reference"),
        pytest.param(ENCRYPTED_IN_PLACE, id="in-place"),
        pytest.param(encrypted(""), id="empty-user-password"),
        pytest.param(encrypted("hemligt"), id="password"),
        pytest.param(encrypted_under_escaped_name(), id="escaped-name"),
    ],
)
def test_encryption_is_refused_however_it_is_written(pdf: bytes) -> None:
    assert problem_of(pdf) == "attachment.encrypted"


@pytest.mark.parametrize(
    ("pdf", "code"), [pytest.param(pdf, code, id=name) for name, pdf, code in ACTIVE_CONTENT]
)
def test_active_content_is_refused(pdf: bytes, code: str) -> None:
    assert problem_of(pdf) == code


def test_a_predictor_before_another_filter_is_damage() -> None:
    pdf = with_contents(
        zlib.compress(zlib.compress(bytes(100))),
        b"[/FlateDecode /FlateDecode] /DecodeParms [<< /Predictor 12 /Columns 4 >> null]",
    )
    assert problem_of(pdf) == "attachment.damaged"


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(MINIMAL_PDF, id="minimal"),
        pytest.param(invoice_pdf(invoice(lines=many_lines(80)), "sv"), id="weasyprint"),
        pytest.param(TERMS.read_bytes(), id="terms"),
        pytest.param(HONEST_LINK_AND_DESTINATION, id="link-and-destination"),
    ],
)
def test_an_honest_pdf_passes(pdf: bytes) -> None:
    assert problem_of(pdf) is None


async def test_the_check_runs_in_a_process_of_its_own() -> None:
    assert await pdf_problem(MINIMAL_PDF) is None
    started = time.monotonic()
    assert await pdf_problem(hex_flate_bomb(150 * MB)) is None
    assert await pdf_problem(hex_flate_bomb(300 * MB)) == "attachment.bomb"
    assert time.monotonic() - started < 10
    assert await pdf_problem(ACTIVE_CONTENT[0][1]) == "attachment.scripts"


async def test_a_check_that_dies_or_takes_too_long_is_a_refusal() -> None:
    assert await pdf_problem(MINIMAL_PDF, seconds=0.001) == "attachment.damaged"
    assert await pdf_problem(decompression_bomb(64 * MB)) is None
    assert await pdf_problem(decompression_bomb(64 * MB), memory=8 * MB) == "attachment.damaged"
