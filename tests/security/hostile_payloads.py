"""What a hostile supplier types and uploads: markup in text fields, and files posing as PDFs."""

from __future__ import annotations

import zlib

from markupsafe import escape

MB = 1024 * 1024


def markup(tag: str) -> str:
    """Script and an event handler, tagged so each field's text can be found on its own."""
    return f'<script>alert("{tag}")</script><img src=x onerror=alert(1)>'


def short_markup(tag: str) -> str:
    """A script that fits the 40 characters of a short field (number, references, codes)."""
    assert len(tag) <= 10
    return f'<script>alert("{tag}")</script>'


# What must never reach a page or a mail unescaped, whatever the field.
RAW_MARKUP = ("<script>alert(", "<img src=x onerror", '<link rel="attachment"', '<img src="')


def escaped(text: str) -> str:
    """The text as an autoescaping template writes it."""
    return str(escape(text))


def no_space(text: str) -> str:
    """Without whitespace: a long value may wrap anywhere in a narrow PDF cell."""
    return "".join(text.split())


def pdf_of(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A well-formed PDF of these objects (numbered from 1, the first the catalog), with its
    cross-reference table; `trailer` is written into the trailer after /Size and /Root."""
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer << /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(pdf)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
# A file that is a PDF in its structure: header, catalog, a blank page, cross references, trailer,
# end marker.
MINIMAL_PDF = pdf_of([CATALOG, PAGES, PAGE])
NOT_PDF_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512) + b"%%EOF\n"
NOT_PDF_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
NOT_PDF_HTML = (
    b"<!DOCTYPE html><html><body><script>alert(1)</script>"
    b'<link rel="attachment" href="file:///etc/passwd">%PDF-1.4 %%EOF</body></html>\n'
)
# One byte over the limit, and a PDF in every other respect.
TOO_LARGE = MINIMAL_PDF[:-6] + b"%" + bytes(10 * MB) + b"\n%%EOF\n"
# The two ways a trailer names its encryption dictionary: by reference, and written in place
# without a space before it, as compact writers do.
STANDARD_SECURITY = (
    b"<</Filter/Standard/V 1/R 2/P -4/O<" + b"ab" * 32 + b">/U<" + b"cd" * 32 + b">>>"
)
ENCRYPTED_BY_REFERENCE = pdf_of(
    [CATALOG, PAGES, PAGE, STANDARD_SECURITY], b"/Encrypt 4 0 R /ID [<00><00>] "
)
ENCRYPTED_IN_PLACE = MINIMAL_PDF.replace(
    b"trailer << /Size 4 /Root 1 0 R >>",
    b"trailer<</Size 4/Root 1 0 R/Encrypt" + STANDARD_SECURITY + b"/ID[<00><00>]>>",
)
TRUNCATED = MINIMAL_PDF[: len(MINIMAL_PDF) // 2]
GARBAGE_AFTER_HEADER = b"%PDF-1.7\n" + bytes(range(256)) * 16


def deflated_zeros(inflated: int) -> bytes:
    """A zlib stream of `inflated` zero bytes, made in milliseconds.

    Deflating a gigabyte takes seconds; instead one megabyte of zeros is deflated after a full
    flush, where the compressor forgets all history, so every further megabyte deflates to the
    same bytes. Repeating them and ending with an empty final block and the Adler-32 of n zeros
    (a = 1, b = n mod 65521) makes a valid zlib stream.
    """
    assert inflated % MB == 0 and inflated >= 2 * MB
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = ((inflated % 65521) << 16) | 1
    return first + block * (inflated // MB - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def with_contents(data: bytes, filters: bytes) -> bytes:
    """A one-page PDF whose page contents are `data`, encoded with `filters`."""
    page = PAGE.replace(b" >>", b" /Contents 4 0 R >>")
    contents = b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters) + data
    return pdf_of([CATALOG, PAGES, page, contents + b"\nendstream"])


def decompression_bomb(inflated: int = 1024 * MB) -> bytes:
    """A well-formed PDF whose one FlateDecode stream inflates to `inflated` zero bytes."""
    return with_contents(deflated_zeros(inflated), b"/FlateDecode")


def inflates_at_least(pdf: bytes, limit: int) -> bool:
    """True when the first Flate stream in `pdf` inflates past `limit` bytes; never more."""
    start = pdf.index(b"stream\n") + len(b"stream\n")
    inflater = zlib.decompressobj()
    data, total = pdf[start:], 0
    while data and total <= limit:
        total += len(inflater.decompress(data, 16 * MB))
        data = inflater.unconsumed_tail
    return total > limit
