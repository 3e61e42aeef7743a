from __future__ import annotations

from tests.identity.conftest import identity  # noqa: F401 - a fixture
