"""Context of the work at hand, carried through logs, HTTP calls and events."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
current_causation_id: ContextVar[uuid.UUID | None] = ContextVar("causation_id", default=None)

CORRELATION_HEADER = "X-Correlation-ID"
