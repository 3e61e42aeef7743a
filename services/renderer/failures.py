"""Why an invoice cannot be rendered, for good: retrying the same event would fail the same way."""

from __future__ import annotations


class Unrenderable(Exception):
    """The document or its attachments are wrong; the message is the reason the supplier sees.

    Anything else raised while rendering (the invoice service away, a worker process dying) is
    transient and left to the consumer's retries.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
