"""`doclane dlq replay` on the real broker: failed records go back where they failed, once."""

from __future__ import annotations

import pytest
from confluent_kafka import Producer

from doclane.connectors.replay import replay_dead_letters
from doclane.settings import Settings
from doclane.wire.records import dead_letter
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests.kafka_tools import read_topic

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

    # The replay group remembers its position: a second run replays nothing again.
    assert replay_dead_letters(settings).total == 0
