"""`make bench`: end-to-end throughput and latency beside the core alone, on the same cores.

One run: N generated single-page invoices are (1) read, classified and
extracted by the core in a process pool as wide as the machine, and (2) sent
through the real pipeline (broker, W workers, P partitions, sink into a fresh
embedded ClickHouse). It prints docs/s for both, their ratio, and p50/p99
submit -> ClickHouse latency measured by ClickHouse itself.

`--core-only` (`make bench-core`) measures the core alone in one process, per
stage, without a broker (see `doclane.ops.bench.core`).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from doclane.connectors.ingest import Submitter
from doclane.core.pipeline import Knowledge, understand
from doclane.exceptions import DoclaneError
from doclane.ops.analytics import SinkQueryRunner
from doclane.ops.bench.core import bundled_knowledge, describe, run_core
from doclane.ops.bench.processes import TreeSample, describe_usage, sample_all
from doclane.ops.broker import ensure_broker
from doclane.ops.broker.local import LocalBroker
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.settings import Settings
from doclane.wire.topics import create_topics


class BenchError(DoclaneError):
    """The benchmark could not complete."""


@dataclass
class BenchResult:
    documents: int
    workers: int
    partitions: int
    submit_rate: float  # docs/s; 0 = all at once
    cores: int
    core_docs_per_s: float
    pipeline_docs_per_s: float
    ratio: float
    p50_latency_ms: float
    p99_latency_ms: float
    max_event_loop_lag_ms: float
    stage_ms_p50_p99: dict[str, tuple[float, float]]
    usage: str  # per process tree: CPU ms per document, RSS at start and end


@dataclass(frozen=True)
class PipelineRun:
    docs_per_s: float
    p50_ms: float
    p99_ms: float
    max_event_loop_lag_ms: float
    stages: dict[str, tuple[float, float]]
    usage_start: dict[str, TreeSample]
    usage_end: dict[str, TreeSample]


def _understand(args: tuple[bytes, str, str]) -> str:
    payload, content_type, filename = args
    understood = understand(
        payload, _process_knowledge(), content_type=content_type, filename=filename
    )
    return understood.classification.doc_type.value


@cache
def _process_knowledge() -> Knowledge:
    return bundled_knowledge()


def core_throughput(documents: list[tuple[bytes, str, str]], processes: int) -> float:
    with ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(_understand, documents[: processes * 4]))  # warm up imports
        started = time.perf_counter()
        for _ in pool.map(_understand, documents, chunksize=16):
            pass
        return len(documents) / (time.perf_counter() - started)


def pipeline_throughput(
    settings: Settings,
    documents: list[tuple[bytes, str, str]],
    *,
    timeout_s: float,
    rate: float,
    broker_pid: int | None = None,
) -> PipelineRun:
    create_topics(settings)
    supervisor = Supervisor(settings)
    supervisor.start()
    try:
        roots = _process_roots(supervisor, broker_pid)
        usage_start = sample_all(roots)
        runner = SinkQueryRunner.for_settings(settings)
        submitter = Submitter(settings, source="bench")
        started = time.perf_counter()
        for index, (payload, content_type, filename) in enumerate(documents):
            if rate:  # paced submission: latency at a load the pipeline sustains
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            submitter.submit_bytes(payload, filename=filename, content_type=content_type)
        submitter.flush()
        deadline = time.monotonic() + timeout_s
        landed = 0
        while landed < len(documents):
            if time.monotonic() > deadline:
                raise BenchError(
                    f"only {landed} of {len(documents)} documents reached ClickHouse within {timeout_s:.0f} s; "
                    f"see the logs under {settings.data_dir / 'logs'}"
                )
            time.sleep(0.2)
            landed = _landed(runner, len(documents))
        elapsed = time.perf_counter() - started
        usage_end = sample_all(roots)
        p50, p99 = runner.query(
            "SELECT quantile(0.5)(dateDiff('microsecond', submitted_at, stored_at)) / 1000, "
            "quantile(0.99)(dateDiff('microsecond', submitted_at, stored_at)) / 1000 FROM documents FINAL"
        ).rows[0]
        stages = {
            stage: (round(float(p50), 1), round(float(p99), 1))
            for stage, p50, p99 in runner.query(
                "SELECT stage, quantile(0.5)(duration_ms), quantile(0.99)(duration_ms) "
                "FROM pipeline_events FINAL WHERE stage NOT IN ('submitted') GROUP BY stage"
            ).rows
        }
        lag = max(_event_loop_lag(settings.web_port + i) for i in range(settings.workers))
        return PipelineRun(
            len(documents) / elapsed,
            float(p50),
            float(p99),
            lag * 1000,
            stages,
            usage_start,
            usage_end,
        )
    finally:
        supervisor.stop()


def _landed(runner: SinkQueryRunner, expected: int) -> int:
    """Documents in ClickHouse. Polled every 0.2 s, so it reads the raw row count (cheap)
    and pays for FINAL, which merges away a redelivered row, only once that reaches N."""
    rows = int(runner.query("SELECT count() FROM documents").rows[0][0])
    if rows < expected:
        return rows
    return int(runner.query("SELECT count() FROM documents FINAL").rows[0][0])


def _process_roots(supervisor: Supervisor, broker_pid: int | None) -> dict[str, int]:
    """The process trees to sample: each worker (with its parse processes), the sink,
    and the local broker when this machine runs it."""
    roots = {
        child.name: child.process.pid for child in supervisor.children if child.process is not None
    }
    if broker_pid is not None:
        roots["broker"] = broker_pid
    return roots


def _local_broker_pid(settings: Settings) -> int | None:
    """The pid of doclane's own broker, when it runs on this machine."""
    try:
        return int(LocalBroker(settings).pid_path.read_text().strip())
    except (OSError, ValueError):
        return None


