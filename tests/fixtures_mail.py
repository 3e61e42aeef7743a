"""The in-process mail catcher as a fixture: a real SMTP peer and its Mailpit-style API.

Import `mailcatcher` into a conftest to use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from devtools.mailcatcher import MailCatcher, start_mailcatcher


@pytest.fixture
async def mailcatcher() -> AsyncIterator[MailCatcher]:
    """A mail catcher of its own for each test, on free ports."""
    catcher = await start_mailcatcher("127.0.0.1", smtp_port=0, http_port=0)
    try:
        yield catcher
    finally:
        await catcher.stop()
