"""E-mail addresses as the portal keeps them."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def normalize_email(value: str) -> str | None:
    """The address in its canonical, lower-case form, or None when it is not one."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None
