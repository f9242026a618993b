"""Pipeline state: records produced, consumed and lagging, per stage, and whether the sink writes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition

from doclane.exceptions import BrokerError
from doclane.ops.broker.probe import kafka_answers
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import TopicNames


@dataclass(frozen=True)
class StageLag:
    stage: str
    topic: str
    group: str
    produced: int  # sum of end offsets
    committed: int  # sum of committed offsets
    lag: int


def stage_lags(settings: Settings, timeout: float = 10.0) -> list[StageLag]:
    if not kafka_answers(settings.bootstrap_servers, timeout=min(timeout, 5.0)):
        raise BrokerError(
            f"no Kafka broker answers at {settings.bootstrap_servers}; "
            "start the pipeline with `doclane run` (or the broker with `doclane broker up`)"
        )
    try:
        return _stage_lags(settings, timeout)
    except KafkaException as exc:
        raise BrokerError(f"cannot read offsets from {settings.bootstrap_servers}: {exc}") from exc


def _stage_lags(settings: Settings, timeout: float) -> list[StageLag]:
    names = TopicNames.from_prefix(settings.topic_prefix)
    workers = settings.app_id
    sink = f"{settings.app_id}-clickhouse-sink"
    plan = (
        ("classify", names.ingest, workers),
        ("extract", names.classified, workers),
        ("validate", names.extracted, workers),
        ("enrich", names.validated, workers),
        ("sink results", names.results, sink),
        ("sink review", names.review, sink),
        ("sink dead letters", names.dlq, sink),
    )
    lags = []
    consumers: dict[str, Consumer] = {}
    try:
        for stage, topic, group in plan:
            consumer = consumers.get(group)
            if consumer is None:
                consumer = consumers[group] = Consumer(
                    client_config(settings, **{"group.id": group, "enable.auto.commit": False})
                )
            metadata = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
            if metadata is None or metadata.error is not None:
                continue
            partitions = [TopicPartition(topic, p) for p in metadata.partitions]
            committed = consumer.committed(partitions, timeout=timeout)
            produced = done = lag = 0
            for tp in committed:
                low, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, tp.partition), timeout=timeout
                )
                position = tp.offset if tp.offset >= 0 else low
                produced += high
                done += position
                lag += max(0, high - position)
            lags.append(StageLag(stage, topic, group, produced, done, lag))
    finally:
        for consumer in consumers.values():
            consumer.close()
    return lags


def sink_health(settings: Settings, timeout: float = 3.0) -> dict[str, Any] | None:
    """The running sink's own account of itself (`/health`), or None when no sink answers."""
    url = f"http://127.0.0.1:{settings.sink_port}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:  # 503: answering, but not ready
        body = exc.read()
    except (urllib.error.URLError, OSError):
        return None
    try:
        health: dict[str, Any] = json.loads(body)
    except ValueError:
        return None
    return health


def describe_sink(health: dict[str, Any] | None) -> str:
    """One line a person reads: writing, stalled (for how long, why), or not running."""
    if health is None:
        return "sink: not running (no answer on its port)"
    sink = health.get("sink") or {}
    if sink.get("stalled"):
        return (
            f"sink: STALLED for {sink.get('stalled_seconds', 0):.0f} s after "
            f"{sink.get('failed_attempts', 0)} failed inserts; it keeps its batch and retries. "
            f"Last error: {sink.get('last_error', '')}"
        )
    ready = "writing" if health.get("ready") else "starting"
    return f"sink: {ready}, {sink.get('batches_written', 0)} batches written since it started"
