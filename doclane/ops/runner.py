"""`doclane run`: the whole pipeline on one machine, with a report at the end."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType

from doclane.connectors.ingest import Submitter, expand_paths
from doclane.exceptions import DoclaneError
from doclane.ops.analytics import SinkQueryRunner
from doclane.ops.broker import ensure_broker, own_broker
from doclane.ops.reference import seed_reference_data
from doclane.ops.reports import REPORTS, format_table
from doclane.ops.supervisor import Supervisor
from doclane.settings import Settings
from doclane.wire.topics import TopicNames, create_topics


def _say(text: str) -> None:
    print(text, flush=True)


def run_pipeline(
    settings: Settings, *, samples: Path | None, exit_when_idle: bool, timeout: float
) -> int:
    started = time.monotonic()
    broker = own_broker(settings) if settings.starts_own_broker else None
    broker_was_running = broker.is_running() if broker else True
    _say(
        f"doclane: broker {'starting' if not broker_was_running else 'at'} {settings.bootstrap_servers}"
    )
    ensure_broker(settings)
    create_topics(settings)
    _say("doclane: topics " + ", ".join(TopicNames.from_prefix(settings.topic_prefix).all()))
    for what, count in seed_reference_data(settings).items():
        _say(f"doclane: seeded {what} with {count} records from the bundled file")
    supervisor = Supervisor(settings, api=True)
    # SIGTERM behaves like Ctrl-C: a clean stop of everything.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        _say(
            f"doclane: starting sink and {settings.workers} worker(s); logs in {settings.data_dir / 'logs'}"
        )
        supervisor.start()
        _say(f"doclane: pipeline ready in {time.monotonic() - started:.1f}s")
        _say(_api_address(settings))
        runner = SinkQueryRunner.for_settings(settings)
        if samples is not None:
            _submit_and_report(settings, runner, samples, timeout)
        if exit_when_idle:
            return 0
        _say(
            f"doclane: serving; submit more with `doclane submit PATH`, query with `doclane query SQL`. "
            f"Metrics: http://127.0.0.1:{settings.sink_port}/metrics (sink), "
            f"http://127.0.0.1:{settings.web_port}/metrics (worker 0). Ctrl-C stops."
        )
        while True:
            time.sleep(1)
            for name in supervisor.restart_dead():
                _say(f"doclane: {name} died and was restarted")
    except KeyboardInterrupt:
        _say("\ndoclane: stopping")
        return 0
    finally:
        supervisor.stop()
        if broker is not None and not broker_was_running:
            broker.stop()
        _say("doclane: stopped")


def _api_address(settings: Settings) -> str:
    from doclane.api.auth import load_api_keys

    keys, _ = load_api_keys(settings)  # the API child made or read the same file
    where = f"http://{settings.api_host}:{settings.api_port}"
    key = (
        "keys from DOCLANE_API_KEYS"
        if settings.api_keys
        else f"API key {keys.keys[0].reveal()} (kept in {keys.path})"
    )
    return (
        f"doclane: HTTP API at {where} (docs {where}/docs, review app {where}/review, "
        f"dashboard {where}/dashboard); {key}"
    )


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _submit_and_report(
    settings: Settings, runner: SinkQueryRunner, samples: Path, timeout: float
) -> None:
    paths = expand_paths([str(samples)])
    submitter = Submitter(settings, source="doclane-run")
    summary = submitter.submit_paths(paths)
    ids = [s.document_id for s in summary.submissions]
    _say(f"doclane: submitted {len(summary.accepted)} documents from {samples}")
    id_list = ",".join(f"'{i}'" for i in ids)
    deadline = time.monotonic() + timeout
    landed = 0
    while time.monotonic() < deadline:
        landed = runner.query(
            f"SELECT count() FROM documents FINAL WHERE document_id IN ({id_list})"  # noqa: S608 - ids are our own uuid hex
        ).rows[0][0]
        if landed >= len(ids):
            break
        time.sleep(0.5)
    else:
        raise DoclaneError(
            f"only {landed} of {len(ids)} documents reached ClickHouse in {timeout:.0f}s"
        )
    _say(f"doclane: all {landed} documents are in ClickHouse\n")
    for name in ("summary", "fields", "latency", "end_to_end", "dead_letters"):
        title, sql = REPORTS[name]
        _say(f"{title}\n{format_table(runner.query(sql))}\n")
