"""Pipeline state: records produced, consumed and lagging per stage, and whether the sink writes."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition

from doclane.exceptions import BrokerError, KafkaAuthenticationError, KafkaTlsError
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.security import check_kafka_access
from doclane.wire.topics import TopicNames

# Above this many offsets in a topic, records are not counted one by one: the
# offsets are shown instead, marked as an estimate.
COUNT_LIMIT = 200_000


@dataclass(frozen=True)
class StageLag:
    stage: str
    topic: str
    group: str
    produced: int  # records in the topic (read_committed)
    committed: int  # of them, before the group's committed offsets
    lag: int  # of them, after
    exact: bool = True  # False: offsets, counted without reading (a very large topic)


def stage_lags(settings: Settings, timeout: float = 10.0) -> list[StageLag]:
    try:
        check_kafka_access(settings, timeout=min(timeout, 5.0))
    except (KafkaAuthenticationError, KafkaTlsError):
        raise  # the broker answers, and says what is wrong with the credentials
    except BrokerError as exc:
        raise BrokerError(
            f"no Kafka broker answers at {settings.bootstrap_servers}; "
            "start the pipeline with `doclane run` (or the broker with `doclane broker up`)"
        ) from exc
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
            spans = {}
            for tp in consumer.committed(partitions, timeout=timeout):
                low, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, tp.partition), timeout=timeout
                )
                position = tp.offset if tp.offset >= 0 else low
                spans[tp.partition] = (low, min(max(position, low), high), high)
            lags.append(_count(settings, stage, topic, group, spans=spans, timeout=timeout))
    finally:
        for consumer in consumers.values():
            consumer.close()
    return lags


def _count(
    settings: Settings,
    stage: str,
    topic: str,
    group: str,
    *,
    spans: dict[int, tuple[int, int, int]],
    timeout: float,
) -> StageLag:
    """Records, not offsets: transaction markers take offsets too, one or more per transaction."""
    offsets = sum(high - low for low, _position, high in spans.values())
    if offsets > COUNT_LIMIT:
        done = sum(position - low for low, position, _high in spans.values())
        return StageLag(stage, topic, group, offsets, done, offsets - done, exact=False)
    before = dict.fromkeys(spans, 0)
    after = dict.fromkeys(spans, 0)
    reader = Consumer(
        client_config(
            settings,
            **{
                "group.id": f"{group}-status-reader",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            },
        )
    )
    try:
        todo = {p: span for p, span in spans.items() if span[2] > span[0]}
        reader.assign([TopicPartition(topic, p, low) for p, (low, _pos, _high) in todo.items()])
        deadline = time.monotonic() + timeout * 3
        while todo and time.monotonic() < deadline:
            for message in reader.consume(1000, timeout=0.5):
                if message.error() is not None:
                    continue
                partition = message.partition()
                if message.offset() < spans[partition][1]:
                    before[partition] += 1
                else:
                    after[partition] += 1
            for tp in reader.position([TopicPartition(topic, p) for p in list(todo)]):
                if tp.offset >= todo[tp.partition][2]:
                    del todo[tp.partition]
    finally:
        reader.close()
    done, waiting = sum(before.values()), sum(after.values())
    return StageLag(stage, topic, group, done + waiting, done, waiting, exact=not todo)


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
