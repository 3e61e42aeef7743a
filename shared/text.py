"""Text fields as people type them: one line, or several for a note.

Control characters have no place in an invoice: XML 1.0 cannot even carry most of them, so a
`\\x01` in a line's description would make the buyer's e-invoice unreadable. They are refused at
the field, as is a line break in a field that is one line (a company name, an article name).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# C0 and C1 controls, DEL, and the code points XML 1.0 forbids or Unicode never assigns.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029\x85]")


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("text_control_characters", "control characters")
    if _LINE_BREAK.search(value):
        raise PydanticCustomError("text_line_break", "a line break in a one-line field")
    return value


def _lines(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("text_control_characters", "control characters")
    return value


# Refine with StringConstraints where used: Annotated[OneLine, StringConstraints(...)].
OneLine = Annotated[str, AfterValidator(_one_line)]
Lines = Annotated[str, AfterValidator(_lines)]
