"""`make bench-core`: the understanding core alone, one process, no broker.

N generated single-page invoices (fixed seed) go through `understand`, the
same chain the agents run stage by stage (read, classify, extract, validate,
enrich with the bundled vendor master and rates), after a warm-up; each stage
is timed per document with both the wall clock and the CPU time, so a run on a
busy machine still shows what the code costs. Repeated runs give the median.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster
from doclane.core.pipeline import STAGES, Knowledge, understand
from doclane.settings import Settings

Document = tuple[bytes, str, str]  # payload, content type, file name
PARSING_STAGES = ("read", "classify", "extract")  # what a parse process runs in the pipeline
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

    @property
    def parsing_docs_per_s(self) -> float:
        return self.documents / sum(self.wall_s[stage] for stage in PARSING_STAGES)


def bundled_knowledge(settings: Settings | None = None) -> Knowledge:
    """What a worker knows out of the box: the bundled vendor master and exchange rates."""
    settings = settings or Settings.from_env({})
    return Knowledge(
        vendors=VendorMaster.from_csv(settings.vendor_master_path),
        fx_rates=FxRates.from_csv(settings.fx_rates_path, settings.base_currency),
        review_policy=settings.review_policy,
        pdf_engine=settings.pdf_engine,
    )


def run_core_once(documents: Sequence[Document], knowledge: Knowledge) -> CoreRun:
    wall = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    for payload, content_type, filename in documents:
        understood = understand(payload, knowledge, content_type=content_type, filename=filename)
        for timing in understood.timings:
            wall[timing.stage] += timing.wall_seconds
            cpu[timing.stage] += timing.cpu_seconds
    return CoreRun(len(documents), wall, cpu)


def run_core(documents: Sequence[Document], repeats: int) -> list[CoreRun]:
    """`repeats` timed passes after one untimed warm-up over the first documents."""
    knowledge = bundled_knowledge()
    run_core_once(documents[:_WARM_UP], knowledge)
    return [run_core_once(documents, knowledge) for _ in range(repeats)]


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
        f"  read + classify + extract only (the parse processes' share): "
        f"{middle.parsing_docs_per_s:.1f} docs/s wall",
    ]
    return "\n".join(rows)
