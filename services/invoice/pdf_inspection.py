"""What a PDF parser (qpdf, through pikepdf) finds wrong with an upload: encryption, active content,
streams that decode past the limit, or a file it cannot read.

Run as a process of its own (`python -m services.invoice.pdf_inspection LIMIT MEMORY`): the file
on standard input, the problem's code or `ok` on standard output. qpdf is C++ reading hostile
bytes; a crash, a loop or a runaway allocation ends this process, never the service.
"""

from __future__ import annotations

import io
import resource
import sys
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from services.invoice.pdf_filters import decoded_size

# More than any invoice's appendix needs (a scanned A3 page at 300 dpi in colour is 26 MB), far
# less than a bomb: a megabyte that inflates to a gigabyte is refused after 256 MB of work.
MAX_INFLATED = 256 * 1024 * 1024

# Actions that run a program, send or fetch data, or change the document as it is read.
RUNNING_ACTIONS = {"/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Hide", "/SetOCGState"}
MEDIA_ACTIONS = {"/RichMediaExecute", "/Rendition", "/Movie", "/Sound", "/GoTo3DView"}
MEDIA_ANNOTATIONS = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# When a file holds several kinds, the first named here is the one the supplier reads.
ORDER = (
    "attachment.scripts",
    "attachment.embedded_files",
    "attachment.xfa",
    "attachment.rich_media",
    "attachment.actions",
)
PROBLEMS = ("attachment.damaged", "attachment.encrypted", "attachment.bomb", *ORDER)


def problem_of(content: bytes, limit: int = MAX_INFLATED) -> str | None:
    """The reason `content` is not an acceptable PDF, or None."""
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
                return "attachment.encrypted"
            active = set(_active_content(pdf))
            found = [code for code in ORDER if code in active]
            if found:
                return found[0]
            return _decoding_problem(pdf, limit)
    except pikepdf.PasswordError:
        return "attachment.encrypted"
    except pikepdf.PdfError:
        return "attachment.damaged"


def _active_content(pdf: pikepdf.Pdf) -> Iterator[str]:
    """The kinds of active content anywhere in the file, referenced or not."""
    for entries in _dictionaries(pdf):
        keys = set(entries.keys())
        action, subtype = entries.get(Name.S), entries.get(Name.Subtype)
        if keys & {"/JS", "/JavaScript"} or action == Name.JavaScript:
            yield "attachment.scripts"
        if keys & {"/EmbeddedFiles", "/EF"} or subtype == Name.FileAttachment:
            yield "attachment.embedded_files"
        if entries.get(Name.Type) == Name.EmbeddedFile:
            yield "attachment.embedded_files"
        if Name.XFA in keys:
            yield "attachment.xfa"
        if keys & {"/RichMediaContent", "/RichMediaSettings"} or (
            str(action) in MEDIA_ACTIONS or str(subtype) in MEDIA_ANNOTATIONS
        ):
            yield "attachment.rich_media"
        # An /OpenAction that is an array only opens at a page; a dictionary is an action.
        if Name.AA in keys or str(action) in RUNNING_ACTIONS:
            yield "attachment.actions"
        if isinstance(entries.get(Name.OpenAction), Dictionary):
            yield "attachment.actions"


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary and stream of the file, the direct ones inside others included; a stack,
    not recursion, so deep nesting costs memory, not the interpreter's stack."""
    waiting: list[pikepdf.Object] = [pdf.trailer, *pdf.objects]
    while waiting:
        found = waiting.pop()
        if isinstance(found, Dictionary | Stream):
            yield found
            inside = list(found.values())
        elif isinstance(found, Array):
            inside = list(found)
        else:
            continue
        # Scalars arrive as Python values; indirect objects are in `pdf.objects` already.
        waiting.extend(
            item for item in inside if isinstance(item, pikepdf.Object) and not item.is_indirect
        )


def _decoding_problem(pdf: pikepdf.Pdf, limit: int) -> str | None:
    """Decode every stream, its filters chained as a reader chains them, counting the bytes of
    them all together up to `limit`."""
    left = limit
    for found in pdf.objects:
        if not isinstance(found, Stream):
            continue
        filters = _as_list(found.get(Name.Filter))
        parameters = _as_list(found.get(Name.DecodeParms))
        # Undoing a predictor changes the bytes, not their number: only the last filter may
        # have one (no writer puts it elsewhere), so the count never needs it undone.
        if any(_predicted(p) for p in parameters[: len(filters) - 1]):
            return "attachment.damaged"
        left -= decoded_size(found.read_raw_bytes(), [str(f) for f in filters], left)
        if left < 0:
            return "attachment.bomb"
    return None


def _as_list(value: pikepdf.Object | None) -> list[pikepdf.Object]:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _predicted(parameters: pikepdf.Object) -> bool:
    return isinstance(parameters, Dictionary) and int(parameters.get(Name.Predictor, 1)) > 1


def main() -> None:
    limit, memory = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    content = sys.stdin.buffer.read()
    try:
        problem = problem_of(content, limit)
    except Exception:
        problem = "attachment.damaged"
    sys.stdout.write(problem or "ok")


if __name__ == "__main__":
    main()
