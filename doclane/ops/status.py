"""Pipeline state: records produced, consumed and lagging, per stage."""

from __future__ import annotations

from dataclasses import dataclass

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
