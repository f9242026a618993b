"""The ClickHouse sink against the real broker and the embedded engine."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from prometheus_client import REGISTRY

from doclane.connectors.clickhouse.sink import ClickHouseSink
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.settings import Settings
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests.records import dead_letter_record, result_record

pytestmark = pytest.mark.broker


def _wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def _sample(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_sink_writes_results_review_and_dead_letters_then_commits(
    pipeline_settings: Settings,
) -> None:
    settings = replace(pipeline_settings, sink_batch_size=50)
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    for i in range(120):
        record = result_record()
        record["document_id"] = f"result-{i:04d}"
        value = codecs.result.encode(record, names.results)
        producer.produce(names.results, key=record["document_id"].encode(), value=value)
        if i % 10 == 0:
            producer.produce(names.review, key=record["document_id"].encode(), value=value)
    producer.produce(
        names.dlq, key=b"doc-0002", value=codecs.dead_letter.encode(dead_letter_record(), names.dlq)
    )
    producer.produce(
        names.results, key=b"junk", value=b"not avro"
    )  # must be dead-lettered by the sink
    producer.flush(10)

    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    observed_before = _sample("doclane_submit_to_stored_seconds_count")
    records_before = _sample("doclane_sink_batch_records_sum")
    sink = ClickHouseSink(settings, store)
    thread = threading.Thread(target=sink.run)
    thread.start()
    try:
        # 120 results, one dead letter from the pipeline, one the sink itself wrote for "junk".
        _wait_for(lambda: store.query("SELECT count() FROM dead_letters FINAL").rows[0][0] == 2)
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows[0][0] == 122)
    finally:
        sink.stop()
        thread.join(30)
    assert store.query("SELECT count() FROM review_queue FINAL").rows == [(12,)]
    assert store.query("SELECT count() FROM documents FINAL WHERE status = 'failed'").rows == [(2,)]
    sink_letter = store.query(
        "SELECT stage, reason_code FROM dead_letters FINAL WHERE stage = 'sink'"
    ).rows
    assert sink_letter == [("sink", "undecodable_record")]
    # Submit-to-ClickHouse latency: once per stored document (120 results, 2 failed);
    # batch sizes: every record consumed (120 results, 12 reviews, 2 letters, the junk).
    assert _sample("doclane_submit_to_stored_seconds_count") - observed_before == 122
    assert _sample("doclane_sink_batch_records_sum") - records_before == 135

    # Offsets were committed after the inserts: nothing is left to replay.
    consumer = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": f"{settings.app_id}-clickhouse-sink",
        }
    )
    partitions = [TopicPartition(names.results, p) for p in range(settings.partitions)]
    committed = consumer.committed(partitions, timeout=10)
    ends = [consumer.get_watermark_offsets(tp, timeout=10)[1] for tp in partitions]
    consumer.close()
    assert [tp.offset for tp in committed] == ends
    store.close()


def test_a_restarted_sink_does_not_double_documents(pipeline_settings: Settings) -> None:
    settings = pipeline_settings
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    for i in range(30):
        record = result_record()
        record["document_id"] = f"again-{i}"
        producer.produce(
            names.results,
            key=record["document_id"].encode(),
            value=codecs.result.encode(record, names.results),
        )
    producer.flush(10)
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    for group_suffix in ("", "-replay"):
        # The second sink uses a fresh group, so it re-reads everything: a full replay.
        sink = ClickHouseSink(replace(settings, app_id=settings.app_id + group_suffix), store)
        thread = threading.Thread(target=sink.run)
        thread.start()
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows[0][0] == 30)
        sink.stop()
        thread.join(30)
    assert store.query("SELECT count(), uniqExact(document_id) FROM documents FINAL").rows == [
        (30, 30)
    ]
    store.close()


class RefusingStore:
    """A real store that refuses the first `failures` inserts, like a ClickHouse that is down."""

    def __init__(self, store: ClickHouseStore, failures: int) -> None:
        self.store = store
        self.failures = failures
        self.refused = 0

    def insert(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from doclane.exceptions import StoreError

        if self.refused < self.failures:
            self.refused += 1
            raise StoreError("ClickHouse is down (test)")
        self.store.insert(*args, **kwargs)


def test_the_sink_holds_consumption_while_clickhouse_refuses_and_loses_nothing(
    pipeline_settings: Settings,
) -> None:
    from doclane.metrics import SINK_PAUSED

    settings = replace(pipeline_settings, sink_batch_size=20)
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    for i in range(50):
        record = result_record()
        record["document_id"] = f"held-{i:03d}"
        producer.produce(
            names.results,
            key=record["document_id"].encode(),
            value=codecs.result.encode(record, names.results),
        )
    producer.flush(10)
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    refusing = RefusingStore(store, failures=3)
    sink = ClickHouseSink(settings, refusing)  # type: ignore[arg-type]
    paused_seen: list[float] = []
    thread = threading.Thread(target=sink.run)
    thread.start()
    try:
        _wait_for(lambda: paused_seen.append(SINK_PAUSED._value.get()) or refusing.refused >= 3)
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows[0][0] == 50)
    finally:
        sink.stop()
        thread.join(30)
    assert 1.0 in paused_seen  # consumption was held while inserts failed
    assert SINK_PAUSED._value.get() == 0.0
    assert store.query("SELECT uniqExact(document_id), count() FROM documents FINAL").rows == [
        (50, 50)
    ]
    store.close()


def test_containers_and_their_children_land_in_the_lineage_table(
    pipeline_settings: Settings,
) -> None:
    settings = replace(pipeline_settings, sink_batch_size=10)
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    container = {**result_record(), "document_id": "zip-1", "child_count": 2, "status": "ACCEPTED"}
    container["doc_type"] = {"label": "container", "confidence": 1.0, "scores": {}}
    container.update(fields=[], line_items=[], issues=[], review_reasons=[])
    children = [
        {**result_record(), "document_id": "child-a", "parent_id": "zip-1", "path": "a.pdf"},
        {
            **result_record(),
            "document_id": "child-b",
            "parent_id": "zip-1",
            "path": "old.zip/b.pdf",
        },
        {**result_record(), "document_id": "alone"},  # submitted on its own: no lineage row
    ]
    for record in (container, *children):
        value = codecs.result.encode(record, names.results)
        producer.produce(names.results, key=record["document_id"].encode(), value=value)
    producer.flush(10)
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    sink = ClickHouseSink(settings, store)
    thread = threading.Thread(target=sink.run)
    thread.start()
    try:
        _wait_for(lambda: store.query("SELECT count() FROM documents FINAL").rows[0][0] == 4)
    finally:
        sink.stop()
        thread.join(30)
    assert store.query(
        "SELECT path FROM document_lineage FINAL WHERE parent_id = 'zip-1' ORDER BY path"
    ).rows == [("a.pdf",), ("old.zip/b.pdf",)]
    assert store.query(
        "SELECT doc_type, child_count FROM document_lineage FINAL WHERE document_id = 'zip-1'"
    ).rows == [("container", 2)]
    assert store.query(
        "SELECT count() FROM document_lineage FINAL WHERE document_id = 'alone'"
    ).rows == [(0,)]
