"""WeasyPrint's worker processes, so that rendering never blocks the event loop.

A PDF takes from a few hundred milliseconds to seconds of CPU; on the event loop that would stall
every request and message of the service meanwhile. The pool's processes are spawned, not forked:
a fork would copy the event loop, open sockets and database connections into each worker.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from services.renderer.failures import Unrenderable
from services.renderer.pdf import archive_copy, e_invoice_file, render_invoice_pdf, warm_up
from shared.i18n import Language
from shared.invoices import Invoice

log = logging.getLogger(__name__)


class RenderPool:
    """Renders PDFs in an executor; one broken by a dying worker (killed for memory, say) is
    replaced, so the next document gets a fresh pool instead of the same error forever."""

    def __init__(self, make_executor: Callable[[], Executor], workers: int) -> None:
        self._make_executor = make_executor
        self._workers = workers
        self._executor = self._started()

    async def pdf(self, invoice: Invoice, language: Language) -> bytes:
        """The PDF; Unrenderable when WeasyPrint fails on this document, as it would every time."""
        return await self._run(
            invoice, render_invoice_pdf, invoice.model_dump_json(), language, what="PDF"
        )

    async def archive_copy(
        self, invoice: Invoice, language: Language, pdf: bytes, xml: bytes
    ) -> bytes:
        """`pdf` with `xml` embedded (`pdf.archive_copy`), in a worker too: compressing an XML
        that carries megabytes of attachments takes a while."""
        filename, description = e_invoice_file(invoice, language)
        return await self._run(
            invoice, archive_copy, pdf, xml, filename, description, what="archive copy"
        )

    async def _run(
        self, invoice: Invoice, work: Callable[..., bytes], *args: object, what: str
    ) -> bytes:
        executor = self._executor
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, work, *args)
        except BrokenProcessPool:
            self._replace(executor)
            raise
        except (Unrenderable, RuntimeError):
            # RuntimeError: the pool is shutting down with the service; a later try succeeds.
            raise
        except Exception as error:
            log.exception("making the %s of invoice %s failed", what, invoice.id)
            raise Unrenderable(f"the {what} could not be made ({type(error).__name__})") from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _started(self) -> Executor:
        executor = self._make_executor()
        # Not awaited: the service is ready at once, and workers import WeasyPrint meanwhile.
        for _ in range(self._workers):
            executor.submit(warm_up)
        return executor

    def _replace(self, broken: Executor) -> None:
        if self._executor is broken:
            log.error("a render worker died; starting a new pool")
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = self._started()


def spawned_pool(workers: int) -> RenderPool:
    """A pool of `workers` spawned processes."""

    def executor() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )

    return RenderPool(executor, workers)
