"""End to end through `doclane run` (the README's command) on the real broker.

200 generated documents, plus a corrupt PDF and an undecodable ingest record,
go through classify -> extract -> validate -> enrich into embedded ClickHouse.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from confluent_kafka import Producer

from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.settings import Settings
from doclane.wire.codec import SingleObjectCodec
from doclane.wire.schemas import current_schemas
from doclane.wire.topics import TopicNames, create_topics
from tests import ports
from tests.integration.wire.test_foreign_consumer import decode_results
from tests.kafka_tools import child_env, read_topic, write_samples

pytestmark = [pytest.mark.broker, pytest.mark.e2e]

DOCUMENTS = 200


@dataclass
class Run:
    settings: Settings
    labels: list[dict]
    output: str
    results: list[tuple[bytes, bytes]]
    dead_letters: list[tuple[bytes, bytes]]
    store: ClickHouseStore


@pytest.fixture(scope="module")
def pipeline_run(broker_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("e2e")
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix="e2e.",
        app_id="doclane-e2e",
        partitions=6,
        data_dir=root / "var",
        web_port=ports.E2E_WEB,
        sink_port=ports.E2E_SINK,
        api_port=ports.E2E_API,
        sink_batch_seconds=0.5,
    )
    samples = root / "samples"
    labels = write_samples(samples, DOCUMENTS, seed=5)
    (samples / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    # Something that is not Avro at all, straight onto the ingest topic.
    create_topics(settings)
    producer = Producer({"bootstrap.servers": broker_bootstrap})
    producer.produce("e2e.ingest", key=b"garbage-1", value=b"this is not avro")
    producer.flush(10)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "doclane.cli",
            "run",
            "--samples",
            str(samples),
            "--exit-when-idle",
            "--timeout",
            "400",
        ],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    names = TopicNames.from_prefix(settings.topic_prefix)
    results = read_topic(broker_bootstrap, names.results, expect=DOCUMENTS)
    dead_letters = read_topic(broker_bootstrap, names.dlq, expect=2)
    store = ClickHouseStore(settings.clickhouse_dsn)  # the run has exited: the path is free
    yield Run(settings, labels, output, results, dead_letters, store)
    store.close()


def test_every_document_is_in_results_exactly_once(pipeline_run: Run) -> None:
    keys = Counter(key for key, _ in pipeline_run.results)
    assert len(keys) == DOCUMENTS
    assert set(keys.values()) == {1}


def test_every_document_is_in_clickhouse_exactly_once_with_the_right_type(
    pipeline_run: Run,
) -> None:
    store = pipeline_run.store
    rows = store.query(
        "SELECT filename, doc_type, count() FROM documents WHERE status != 'failed' GROUP BY filename, doc_type"
    ).rows
    assert len(rows) == DOCUMENTS
    assert all(count == 1 for _, _, count in rows)
    expected = {Path(label["path"]).name: label["doc_type"] for label in pipeline_run.labels}
    predicted = {filename: doc_type for filename, doc_type, _ in rows}
    correct = sum(predicted[name] == doc_type for name, doc_type in expected.items())
    assert correct / DOCUMENTS >= 0.95, Counter(
        (expected[n], predicted[n]) for n in expected if expected[n] != predicted[n]
    )


def test_stage_timings_are_present_for_every_document(pipeline_run: Run) -> None:
    rows = pipeline_run.store.query(
        "SELECT stage, count(), min(duration_ms) FROM pipeline_events FINAL "
        "WHERE stage IN ('classify', 'extract', 'validate', 'enrich') GROUP BY stage"
    ).rows
    assert {stage: count for stage, count, _ in rows} == dict.fromkeys(
        ("classify", "extract", "validate", "enrich"), DOCUMENTS
    )
    assert all(min_ms >= 0 for _, _, min_ms in rows)


def test_bad_input_ends_in_the_dead_letter_topic_with_a_reason(pipeline_run: Run) -> None:
    codec = SingleObjectCodec(current_schemas()["DeadLetter"])
    letters = [codec.decode(value) for _, value in pipeline_run.dead_letters]
    reasons = {(letter["stage"], letter["reason_code"]) for letter in letters}
    assert ("classify", "undecodable_record") in reasons
    assert any(
        stage == "classify" and reason in {"corrupt_pdf", "no_text_layer"}
        for stage, reason in reasons
    )
    stored = pipeline_run.store.query("SELECT reason_code FROM dead_letters FINAL").rows
    assert len(stored) == len(letters)


def test_the_run_prints_what_landed(pipeline_run: Run) -> None:
    out = pipeline_run.output
    assert f"all {DOCUMENTS + 1} documents are in ClickHouse" in out
    # The HTTP API ran too, with a key of its own, and said where.
    api_key = (pipeline_run.settings.data_dir / "api" / "api-key").read_text().strip()
    assert f"HTTP API at http://127.0.0.1:{ports.E2E_API}" in out
    assert f"API key {api_key}" in out
    for title in ("Documents by type and status", "Latency by stage", "Extracted fields"):
        assert title in out


def test_a_consumer_with_only_fastavro_decodes_the_results(pipeline_run: Run) -> None:
    decoded = decode_results([value for _, value in pipeline_run.results])
    assert len(decoded) == DOCUMENTS
    invoices = [r for r in decoded if r["doc_type"]["label"] == "invoice"]
    assert invoices
    assert all(r["status"] in ("ACCEPTED", "REVIEW") for r in decoded)
    assert all(len(r["timings"]) == 4 for r in decoded)
    assert any(f["name"] == "total" for r in invoices for f in r["fields"])
