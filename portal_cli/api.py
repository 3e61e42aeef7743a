"""The services' operator APIs as the command line calls them: every failure a `CommandError`
with a message for the operator, never a stack trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal_cli.wording import language, say
from shared.client import ServiceClient, ServiceUnavailable
from shared.client import ServiceError as Refusal


class CommandError(Exception):
    """What went wrong, in words the operator reads; the command exits with 1."""


class ServiceError(CommandError):
    """The service refused the request; `status` is its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServiceApi:
    """One service's operator API: `name` is its key in `wording.TEXTS`."""

    def __init__(self, service: ServiceClient, name: str) -> None:
        self.service = service
        self.name = name

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer; the service's own message when it refuses."""
        try:
            return await self.service.call(method, path, json=body, language=language())
        except ServiceUnavailable as error:
            url = self.service.base_url
            raise CommandError(
                say("unreachable", service=say(self.name), url=url, error=error)
            ) from None
        except Refusal as error:
            lines = [error.message or f"HTTP {error.status}"]
            for field, items in error.problems.items():
                lines += [f"  {field}: {item.message}" for item in items]
            raise ServiceError("\n".join(lines), error.status) from None


@dataclass(frozen=True)
class Services:
    company: ServiceApi
    invoice: ServiceApi
