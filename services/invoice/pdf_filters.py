"""How many bytes a PDF stream decodes to, through its whole filter chain, without holding them.

Each filter is a generator from pieces of encoded bytes to pieces of decoded bytes, none larger
than `PIECE`; chained, they decode a stream a piece at a time, so counting a gigabyte costs the
time to make it up to the limit and a few megabytes of memory, whatever the order of the filters.

Image codecs (DCT, JPX, JBIG2, CCITT fax) are counted as they are: they decode to pixels a viewer
scales to the screen, and an honest scanned appendix holds hundreds of megabytes of them. Where
data breaks, decoding stops and the count with it, as in a viewer.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable, Iterable, Iterator

PIECE = 1024 * 1024
Decoder = Callable[[Iterable[bytes]], Iterator[bytes]]


def decoded_size(raw: bytes, filters: list[str], at_most: int) -> int:
    """What `raw` decodes to through `filters` (names such as "/FlateDecode"), counted up to
    `at_most` + 1: one byte past the limit is all a caller needs to know."""
    pieces: Iterator[bytes] = _pieces(raw)
    for name in filters:
        decoder = DECODERS.get(name)
        if decoder is None:
            break  # an image codec or a name no viewer decodes: counted as it is
        pieces = decoder(pieces)
    total = 0
    try:
        for piece in pieces:
            total += len(piece)
            if total > at_most:
                return at_most + 1
    except (ValueError, zlib.error, IndexError):
        pass  # the data breaks here
    return total


def _pieces(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), PIECE):
        yield bytes(view[start : start + PIECE])


def inflated(pieces: Iterable[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for piece in pieces:
        while piece and not inflater.eof:
            out = inflater.decompress(piece, PIECE)
            if out:
                yield out
            piece = inflater.unconsumed_tail
        if inflater.eof:
            return


def from_hex(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """ASCII hex up to `>`; an odd last digit is followed by 0 (ISO 32000-1, 7.4.2)."""
    pending = b""
    for piece in pieces:
        end = piece.find(b">")
        digits = pending + bytes(piece if end < 0 else piece[:end]).translate(None, b" \t\r\n\f\0")
        even = len(digits) - len(digits) % 2
        yield bytes.fromhex(digits[:even].decode("ascii"))
        pending = digits[even:]
        if end >= 0:
            break
    if pending:
        yield bytes.fromhex((pending + b"0").decode("ascii"))


def from_ascii85(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """ASCII base-85 up to `~>`; `z` stands for four zero bytes, as `!!!!!` does."""
    pending = b""
    for piece in pieces:
        end = piece.find(b"~")
        text = bytes(piece if end < 0 else piece[:end]).translate(None, b" \t\r\n\f\0")
        text = pending + text.replace(b"z", b"!!!!!")
        whole = len(text) - len(text) % 5
        yield base64.a85decode(text[:whole])
        pending = text[whole:]
        if end >= 0:
            break
    if pending:
        yield base64.a85decode(pending)


def from_run_length(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """A length byte n, then n + 1 bytes to copy (n < 128) or one byte to repeat 257 - n times;
    128 ends the data."""
    data = b""
    out = bytearray()
    for piece in pieces:
        data += piece
        at = 0
        while at < len(data):
            length = data[at]
            if length == 128:
                yield bytes(out)
                return
            if length < 128:
                if at + 1 + length + 1 > len(data):
                    break
                out += data[at + 1 : at + 2 + length]
                at += 2 + length
            else:
                if at + 2 > len(data):
                    break
                out += data[at + 1 : at + 2] * (257 - length)
                at += 2
            if len(out) >= PIECE:
                yield bytes(out)
                out.clear()
        data = data[at:]
    yield bytes(out)


def from_lzw(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """LZW with codes of 9 to 12 bits, 256 clearing the table and 257 ending the data; the code
    grows one entry early, the PDF default (EarlyChange 1)."""
    table = [bytes([byte]) for byte in range(256)] + [b"", b""]
    width, previous = 9, b""
    buffer = bits = 0
    out = bytearray()
    for byte in (byte for piece in pieces for byte in piece):
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = buffer >> bits
            buffer &= (1 << bits) - 1
            if code == 256:
                del table[258:]
                width, previous = 9, b""
                continue
            if code == 257:
                yield bytes(out)
                return
            if code > len(table) or (code == len(table) and not previous):
                raise ValueError("LZW code not in the table")
            entry = table[code] if code < len(table) else previous + previous[:1]
            if previous and len(table) < 4096:
                table.append(previous + entry[:1])
            previous = entry
            out += entry
            if len(table) + 1 >= 1 << width and width < 12:
                width += 1
            if len(out) >= PIECE:
                yield bytes(out)
                out.clear()
    yield bytes(out)


DECODERS: dict[str, Decoder] = {
    "/FlateDecode": inflated,
    "/Fl": inflated,
    "/ASCIIHexDecode": from_hex,
    "/AHx": from_hex,
    "/ASCII85Decode": from_ascii85,
    "/A85": from_ascii85,
    "/RunLengthDecode": from_run_length,
    "/RL": from_run_length,
    "/LZWDecode": from_lzw,
    "/LZW": from_lzw,
}
