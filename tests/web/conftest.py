from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.web.app import create_app
from shared.settings import WebSettings
from tests.harness import serving
from tests.identity.conftest import Identity

pytest_plugins = ["tests.identity.conftest"]


@pytest.fixture(scope="session")
async def web_url(identity: Identity) -> AsyncIterator[str]:
    settings = WebSettings(environment="test", identity_url=identity.url)
    async with serving(create_app(settings)) as url:
        yield url
