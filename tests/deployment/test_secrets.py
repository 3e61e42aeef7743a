"""Secrets fail closed: a service refuses the published default, an empty or a short secret
unless it runs in development on loopback only; a secret may come from a file."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import unused_port
from pydantic import ValidationError

from shared.settings import DEVELOPMENT_SECRET, IdentitySettings, WebSettings

LONG = "x" * 32


def environment(**variables: str) -> dict[str, str]:
    """This process's environment without any PORTAL_* setting, plus `variables`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    return clean | {f"PORTAL_{k.upper()}": v for k, v in variables.items()}


async def start_web(**variables: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.web",
        env=environment(**variables),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def refusal(**variables: str) -> str:
    process = await start_web(**variables)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode != 0
    return stderr.decode()


async def test_a_service_with_defaults_and_no_environment_refuses_to_start() -> None:
    message = await refusal()
    assert "web refuses to start" in message
    assert "PORTAL_INTERNAL_SECRET is the published development secret" in message
    assert "Traceback" not in message


async def test_development_listening_beyond_loopback_refuses_to_start() -> None:
    message = await refusal(environment="development", host="0.0.0.0")  # noqa: S104
    assert "web refuses to start" in message
    assert "loopback" in message


async def test_development_on_loopback_starts() -> None:
    port = unused_port()
    process = await start_web(environment="development", host="127.0.0.1", port=str(port))
    try:
        async with aiohttp.ClientSession() as http, asyncio.timeout(30):
            while True:
                assert process.returncode is None, await process.stderr.read()  # type: ignore[union-attr]
                try:
                    async with http.get(f"http://127.0.0.1:{port}/login") as response:
                        assert response.status == 200
                        return
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.2)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


@pytest.mark.parametrize("secret", ["", "short", DEVELOPMENT_SECRET])
def test_production_refuses_an_empty_short_or_default_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="PORTAL_CSRF_SECRET"):
        WebSettings(internal_secret=LONG, csrf_secret=secret)


def test_production_takes_long_secrets_on_any_address() -> None:
    settings = WebSettings(host="0.0.0.0", internal_secret=LONG, csrf_secret=LONG)  # noqa: S104
    assert settings.environment == "production"
    assert settings.secure_cookies


def test_development_may_listen_on_ipv6_loopback_with_the_defaults() -> None:
    assert not WebSettings(environment="development", host="::1").secure_cookies


def test_a_secret_comes_from_the_file_its_FILE_variable_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, secret in (("internal", "i" * 40), ("token", "t" * 40)):
        (tmp_path / name).write_text(secret + "\n")
        monkeypatch.setenv(f"PORTAL_{name.upper()}_SECRET_FILE", str(tmp_path / name))
    settings = IdentitySettings()
    assert (settings.internal_secret, settings.token_secret) == ("i" * 40, "t" * 40)
    monkeypatch.setenv("PORTAL_TOKEN_SECRET", "t" * 40)
    with pytest.raises(ValueError, match="PORTAL_TOKEN_SECRET or PORTAL_TOKEN_SECRET_FILE"):
        IdentitySettings()


def test_a_database_password_may_come_from_a_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql://portal_identity:s3cret@postgres:5432/portal_identity"
    (tmp_path / "url").write_text(url)
    monkeypatch.setenv("PORTAL_DATABASE_URL_FILE", str(tmp_path / "url"))
    assert IdentitySettings(environment="development").database_url == url
