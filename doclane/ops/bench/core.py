"""`make bench-core`: the understanding core alone, one process, no broker.

N generated single-page invoices (fixed seed) are read, classified and
extracted in this process, after a warm-up; each stage is timed per document
with both the wall clock and this process's CPU time, so a run on a busy
machine still shows what the code costs. Repeated runs give the median.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from doclane.core.classify.classifier import classify_document
from doclane.core.extract import extract_fields
from doclane.core.read import read_document

Document = tuple[bytes, str, str]  # payload, content type, file name
STAGES = ("read", "classify", "extract")
_WARM_UP = 50


@dataclass(frozen=True, slots=True)
class CoreRun:
    """One pass over the documents: totals per stage, in seconds."""

    documents: int
    wall_s: dict[str, float]
    cpu_s: dict[str, float]

    @property
    def docs_per_s(self) -> float:
        return self.documents / sum(self.wall_s.values())

    @property
    def cpu_docs_per_s(self) -> float:
        return self.documents / sum(self.cpu_s.values())


def run_core_once(documents: Sequence[Document]) -> CoreRun:
    wall = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    clock, cpu_clock = time.perf_counter, time.process_time
    for payload, content_type, filename in documents:
        wall_0, cpu_0 = clock(), cpu_clock()
        text = read_document(payload, content_type=content_type, filename=filename)
        wall_1, cpu_1 = clock(), cpu_clock()
        classification = classify_document(text)
        wall_2, cpu_2 = clock(), cpu_clock()
        extract_fields(text, classification.doc_type)
        wall_3, cpu_3 = clock(), cpu_clock()
        wall["read"] += wall_1 - wall_0
        wall["classify"] += wall_2 - wall_1
        wall["extract"] += wall_3 - wall_2
        cpu["read"] += cpu_1 - cpu_0
        cpu["classify"] += cpu_2 - cpu_1
        cpu["extract"] += cpu_3 - cpu_2
    return CoreRun(len(documents), wall, cpu)


def run_core(documents: Sequence[Document], repeats: int) -> list[CoreRun]:
    """`repeats` timed passes after one untimed warm-up over the first documents."""
    run_core_once(documents[:_WARM_UP])
    return [run_core_once(documents) for _ in range(repeats)]


def median_run(runs: Sequence[CoreRun]) -> CoreRun:
    """The run with the median wall-clock rate (an actual run, not a blend of several)."""
    ordered = sorted(runs, key=lambda run: run.docs_per_s)
    return ordered[(len(ordered) - 1) // 2]


def describe(runs: Sequence[CoreRun]) -> str:
    """The median run per stage, and every run's rate, as a small table."""
    middle = median_run(runs)
    per_doc = 1000 / middle.documents
    rows = [
        f"  {'stage':<10}{'wall ms/doc':>12}{'cpu ms/doc':>12}",
        *(
            f"  {stage:<10}{middle.wall_s[stage] * per_doc:>12.3f}"
            f"{middle.cpu_s[stage] * per_doc:>12.3f}"
            for stage in STAGES
        ),
        f"  {'total':<10}{sum(middle.wall_s.values()) * per_doc:>12.3f}"
        f"{sum(middle.cpu_s.values()) * per_doc:>12.3f}",
        "",
        f"  one process   {middle.docs_per_s:8.1f} docs/s wall, "
        f"{middle.cpu_docs_per_s:8.1f} docs/s CPU (median of {len(runs)})",
        "  every run     "
        + ", ".join(f"{run.docs_per_s:.1f}/{run.cpu_docs_per_s:.1f}" for run in runs)
        + " docs/s (wall/CPU)",
        f"  median CPU    {statistics.median(run.cpu_docs_per_s for run in runs):8.1f} docs/s",
    ]
    return "\n".join(rows)
