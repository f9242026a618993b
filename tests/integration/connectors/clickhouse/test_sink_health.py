"""A refused query never stops the sink, and a stalled sink shows where people look."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from confluent_kafka import Producer

from doclane.connectors.clickhouse.health import SinkHealth
from doclane.connectors.clickhouse.server import serve_store
from doclane.connectors.clickhouse.sink import ClickHouseSink
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import StoreError
from doclane.ops.analytics import SinkQueryRunner
from doclane.ops.status import describe_sink, sink_health
from doclane.settings import Settings
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests.records import result_record

pytestmark = pytest.mark.broker


def _wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def _produce_results(settings: Settings, prefix: str, count: int) -> None:
    names = TopicNames.from_prefix(settings.topic_prefix)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    for i in range(count):
        record = result_record()
        record["document_id"] = f"{prefix}-{i:04d}"
        producer.produce(
            names.results,
            key=record["document_id"].encode(),
            value=codecs.result.encode(record, names.results),
        )
    producer.flush(10)


def _get(port: int, path: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


class _Running:
    """The sink and its HTTP service in this process, as `doclane sink` runs them."""

    def __init__(self, settings: Settings, store: Any) -> None:
        self.health = SinkHealth()
        self.server = serve_store(store, settings.sink_port, self.health)
        self.sink = ClickHouseSink(settings, store, self.health)
        self.server.ready = True
        self.thread = threading.Thread(target=self.sink.run)
        self.thread.start()

    def stop(self) -> None:
        self.sink.stop()
        self.thread.join(30)
        self.server.shutdown()
        self.server.server_close()


def test_refused_writes_through_the_query_port_leave_the_sink_writing(
    pipeline_settings: Settings,
) -> None:
    settings = replace(pipeline_settings, sink_batch_size=25)
    create_topics(settings)
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    running = _Running(settings, store)
    try:
        queries = SinkQueryRunner(settings.sink_port)
        for statement in (
            "DROP TABLE documents",
            "OPTIMIZE TABLE documents FINAL",
            "ALTER TABLE documents DELETE WHERE 1",
            "INSERT INTO review_queue (document_id) VALUES ('x')",
        ):
            with pytest.raises(StoreError, match="readonly"):
                queries.query(statement)
        assert queries.query("SELECT count() FROM documents").rows == [(0,)]
        _produce_results(settings, "after-refusal", 100)
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows == [(100,)])
        status, body = _get(settings.sink_port, "/health/ready")
        assert status == 200
        assert body["sink"]["stalled"] is False
        assert body["sink"]["batches_written"] >= 1
    finally:
        running.stop()
        store.close()


class _RefusingStore:
    """The real store, except that inserts fail until `refuse` is cleared."""

    def __init__(self, store: ClickHouseStore) -> None:
        self.store = store
        self.refuse = True
        self.dsn = store.dsn

    def insert(self, *args: Any, **kwargs: Any) -> None:
        if self.refuse:
            raise StoreError("Code: 243. Not enough space on disk (NOT_ENOUGH_SPACE)")
        self.store.insert(*args, **kwargs)

    def query(self, sql: str, *, read_only: bool = False) -> Any:
        return self.store.query(sql, read_only=read_only)


def test_a_stalled_sink_shows_on_health_metrics_and_status(pipeline_settings: Settings) -> None:
    settings = replace(pipeline_settings, sink_batch_size=10)
    create_topics(settings)
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    refusing = _RefusingStore(store)
    running = _Running(settings, refusing)
    try:
        _produce_results(settings, "stalled", 10)
        _wait_for(lambda: running.health.state().failed_attempts >= 2)
        status, body = _get(settings.sink_port, "/health/ready")
        assert status == 503
        assert body["ready"] is False
        assert body["sink"]["stalled"] is True
        assert "NOT_ENOUGH_SPACE" in body["sink"]["last_error"]
        with urllib.request.urlopen(f"http://127.0.0.1:{settings.sink_port}/metrics") as r:
            metrics = r.read().decode()
        stalled = [
            line for line in metrics.splitlines() if line.startswith("doclane_sink_stalled_seconds")
        ]
        assert stalled
        assert float(stalled[0].split()[1]) > 0
        line = describe_sink(sink_health(settings))
        assert line.startswith("sink: STALLED for")
        assert "NOT_ENOUGH_SPACE" in line

        refusing.refuse = False  # the disk was cleaned up
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows == [(10,)])
        _wait_for(lambda: _get(settings.sink_port, "/health/ready")[0] == 200)
        assert describe_sink(sink_health(settings)).startswith("sink: writing")
    finally:
        running.stop()
        store.close()
