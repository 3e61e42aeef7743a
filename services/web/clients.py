"""Calls from the web front to the domain services' JSON APIs."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from shared.context import CORRELATION_HEADER, current_correlation_id
from shared.i18n import COMMON, Language

log = logging.getLogger(__name__)


def api_path(template: str, *segments: str) -> str:
    """`template` with each `{}` filled by one segment, percent-encoded, dots included: whatever
    a segment holds (`/`, `?`, `..`), it names one thing under its parent and never climbs out."""
    return template.format(*(quote(segment, safe="").replace(".", "%2E") for segment in segments))


class ServiceError(Exception):
    """A service said no (4xx), or could not be reached: its message is in the user's language."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]]) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


class ServiceClient:
    def __init__(self, http: aiohttp.ClientSession, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def call(
        self,
        method: str,
        path: str,
        *,
        language: Language,
        token: str | None = None,
        json: Any = None,
        raw: bool = False,
        data: Any = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        headers: dict[str, str] = {"Accept-Language": language}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if correlation := current_correlation_id.get():
            headers[CORRELATION_HEADER] = correlation
        try:
            # As encoded: yarl would otherwise decode `%2E%2E` and resolve it as `..`.
            url = URL(self.base_url + path, encoded=True)
            async with self.http.request(
                method, url, json=json, data=data, params=params, headers=headers
            ) as response:
                if response.status == 204:
                    return None
                if raw and response.status == 200:
                    return await response.read()
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("%s %s failed: %r", method, path, error)
            raise ServiceError(503, "unavailable", COMMON["unavailable"][language], {}) from None
        if response.status >= 500 or (response.status >= 400 and not isinstance(body, dict)):
            raise ServiceError(503, "unavailable", COMMON["unavailable"][language], {})
        if response.status >= 400:
            problem = body.get("error") or {}
            fields = {
                name: [str(item.get("message", "")) for item in items]
                for name, items in (problem.get("fields") or {}).items()
            }
            raise ServiceError(
                response.status,
                str(problem.get("code", "")),
                str(problem.get("message", "")),
                fields,
            )
        return body
