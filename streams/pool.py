"""A process pool for CPU-heavy understanding, so no parse blocks the event loop.

A blocking parse on the loop would stall every agent and the consumer
heartbeats; the pool runs it in separate processes and the agent awaits it.
Processes are spawned (not forked) because the worker runs an event loop
and threads that must not be copied into children.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from doclane.exceptions import DoclaneError
from doclane.understanding.classify import classify_document
from doclane.understanding.extract import extract_fields
from doclane.understanding.model import Classification, DocType, DocumentText, Extraction
from doclane.understanding.reading import read_document

T = TypeVar("T")


class WorkerCrashedError(DoclaneError):
    reason_code = "parse_worker_crashed"


def read_and_classify(
    payload: bytes, content_type: str | None, filename: str | None, pdf_engine: str
) -> tuple[DocumentText, Classification]:
    text = read_document(
        payload, content_type=content_type, filename=filename, pdf_engine=pdf_engine
    )
    return text, classify_document(text)


def extract(text: DocumentText, doc_type: str) -> Extraction:
    return extract_fields(text, DocType(doc_type))


def _warm_up() -> int:
    return multiprocessing.current_process().pid or 0


class ParsePool:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None

    def _ensure(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn")
            )
        return self._executor

    async def warm_up(self) -> None:
        loop = asyncio.get_running_loop()
        executor = self._ensure()
        await asyncio.gather(
            *(loop.run_in_executor(executor, _warm_up) for _ in range(self.processes))
        )

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ensure(), fn, *args)
        except BrokenProcessPool as exc:
            # A child died (e.g. killed by the OS): replace the pool, fail this document.
            self.shutdown(wait=False)
            raise WorkerCrashedError("the parse process died while reading this document") from exc

    def shutdown(self, *, wait: bool = True) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None
