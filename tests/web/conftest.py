from __future__ import annotations

from tests.e2e.conftest import browser  # noqa: F401 - a fixture
from tests.identity.conftest import identity  # noqa: F401 - a fixture
from tests.security.conftest import tenant  # noqa: F401 - a fixture
