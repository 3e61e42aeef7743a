"""Small parts on their own: the preview cache, the factory, the worker pool."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal

import pytest

from services.renderer.pdf import render_invoice_pdf
from services.renderer.previews import PreviewCache
from services.renderer.schemas import PreviewRequest
from services.renderer.workers import RenderPool
from shared import identifiers
from shared.invoices import totals
from tests.renderer import factories


def test_the_preview_cache_forgets_the_least_recently_used() -> None:
    cache = PreviewCache(2)
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert cache.get("a") == b"A"

    cache.put("c", b"C")

    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, b"A", b"C")
    assert (cache.hits, cache.misses, len(cache)) == (3, 1, 2)


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache = PreviewCache(0)
    cache.put("a", b"A")

    assert cache.get("a") is None


def test_the_preview_key_follows_the_draft_and_the_language() -> None:
    draft = factories.invoice()
    same = PreviewRequest.model_validate({"invoice": draft.model_dump(mode="json")})

    assert PreviewCache.key(PreviewRequest(invoice=draft)) == PreviewCache.key(same)
    assert PreviewCache.key(PreviewRequest(invoice=draft)) != PreviewCache.key(
        PreviewRequest(invoice=draft, language="en")
    )
    changed = draft.model_copy(update={"number": "2026-0143"})
    assert PreviewCache.key(PreviewRequest(invoice=draft)) != PreviewCache.key(
        PreviewRequest(invoice=changed)
    )


def test_the_factory_is_realistic() -> None:
    item = factories.invoice()

    assert identifiers.ocr(item.payment_reference or "") == factories.OCR
    assert identifiers.bankgiro(factories.BANKGIRO) == factories.BANKGIRO
    assert identifiers.plusgiro(factories.PLUSGIRO) == factories.PLUSGIRO
    assert identifiers.iban(factories.IBAN) == factories.IBAN
    assert identifiers.bic(factories.BIC) == factories.BIC
    for party in (item.seller, item.buyer):
        assert identifiers.organisation_number(party.organisation_number) == (
            party.organisation_number
        )
        assert identifiers.vat_number(party.vat_number or "", "SE", party.organisation_number) == (
            party.vat_number
        )
    sums = totals(item.lines, item.charges)
    assert (sums.line_total, sums.tax_total, sums.payable) == (
        factories.LINE_TOTAL,
        factories.TAX_TOTAL,
        factories.PAYABLE,
    )
    assert {line.vat_rate for line in item.lines} == {Decimal(25), Decimal(6)}
    assert {line.unit for line in item.lines} >= {"HUR", "H87"}


def test_the_workers_entry_point_takes_and_gives_plain_data() -> None:
    # What the pool sends a worker: the function by name, and two strings.
    assert pickle.loads(pickle.dumps(render_invoice_pdf)) is render_invoice_pdf  # noqa: S301
    assert render_invoice_pdf(factories.invoice().model_dump_json(), "sv").startswith(b"%PDF-")


async def test_a_pool_whose_worker_died_is_replaced() -> None:
    spawn = multiprocessing.get_context("spawn")
    before = {child.pid for child in multiprocessing.active_children()}
    pool = RenderPool(lambda: ProcessPoolExecutor(max_workers=1, mp_context=spawn), 1)
    item = factories.invoice()
    try:
        assert (await pool.pdf(item, "sv")).startswith(b"%PDF-")
        workers = [c for c in multiprocessing.active_children() if c.pid not in before]
        assert workers
        for worker in workers:
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)

        with pytest.raises(BrokenProcessPool):
            await pool.pdf(item, "sv")

        assert (await pool.pdf(item, "sv")).startswith(b"%PDF-")
    finally:
        pool.shutdown()
