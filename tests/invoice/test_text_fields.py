"""Text that would break the buyer's e-invoice is refused where it is typed, in drafts too:
control characters anywhere, line breaks in a field of one line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.invoice.conftest import Supplier

CONTROL = ("\x01", "\x1b", "\x00", "\x7f", "\x85")


def with_text(form: dict[str, Any], where: str, text: str) -> dict[str, Any]:
    if where == "note":
        return form | {"note": f"Leverans {text}vecka 48"}
    kind, index, field = where.split(".")
    rows = [dict(row) for row in form[kind]]
    rows[int(index)][field] = f"Spår{text}arbete"
    return form | {kind: rows}


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
@pytest.mark.parametrize("where", ["note", "lines.1.description", "charges.0.description"])
async def test_control_characters_are_refused_at_their_field(
    supplier: Supplier, where: str, character: str
) -> None:
    form = with_text(supplier.form(), where, character)
    status, body = await supplier.call(
        "POST", "/v1/me/invoices", json=form, headers={"Accept-Language": "sv"}
    )
    assert status == 422, body
    [problem] = body["error"]["fields"][where]
    assert problem["code"] == "text_control_characters"
    assert problem["message"].startswith("Texten innehåller osynliga styrtecken")
    status, listing = await supplier.call("GET", "/v1/me/invoices")
    assert status == 200 and listing["total"] == 0  # nothing half-saved


async def test_a_line_break_is_refused_in_one_line_and_kept_in_a_note(supplier: Supplier) -> None:
    form = with_text(supplier.form(), "lines.0.description", "\r\n")
    status, body = await supplier.call(
        "POST", "/v1/me/invoices", json=form, headers={"Accept-Language": "en"}
    )
    assert status == 422, body
    [problem] = body["error"]["fields"]["lines.0.description"]
    assert problem["message"] == "This field is one line, without line breaks."
    status, draft = await supplier.call(
        "POST", "/v1/me/invoices", json=supplier.form(note="Rad ett\r\nRad två\tmed tabb")
    )
    assert status == 201, draft
    assert draft["form"]["note"] == "Rad ett\r\nRad två\tmed tabb"
