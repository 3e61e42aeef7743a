"""Domain errors: a code from the service's catalogue, the HTTP status it maps to, the field."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


FieldError = tuple[str, str, dict[str, Any]]


def missing(form: object, *fields: str) -> list[FieldError]:
    """A `required` error for each of `fields` that is empty on `form`."""
    return [(field, "required", {}) for field in fields if not getattr(form, field)]


class FieldErrors(DomainError):
    """One or more fields are wrong; each `(field, code, params)` is shown at its field."""

    status = 422

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("invalid")
        self.errors = errors


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    status = 410


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, code: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


def described(error: BaseException) -> str:
    """An exception in one line for a log or a stored failure: its type, and its message if any."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