def _event_loop_lag(port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
        return float(json.loads(response.read())["event_loop_lag_max_seconds"])


def _sample_invoices(count: int) -> list[tuple[bytes, str, str]]:
    print(f"generating {count} single-page invoices ...", flush=True)
    return [
        (d.payload, d.content_type, d.filename)
        for d in iter_documents(count, seed=11, kinds=["invoice"], single_page=True)
    ]


def core_only(
    documents: list[tuple[bytes, str, str]], repeats: int, processes: int, ocr_pages: int = 0
) -> None:
    """Print the one-process core rate per stage; with `processes` > 1 also the pool rate;
    with `ocr_pages`, the OCR rate on that many scanned pages."""
    print(f"core alone: read + classify + extract in one process, {repeats} runs ...", flush=True)
    print(describe(run_core(documents, repeats)))
    if processes > 1:
        rates = sorted(core_throughput(documents, processes) for _ in range(repeats))
        print(
            f"  {processes} processes   {rates[(len(rates) - 1) // 2]:8.1f} docs/s wall "
            f"(median of {repeats}: {', '.join(f'{rate:.1f}' for rate in rates)})"
        )
    if ocr_pages > 0:
        from doclane.ops.bench.ocr import run_ocr

        print(f"OCR: {ocr_pages} scanned invoice pages, one after another ...", flush=True)
        print(run_ocr(ocr_pages).describe())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--documents", type=int, default=None, help="default 2000, or 1000 with --core-only"
    )
    parser.add_argument(
        "--core-only",
        action="store_true",
        help="only the core, in one process and per stage; no broker, no pipeline",
    )
    parser.add_argument("--repeats", type=int, default=3, help="--core-only: timed runs (median)")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="--core-only: also time a pool of this many processes (0: one per CPU)",
    )
    parser.add_argument(
        "--ocr-pages",
        type=int,
        default=0,
        help="--core-only: also read this many scanned pages by OCR (pages/s per core)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="submit at this many docs/s (default 0: all at once, which measures throughput)",
    )
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    if args.core_only:
        documents = _sample_invoices(args.documents or 1000)
        core_only(documents, max(args.repeats, 1), args.processes or cores, args.ocr_pages)
        return
    args.documents = args.documents or 2000
    base = Settings.from_env()
    run_id = uuid.uuid4().hex[:8]
    # The broker is the project's usual one (started if needed, left running like
    # `make broker-up`); the topics, consumer groups and ClickHouse are fresh per run.
    bootstrap = ensure_broker(base)
    settings = replace(
        base,
        kafka_bootstrap_servers=bootstrap,
        workers=args.workers,
        partitions=args.partitions,
        topic_prefix=f"bench{run_id}.",
        app_id=f"doclane-bench-{run_id}",
        data_dir=base.data_dir / "bench" / run_id,
        log_json=True,
    )
    documents = _sample_invoices(args.documents)
    print(f"core alone: read + classify + extract on {cores} processes ...", flush=True)
    core = core_throughput(documents, cores)
    print(
        f"pipeline: {args.workers} worker(s), {args.partitions} partitions, sink to embedded ClickHouse ...",
        flush=True,
    )
    run = pipeline_throughput(
        settings,
        documents,
        timeout_s=max(120.0, args.documents / 5),
        rate=args.rate,
        broker_pid=_local_broker_pid(base),
    )
    pipeline = run.docs_per_s
    result = BenchResult(
        documents=args.documents,
        workers=args.workers,
        partitions=args.partitions,
        submit_rate=args.rate,
        cores=cores,
        core_docs_per_s=round(core, 1),
        pipeline_docs_per_s=round(pipeline, 1),
        ratio=round(pipeline / core, 3),
        p50_latency_ms=round(run.p50_ms, 1),
        p99_latency_ms=round(run.p99_ms, 1),
        max_event_loop_lag_ms=round(run.max_event_loop_lag_ms, 1),
        stage_ms_p50_p99=run.stages,
        usage=describe_usage(run.usage_start, run.usage_end, args.documents),
    )
    out = base.data_dir / "bench" / "latest.json"
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(asdict(result), indent=2))
    print(
        f"\n  documents                 {result.documents} single-page invoices\n"
        f"  machine                   {cores} cores; W={args.workers} workers, P={args.partitions} partitions\n"
        f"  core alone                {result.core_docs_per_s:8.1f} docs/s (parse + classify + extract)\n"
        f"  pipeline end to end       {result.pipeline_docs_per_s:8.1f} docs/s (submit -> ClickHouse)\n"
        f"  ratio pipeline / core     {result.ratio:8.3f}\n"
        f"  submission                {'all at once' if not args.rate else f'paced at {args.rate:g} docs/s'}\n"
        f"  latency submit->ClickHouse p50 {result.p50_latency_ms:.1f} ms, p99 {result.p99_latency_ms:.1f} ms\n"
        f"  worker event-loop lag     max {result.max_event_loop_lag_ms:.1f} ms\n"
        + "".join(
            f"  stage {stage:<19} p50 {p50:7.1f} ms, p99 {p99:7.1f} ms\n"
            for stage, (p50, p99) in sorted(run.stages.items())
        )
        + result.usage
        + f"\n  written to {out}"
    )


if __name__ == "__main__":
    main()
