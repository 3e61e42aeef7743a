"""Recently rendered previews, so a supplier reopening an unchanged draft does not wait again.

Keyed by the SHA-256 of the validated request as canonical JSON: any change to the draft or the
language is another key, and the least recently used entries give way to new ones.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from services.renderer.schemas import PreviewRequest


class PreviewCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()

    @staticmethod
    def key(request: PreviewRequest) -> str:
        return hashlib.sha256(request.model_dump_json().encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        pdf = self._entries.get(key)
        if pdf is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return pdf

    def put(self, key: str, pdf: bytes) -> None:
        if self.size == 0:
            return
        self._entries[key] = pdf
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
