"""A supplier company with one of everything, for the tests that walk the web front's routes
with ids of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.security.routes import CHOICES, Route
from tests.security.test_isolation import Tenant, populated
from tests.system import System


@pytest.fixture(scope="module")
async def tenant(system: System) -> AsyncIterator[Tenant]:
    async with aiohttp.ClientSession() as http:
        yield await populated(system, http)


def own_ids(route: Route, tenant: Tenant) -> dict[str, str]:
    """A value for each of the route's parameters that names the tenant's own thing: a sent
    invoice for its documents, the draft with the attachment for the rest; an id of nothing
    where the tenant owns none (another session)."""
    sent = route.canonical.endswith((".pdf", ".xml")) and "/attachments/" not in route.canonical
    values = {
        "invoice_id": (tenant.sent if sent else tenant.draft)["id"],
        "attachment_id": tenant.attachment_id,
        "buyer_id": tenant.supplier.buyer_id,
        "item_id": tenant.address_id if "/addresses/" in route.canonical else tenant.account_id,
    } | {name: choices[0] for name, choices in CHOICES.items()}
    return {name: values.get(name, str(uuid.uuid4())) for name in route.parameters}
