"""A real Prometheus scrapes a running worker and the sink, and its query API returns doclane series.

The unit tests check the alert rules with promtool; this one checks that what the
processes serve on /metrics is what a Prometheus server can scrape and query. The
server is Debian's (`make test` installs the prometheus package, see PROMETHEUS_STAMP).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from doclane.connectors.ingest import Submitter
from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.settings import Settings
from doclane.wire.topics import TopicNames, create_topics
from tests import ports
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.broker

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
DOCUMENTS = 3
SCRAPE_SECONDS = 1
Row = dict[str, Any]  # one series of a query result: {"metric": {...}, "value": [t, "v"]}


@pytest.fixture
def prometheus_binary() -> str:
    if not Path(PROMETHEUS).is_file():
        pytest.skip(
            "the prometheus server binary is absent: `make test` installs Debian's "
            "prometheus package (or run: apt-get install prometheus)"
        )
    return PROMETHEUS


@pytest.fixture
def pipeline(pipeline_settings: Settings) -> Iterator[Settings]:
    """A worker and the sink, running, with a few documents through them."""
    settings = replace(pipeline_settings, workers=1, parse_processes=1)
    create_topics(settings)
    seed_reference_data(settings)
    supervisor = Supervisor(settings)
    supervisor.start()
    try:
        submitter = Submitter(settings, source="prometheus-test")
        for document in iter_documents(DOCUMENTS, seed=11, single_page=True):
            submitter.submit_bytes(
                document.payload, filename=document.filename, content_type=document.content_type
            )
        submitter.flush()
        names = TopicNames.from_prefix(settings.topic_prefix)
        read_topic(settings.bootstrap_servers, names.results, expect=DOCUMENTS, timeout=180)
        yield settings
    finally:
        supervisor.stop()


@pytest.fixture
def prometheus(prometheus_binary: str, pipeline: Settings, tmp_path: Path) -> Iterator[str]:
    """A Prometheus server scraping the worker's and the sink's /metrics every second."""
    config = tmp_path / "prometheus.yml"
    config.write_text(
        json.dumps(  # YAML reads JSON
            {
                "global": {
                    "scrape_interval": f"{SCRAPE_SECONDS}s",
                    "evaluation_interval": f"{SCRAPE_SECONDS}s",
                },
                "scrape_configs": [
                    {
                        "job_name": "doclane-worker",
                        "static_configs": [{"targets": [f"127.0.0.1:{pipeline.web_port}"]}],
                    },
                    {
                        "job_name": "doclane-sink",
                        "static_configs": [{"targets": [f"127.0.0.1:{pipeline.sink_port}"]}],
                    },
                ],
            }
        )
    )
    log = tmp_path / "prometheus.log"
    address = f"127.0.0.1:{ports.PROMETHEUS}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                prometheus_binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address={address}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(f"http://{address}", server, log)
        yield f"http://{address}"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def test_prometheus_scrapes_the_worker_and_the_sink_and_answers_queries(prometheus: str) -> None:
    up = _query_until(prometheus, "up == 1", lambda rows: len(rows) == 2)
    assert {row["metric"]["job"] for row in up} == {"doclane-worker", "doclane-sink"}

    consumed = _query_until(
        prometheus,
        'doclane_stage_records_in_total{job="doclane-worker"}',
        lambda rows: sum(float(row["value"][1]) for row in rows) >= DOCUMENTS,
    )
    assert {row["metric"]["stage"] for row in consumed} >= {"classify"}
    faust = _query_until(
        prometheus,
        '{__name__=~"doclane_faust_.+", job="doclane-worker"}',
        lambda rows: len(rows) > 0,
    )
    assert all(row["metric"]["__name__"].startswith("doclane_faust_") for row in faust)
    stored = _query_until(
        prometheus,
        'doclane_sink_rows_total{job="doclane-sink", table="documents"}',
        lambda rows: sum(float(row["value"][1]) for row in rows) >= DOCUMENTS,
    )
    assert stored


def _query_until(
    base: str, query: str, done: Callable[[list[Row]], bool], timeout: float = 60.0
) -> list[Row]:
    """The result rows of an instant query, once `done(rows)` holds (scrapes take a moment)."""
    deadline = time.monotonic() + timeout
    rows: list[Row] = []
    while time.monotonic() < deadline:
        url = f"{base}/api/v1/query?{urllib.parse.urlencode({'query': query})}"
        with urllib.request.urlopen(url, timeout=5) as response:
            answer = json.load(response)
        assert answer["status"] == "success", answer
        rows = answer["data"]["result"]
        if done(rows):
            return rows
        time.sleep(SCRAPE_SECONDS)
    raise AssertionError(f"Prometheus never answered {query!r} as expected; last rows: {rows}")


def _wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"prometheus exited {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/-/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"prometheus was not ready within 60 s:\n{log.read_text()}")
