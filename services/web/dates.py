"""Moments written out as the user reads them: in the user's language, on a Swedish wall clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.i18n import MONTHS, Language

LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def written_moment(moment: str, language: Language) -> str:
    """`2026-12-05T16:58:00+00:00` as `5 december 2026 17:58` or `5 December 2026, 17:58`."""
    local = datetime.fromisoformat(moment).astimezone(LOCAL_TIME)
    day = f"{local.day} {MONTHS[language][local.month - 1]} {local.year}"
    return f"{day} {local:%H:%M}" if language == "sv" else f"{day}, {local:%H:%M}"
