"""Test helpers around the real broker: env for child processes, reading topics to the end."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition

from doclane.settings import PROJECT_ROOT, Settings


def child_env(settings: Settings) -> dict[str, str]:
    """Environment that makes a doclane child process use exactly these settings."""
    env = dict(os.environ)
    env.update(settings.to_env())
    env["KAFKA_BOOTSTRAP_SERVERS"] = settings.bootstrap_servers
    env["DOCLANE_CACHE_DIR"] = str(PROJECT_ROOT / ".cache")
    env["DOCLANE_PARSE_PROCESSES"] = str(settings.parse_processes or 2)
    return env


def read_topic(
    bootstrap: str,
    topic: str,
    *,
    expect: int | None = None,
    timeout: float = 60.0,
    security: Mapping[str, object] | None = None,
) -> list[tuple[bytes, bytes]]:
    """(key, value) of every committed record in the topic, waiting for `expect` records.

    `security`: librdkafka security options (`librdkafka_security(settings)`) for a
    TLS/SASL broker.
    """
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"reader-{time.time_ns()}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            **(security or {}),
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10).topics[topic]
        partitions = [TopicPartition(topic, p, 0) for p in metadata.partitions]
        consumer.assign(partitions)
        records: list[tuple[bytes, bytes]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            marks = {
                p.partition: consumer.get_watermark_offsets(TopicPartition(topic, p.partition))
                for p in partitions
            }
            ends = {p: high for p, (low, high) in marks.items() if high > low}  # skip empty ones
            for message in consumer.consume(500, timeout=0.5):
                if message.error() is None:
                    records.append((message.key(), message.value()))
            positions = {tp.partition: tp.offset for tp in consumer.position(partitions)}
            caught_up = all(positions.get(p, 0) >= end for p, end in ends.items())
            if caught_up and (expect is None or len(records) >= expect):
                break
        return records
    finally:
        consumer.close()


def write_samples(directory: Path, count: int, *, seed: int = 3) -> list[dict]:
    """Generate `count` labelled documents into `directory`; returns their labels with paths."""
    from doclane.samples import generate_corpus

    generate_corpus(directory, count, seed=seed)
    import csv

    with (directory / "manifest.csv").open() as handle:
        return list(csv.DictReader(handle))
