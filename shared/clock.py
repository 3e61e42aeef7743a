"""The time, as every service reads it; tests pass a clock of their own."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
