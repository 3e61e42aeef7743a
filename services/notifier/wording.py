"""Dates, times and durations in Swedish or English, in Swedish time; the date itself as
`shared.formatting` writes it everywhere (`2026-12-05`, `5 Dec 2026`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.formatting import day
from shared.i18n import Language

TIME_ZONE = "Europe/Stockholm"

# unit -> language -> (singular, plural)
UNITS: dict[str, dict[Language, tuple[str, str]]] = {
    "day": {"sv": ("dag", "dagar"), "en": ("day", "days")},
    "hour": {"sv": ("timme", "timmar"), "en": ("hour", "hours")},
    "minute": {"sv": ("minut", "minuter"), "en": ("minute", "minutes")},
}


def aware(moment: datetime) -> datetime:
    """`moment` with a time zone; events carry UTC, so a naive one is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def swedish_time(moment: datetime) -> datetime:
    return aware(moment).astimezone(ZoneInfo(TIME_ZONE))


def format_date(moment: date, language: Language) -> str:
    """A calendar date as is; a moment in time on the day it is in Sweden."""
    return day(swedish_time(moment) if isinstance(moment, datetime) else moment, language)


def format_datetime(moment: datetime, language: Language) -> str:
    local = swedish_time(moment)
    if language == "sv":
        return f"{format_date(local, language)} kl. {local:%H:%M}"
    return f"{format_date(local, language)} at {local:%H:%M} (Swedish time)"


def between(start: datetime, end: datetime) -> timedelta:
    return aware(end) - aware(start)


def format_duration(delta: timedelta, language: Language) -> str:
    """A validity period in its largest whole unit: "24 timmar", "30 minutes", "7 days".

    Rounded to the minute, since an expiry is computed a moment before the event is stamped.
    """
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes >= 2 * 24 * 60 and minutes % (24 * 60) == 0:
        count, unit = minutes // (24 * 60), "day"
    elif minutes >= 60 and minutes % 60 == 0:
        count, unit = minutes // 60, "hour"
    else:
        count, unit = minutes, "minute"
    singular, plural = UNITS[unit][language]
    return f"{count} {singular if count == 1 else plural}"
