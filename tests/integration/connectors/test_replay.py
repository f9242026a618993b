"""`doclane dlq replay` on the real broker: failed records go back where they failed, once."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from confluent_kafka import Consumer, Producer

from doclane.connectors.replay import replay_dead_letters
from doclane.settings import Settings
from doclane.wire.records import dead_letter
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests.kafka_tools import child_env, read_topic

pytestmark = pytest.mark.broker


def _letter(codecs: Codecs, names: TopicNames, n: int, reason: str, value: bytes | None) -> bytes:
    return codecs.dead_letter.encode(
        dead_letter(
            stage="classify",
            reason_code=reason,
            message="test failure",
            original_topic=names.ingest,
            original_partition=0,
            original_offset=n,
            original_key=f"doc-{n}".encode(),
            original_value=value,
        ),
        names.dlq,
    )


def test_replay_sends_originals_back_once_and_honours_filters(pipeline_settings: Settings) -> None:
    settings = pipeline_settings
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    letters = [
        (0, "corrupt_pdf", b"original-0"),
        (1, "corrupt_pdf", b"original-1"),
        (2, "parse_worker_crashed", b"original-2"),
        (3, "document_too_large", None),  # too big to keep: cannot be replayed
    ]
    for n, reason, value in letters:
        producer.produce(
            names.dlq, key=f"doc-{n}".encode(), value=_letter(codecs, names, n, reason, value)
        )
    producer.flush(10)

    dry = replay_dead_letters(settings, reason_code="corrupt_pdf", dry_run=True)
    assert dry.total == 2
    assert read_topic(settings.bootstrap_servers, names.ingest, timeout=3) == []

    summary = replay_dead_letters(settings, reason_code="corrupt_pdf")
    assert dict(summary.replayed) == {"corrupt_pdf": 2}
    assert summary.skipped["filtered out"] == 2
    replayed = read_topic(settings.bootstrap_servers, names.ingest, expect=2)
    assert sorted(replayed) == [(b"doc-0", b"original-0"), (b"doc-1", b"original-1")]

    # Each letter once: an unfiltered run replays only the one left out before.
    assert dict(replay_dead_letters(settings).replayed) == {"parse_worker_crashed": 1}
    assert replay_dead_letters(settings).total == 0


def test_a_filtered_replay_leaves_the_other_letters_for_later(pipeline_settings: Settings) -> None:
    settings = pipeline_settings
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    reasons = ["corrupt_pdf", "empty_document", "corrupt_pdf", "empty_document", "encrypted_pdf"]
    for n, reason in enumerate(reasons):
        value = _letter(codecs, names, n, reason, f"original-{n}".encode())
        producer.produce(names.dlq, key=f"doc-{n}".encode(), value=value, partition=0)
    producer.flush(10)

    assert dict(replay_dead_letters(settings, reason_code="corrupt_pdf").replayed) == {
        "corrupt_pdf": 2
    }
    # The empty_document letters sat between the corrupt_pdf ones: they are still there.
    later = replay_dead_letters(settings, reason_code="empty_document")
    assert dict(later.replayed) == {"empty_document": 2}
    assert later.skipped["filtered out"] == 3  # the two replayed, and the encrypted one
    rest = replay_dead_letters(settings)
    assert dict(rest.replayed) == {"encrypted_pdf": 1}
    assert replay_dead_letters(settings).total == 0
    replayed = read_topic(settings.bootstrap_servers, names.ingest, expect=5)
    assert sorted(key for key, _ in replayed) == [f"doc-{n}".encode() for n in range(5)]


def test_a_replay_killed_midway_replays_each_letter_exactly_once(
    pipeline_settings: Settings,
) -> None:
    settings = pipeline_settings
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    codecs = Codecs.from_settings(settings)
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers, "linger.ms": 20})
    letters = 3000
    for n in range(letters):
        value = _letter(codecs, names, n, "corrupt_pdf", f"original-{n}".encode())
        producer.produce(names.dlq, key=f"doc-{n}".encode(), value=value)
    producer.flush(30)

    replaying = subprocess.Popen(
        [sys.executable, "-m", "doclane.cli", "dlq", "replay", "--batch", "10"],
        env=child_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_some_arrive(settings, names.ingest, replaying)
    finally:
        replaying.kill()  # kill -9, mid-transaction or between two
        replaying.wait(30)
    committed_after_kill = len(read_topic(settings.bootstrap_servers, names.ingest, timeout=10))
    assert 0 < committed_after_kill < letters, "the replay was not stopped midway"

    finished = replay_dead_letters(settings, letters_per_transaction=500)
    assert finished.total == letters - committed_after_kill
    assert finished.skipped["already replayed"] >= 0
    replayed = read_topic(settings.bootstrap_servers, names.ingest, expect=letters, timeout=60)
    assert len(replayed) == letters
    assert len({key for key, _ in replayed}) == letters
    assert replay_dead_letters(settings).total == 0


def _wait_until_some_arrive(
    settings: Settings, topic: str, process: subprocess.Popen[bytes]
) -> None:
    """Until the replay's first transactions are committed (watermarks include open ones)."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": f"watch-{time.time_ns()}",
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if any(m.error() is None for m in consumer.consume(10, timeout=0.05)):
                return
        raise AssertionError("no replayed record became visible before the replay ended")
    finally:
        consumer.close()
