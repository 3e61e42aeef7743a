"""The services' operator APIs as the command line calls them: every failure a `CommandError`
with a message for the operator, never a stack trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from portal_cli.wording import language, say


class CommandError(Exception):
    """What went wrong, in words the operator reads; the command exits with 1."""


class ServiceError(CommandError):
    """The service refused the request; `status` is its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServiceApi:
    """One service's operator API: `name` is its key in `wording.TEXTS`."""

    def __init__(self, http: aiohttp.ClientSession, name: str, url: str, secret: str) -> None:
        self.http = http
        self.name = name
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {secret}", "Accept-Language": language()}

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer; the service's own message when it refuses."""
        try:
            async with self.http.request(
                method, self.url + path, json=body, headers=self.headers
            ) as r:
                status = r.status
                answer = await r.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise CommandError(
                say("unreachable", service=say(self.name), url=self.url, error=error or "timeout")
            ) from None
        except ValueError:
            answer = None
        problem = answer.get("error") if isinstance(answer, dict) else None
        if status >= 400 and isinstance(problem, dict):
            lines = [str(problem.get("message", f"HTTP {status}"))]
            for field, items in problem.get("fields", {}).items():
                lines += [f"  {field}: {item['message']}" for item in items]
            raise ServiceError("\n".join(lines), status)
        if status >= 400 or answer is None:
            message = say("unexpected_answer", service=say(self.name), url=self.url, status=status)
            raise ServiceError(message, status)
        return answer


@dataclass(frozen=True)
class Services:
    company: ServiceApi
    invoice: ServiceApi
