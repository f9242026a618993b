"""`make bench-core`'s OCR figure: scanned pages read per second of CPU, on one core.

Generated single-page invoices are rendered as scans (200 dpi, slightly
turned, speckled; `doclane.samples.scans`) and read by `read_document` one
after another. Tesseract runs as a child command with one thread, so the CPU
time counted is this process's plus its children's: the cost of one page on
one core, however busy the machine is.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass

from doclane.core.read import read_document
from doclane.samples import iter_documents
from doclane.samples.scans import scan


@dataclass(frozen=True, slots=True)
class OcrRun:
    pages: int
    wall_s: float
    cpu_s: float

    def describe(self) -> str:
        return (
            f"  OCR           {self.pages / self.cpu_s:8.2f} scanned pages/s per core (CPU), "
            f"{self.pages / self.wall_s:.2f} pages/s wall; {self.cpu_s / self.pages:.2f} s CPU "
            f"per page ({self.pages} pages, 200 dpi PNG, Tesseract eng+deu+fra, one thread)"
        )


def run_ocr(pages: int, *, seed: int = 11) -> OcrRun:
    rng = random.Random(seed)  # noqa: S311 - reproducible scan noise, not security
    scans = [
        scan(document, rng).payload
        for document in iter_documents(pages, seed=seed, kinds=["invoice"], single_page=True)
    ]
    wall, cpu = time.perf_counter(), _cpu_with_children()
    for payload in scans:
        read_document(payload)
    return OcrRun(pages, time.perf_counter() - wall, _cpu_with_children() - cpu)


def _cpu_with_children() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
