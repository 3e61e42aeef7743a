"""What an attachment may inflate to: bombs refused after bounded work, honest files let through."""

from __future__ import annotations

import os
import zlib

from services.invoice.attachments import MAX_INFLATED, inflates_beyond, pdf_problem
from services.renderer.pdf import invoice_pdf
from tests.renderer.factories import invoice, many_lines
from tests.security.hostile_payloads import MB, decompression_bomb


def with_stream(data: bytes, end_of_line: bytes = b"\n") -> bytes:
    return (
        b"%PDF-1.4\n4 0 obj\n"
        + b"<< /Length %d /Filter /FlateDecode >>\nstream" % len(data)
        + end_of_line
        + data
        + b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def test_a_bomb_is_refused_and_a_file_below_the_limit_is_not() -> None:
    assert pdf_problem(decompression_bomb(1024 * MB)) == "attachment.bomb"
    assert pdf_problem(decompression_bomb(MAX_INFLATED // 2)) is None
    assert inflates_beyond(decompression_bomb(64 * MB), 63 * MB)
    assert not inflates_beyond(decompression_bomb(64 * MB), 64 * MB)


def test_streams_count_together_whatever_their_end_of_line() -> None:
    four_mb = zlib.compress(bytes(4 * MB))
    for end_of_line in (b"\n", b"\r\n", b"\r"):
        pdf = with_stream(four_mb, end_of_line) + with_stream(four_mb, end_of_line)
        assert inflates_beyond(pdf, 7 * MB), end_of_line
        assert not inflates_beyond(pdf, 8 * MB), end_of_line


def test_data_that_is_not_flate_counts_for_nothing() -> None:
    assert not inflates_beyond(with_stream(os.urandom(2 * MB)), 0)
    assert not inflates_beyond(with_stream(b"\xff\xd8\xff\xe0 a JPEG image"), 0)


def test_an_honest_pdf_passes() -> None:
    assert pdf_problem(invoice_pdf(invoice(lines=many_lines(80)), "sv")) is None
