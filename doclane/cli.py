"""The `doclane` command line."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from doclane.exceptions import DoclaneError
from doclane.settings import PROJECT_ROOT, Settings, running_from_checkout
from doclane.wire.clients import KAFKA_CLIENT_LOGGER
from doclane.wire.security import PROBE_LOGGER

BUNDLED_SAMPLE_COUNT, BUNDLED_SAMPLE_SEED = 24, 7  # what `make samples` writes to samples/


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    _console_logging()
    try:
        settings = Settings.from_env()
        return int(args.handler(settings, args) or 0)
    except DoclaneError as exc:
        print(f"doclane: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _console_logging() -> None:
    """Interactive commands print warnings plainly; child processes log JSON to var/logs.

    Kafka clients retry transient broker states (a coordinator still loading
    after start) on their own, so only their errors reach the console.
    """
    from doclane.logs import PiiMask

    logging.basicConfig(level=logging.WARNING, format="doclane: %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(PiiMask())
    logging.getLogger(KAFKA_CLIENT_LOGGER.name).setLevel(logging.ERROR)
    # The access probe's own librdkafka lines repeat what the error it raises says.
    logging.getLogger(PROBE_LOGGER.name).setLevel(logging.CRITICAL)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doclane", description="Document intelligence on Apache Kafka."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Callable[..., int | None], help_text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    run = command(
        "run", _run, "Start broker (if needed), workers and sink; submit samples; report."
    )
    run.add_argument("--workers", type=int, help="Faust worker processes (default DOCLANE_WORKERS)")
    run.add_argument(
        "--samples",
        type=Path,
        default=None,
        help="documents to submit at start (default: the bundled samples)",
    )
    run.add_argument("--no-samples", action="store_true", help="submit nothing at start")
    run.add_argument(
        "--exit-when-idle", action="store_true", help="stop once the samples are in ClickHouse"
    )
    run.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the samples")

    submit = command("submit", _submit, "Submit files, directories or globs to the ingest topic.")
    submit.add_argument("paths", nargs="+", help="files, directories (recursive) or quoted globs")
    submit.add_argument("--correlation-id", help="ties the submissions together")
    submit.add_argument("--source", default="cli", help="recorded as the documents' source")
    submit.add_argument("--no-progress", action="store_true")

    command(
        "status", _status, "Show records produced, committed and lagging per stage, and counts."
    )

    query = command("query", _query, "Run a read-only SQL statement against ClickHouse.")
    query.add_argument(
        "sql", help='e.g. "SELECT doc_type, count() FROM documents FINAL GROUP BY doc_type"'
    )

    from doclane.ops.reports import REPORTS

    report = command("report", _report, "Print a canned report from ClickHouse.")
    report.add_argument("names", nargs="*", metavar="REPORT", help="any of: " + ", ".join(REPORTS))
    report.add_argument(
        "--html", type=Path, metavar="FILE", help="write the dashboard (as /dashboard shows it)"
    )

    broker = command("broker", _broker, "Fetch, start, stop or inspect the local Kafka broker.")
    broker.add_argument("action", choices=["up", "down", "status", "fetch"])
    broker.add_argument(
        "--nodes", type=int, choices=[1, 3], help="KRaft nodes (default DOCLANE_BROKER_NODES, 1)"
    )

    command("topics", _topics, "Create the pipeline's topics (idempotent).")
    _dlq_arguments(command("dlq", _dlq, "Replay dead-letter records to the topic they failed on."))
    vendors = command(
        "vendors", _reference, "Publish a vendor master CSV to the compacted vendors topic."
    )
    vendors.set_defaults(kind="vendors")
    vendors.add_argument("action", choices=["load"])
    vendors.add_argument("file", type=Path, help="CSV: vendor_id,name,vat_id,country,city")
    fx = command("fx", _reference, "Publish exchange rates (CSV) to the compacted fx-rates topic.")
    fx.set_defaults(kind="fx_rates")
    fx.add_argument("action", choices=["load"])
    fx.add_argument("file", type=Path, help="CSV: currency,base,rate,as_of")

    samples = command(
        "samples", _samples, "Generate labelled sample documents in the corpus format."
    )
    samples.add_argument("--out", type=Path, required=True)
    samples.add_argument("--count", type=int, default=24)
    samples.add_argument("--seed", type=int, default=7)
    samples.add_argument("--kinds", help="comma-separated kinds, e.g. invoice,receipt")
    samples.add_argument("--single-page", action="store_true")

    from doclane.evaluation import cli as evaluation_cli

    evaluation = command(
        "eval",
        lambda _settings, args: evaluation_cli.run(args),
        "Score classification and extraction on labelled corpora (what `make eval` runs).",
    )
    evaluation_cli.add_arguments(evaluation)

    _governance_commands(command)

    worker = command(
        "worker", _worker, "Run one Faust worker process (what `run` starts per worker)."
    )
    worker.add_argument("--index", type=int, default=0)
    command("sink", _sink, "Run the ClickHouse sink process (what `run` starts once).")
    command(
        "api",
        _api,
        "Serve the HTTP API (upload, status, events; OpenAPI at /docs) on DOCLANE_API_PORT.",
    )
    return parser


def _governance_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """keys, forget, retention (README "Security")."""
    keys = command("keys", _keys, "Create, list or revoke API keys (stored hashed).")
    keys_sub = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = keys_sub.add_parser("create", help="make a key; it is printed once")
    create.add_argument("name", help="who or what uses the key, e.g. 'billing-clerk'")
    create.add_argument(
        "--scopes", default="submit", help="comma-separated: submit, review, query, admin"
    )
    keys_sub.add_parser("list", help="keys by id, name, scopes; never the keys themselves")
    revoke = keys_sub.add_parser("revoke", help="the key stops working at once")
    revoke.add_argument("key_id")

    forget = command(
        "forget", _forget, "Erase documents by id everywhere doclane keeps them (GDPR Art. 17)."
    )
    forget.add_argument("document_ids", nargs="+", metavar="DOC_ID")
    forget.add_argument("--actor", default="cli", help="recorded in the audit row (no PII)")
    retention = command("retention", _retention, "Remove claim-check blobs past their retention.")
    retention.add_argument("action", choices=["sweep"])


# -- commands ------------------------------------------------------------------


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.runner import run_pipeline

    if args.workers:
        settings = replace(settings, workers=args.workers)
    samples = None if args.no_samples else args.samples or bundled_samples(settings)
    return run_pipeline(
        settings, samples=samples, exit_when_idle=args.exit_when_idle, timeout=args.timeout
    )


def _submit(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.connectors.ingest import Submitter, expand_paths

    paths = expand_paths(args.paths)
    submitter = Submitter(settings, source=args.source)
    kwargs = {"correlation_id": args.correlation_id} if args.correlation_id else {}
    summary = submitter.submit_paths(
        paths, progress=not args.no_progress and sys.stderr.isatty(), **kwargs
    )
    print(f"submitted {len(summary.accepted)} documents to {submitter.names.ingest}")
    for rejected in summary.rejected:
        print(f"  dead-lettered {rejected.path}: {rejected.reason}")
    return 0 if not summary.rejected else 1


def _status(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.connectors.clickhouse.store import QueryResult
    from doclane.ops.analytics import open_query_runner
    from doclane.ops.reports import REPORTS, format_table
    from doclane.ops.status import describe_sink, sink_health, stage_lags

    lags = stage_lags(settings)
    result = QueryResult(
        ("stage", "topic", "records", "processed", "waiting"),
        [
            (
                lag.stage,
                lag.topic,
                *(n if lag.exact else f"~{n}" for n in (lag.produced, lag.committed, lag.lag)),
            )
            for lag in lags
        ],
    )
    print("Kafka (records, read committed; ~ marks offsets of a topic too large to count)")
    print(format_table(result))
    print("\n" + describe_sink(sink_health(settings)))
    runner = open_query_runner(settings)
    try:
        title, sql = REPORTS["summary"]
        print(f"\n{title}\n" + format_table(runner.query(sql)))
    finally:
        runner.close()
    return 0


def _query(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.analytics import open_query_runner
    from doclane.ops.reports import format_table

    runner = open_query_runner(settings)
    try:
        print(format_table(runner.query(args.sql), max_width=80))
    finally:
        runner.close()
    return 0


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.analytics import open_query_runner
    from doclane.ops.reports import REPORTS, format_table

    unknown = [name for name in args.names if name not in REPORTS]
    if unknown:
        raise DoclaneError(f"unknown report {', '.join(unknown)}; choose from {', '.join(REPORTS)}")
    runner = open_query_runner(settings)
    if args.html is not None:
        from doclane.ops.dashboard import dashboard_results, render_dashboard

        try:
            args.html.write_text(render_dashboard(dashboard_results(runner)), encoding="utf-8")
        finally:
            runner.close()
        print(f"dashboard written to {args.html}")
        return 0
    try:
        for name in args.names or list(REPORTS):
            title, sql = REPORTS[name]
            print(f"\n{title}\n" + format_table(runner.query(sql)))
    finally:
        runner.close()
    return 0


def _broker(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.broker import main as broker_main

    nodes = [] if args.nodes is None or args.action == "fetch" else ["--nodes", str(args.nodes)]
    return broker_main([args.action, *nodes])


def _topics(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.broker import ensure_broker
    from doclane.wire.topics import TopicNames, create_topics

    ensure_broker(settings)  # a wrong password or CA stops here with its own error
    create_topics(settings)
    print("topics ready: " + ", ".join(TopicNames.from_prefix(settings.topic_prefix).all()))
    return 0


def _dlq_arguments(dlq: argparse.ArgumentParser) -> None:
    dlq.add_argument("action", choices=["replay"])
    dlq.add_argument("--reason", help="only letters with this reason code")
    dlq.add_argument("--stage", help="only letters from this stage")
    dlq.add_argument("--dry-run", action="store_true", help="count, send nothing, commit nothing")
    dlq.add_argument(
        "--batch", type=int, default=200, help="dead letters per Kafka transaction (default 200)"
    )


def _dlq(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.connectors.replay import replay_dead_letters

    summary = replay_dead_letters(
        settings,
        reason_code=args.reason,
        stage=args.stage,
        dry_run=args.dry_run,
        letters_per_transaction=max(1, args.batch),
    )
    verb = "would replay" if args.dry_run else "replayed"
    print(f"{verb} {summary.total} dead letters")
    for reason, count in sorted(summary.replayed.items()):
        print(f"  {reason:<28} {count}")
    for why, count in sorted(summary.skipped.items()):
        print(f"  skipped ({why}): {count}")
    return 0


def _reference(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.broker import ensure_broker
    from doclane.ops.reference import publish_reference
    from doclane.wire.topics import create_topics

    ensure_broker(settings)
    create_topics(settings)
    count = publish_reference(settings, args.kind, args.file)
    print(f"published {count} {args.kind} records; running workers pick them up within seconds")
    return 0


def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from doclane.security.keys import KeyStore, key_store_path, parse_scopes

    store = KeyStore(key_store_path(settings))
    try:
        if args.action == "create":
            record, key = store.create(args.name, parse_scopes(args.scopes))
            print(f"created key {record.key_id} ({record.name}; {','.join(record.scopes)})")
            print(f"API key (shown once, only its hash is kept): {key}")
        elif args.action == "list":
            for k in store.list():
                made = datetime.fromtimestamp(k.created_at, UTC).isoformat(timespec="seconds")
                state = "revoked" if k.revoked_at else "active"
                print(f"{k.key_id}  {state:<7}  {','.join(k.scopes):<24}  {made}  {k.name}")
        elif not store.revoke(args.key_id):
            raise DoclaneError(f"no active key {args.key_id}")
        else:
            print(f"revoked key {args.key_id}")
    finally:
        store.close()
    return 0


def _forget(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.erasure import forget_documents

    for erased in forget_documents(settings, args.document_ids, actor=args.actor):
        print(
            f"{erased.document_id}: {erased.rows_deleted} rows in "
            f"{sum(1 for n in erased.rows_by_table.values() if n)} tables, "
            f"{erased.blobs_deleted} blobs, {erased.tombstones} tombstones, "
            f"{erased.ledger_entries} ledger entries"
        )
    return 0


def _retention(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.ops.retention import sweep_blobs

    result = sweep_blobs(settings)
    if not result.retention_days:
        print("no retention configured for documents (TTL 0): nothing swept")
    else:
        print(f"removed {result.blobs_removed} blobs older than {result.retention_days} days")
    return 0


def bundled_samples(settings: Settings) -> Path:
    """The checkout's `samples/`; an installed package generates the same 24 documents."""
    checkout = PROJECT_ROOT / "samples"
    if running_from_checkout() and (checkout / "manifest.csv").is_file():
        return checkout
    generated = settings.data_dir / "samples"
    if not (generated / "manifest.csv").is_file():
        from doclane.samples import generate_corpus

        generate_corpus(generated, BUNDLED_SAMPLE_COUNT, seed=BUNDLED_SAMPLE_SEED)
    return generated


def _samples(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.samples import generate_corpus

    kinds = args.kinds.split(",") if args.kinds else None
    started = time.perf_counter()
    written = generate_corpus(
        args.out, args.count, seed=args.seed, kinds=kinds, single_page=args.single_page
    )
    print(
        f"wrote {len(written)} documents with labels to {args.out} in {time.perf_counter() - started:.1f}s"
    )
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.streaming.worker import main as worker_main

    worker_main(["--index", str(args.index)])
    return 0


def _sink(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.connectors.clickhouse.sink import main as sink_main

    sink_main([])
    return 0


def _api(settings: Settings, args: argparse.Namespace) -> int:
    from doclane.api.server import serve
    from doclane.logs import configure_logging

    configure_logging(settings.log_level, json_lines=settings.log_json)
    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
