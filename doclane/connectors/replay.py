"""Replay dead letters after a fix: `doclane dlq replay`.

Every dead letter keeps the original record (key and value) and where it came
from. Replaying sends that record back to its original topic, so the stage
that failed runs again on exactly the input it had. The replay consumer group
remembers how far it got: running the command twice replays nothing twice.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from doclane.exceptions import BrokerError, CodecError
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import Codecs, TopicNames


@dataclass
class ReplaySummary:
    replayed: Counter[str] = field(default_factory=Counter)  # by reason code
    skipped: Counter[str] = field(default_factory=Counter)  # by why
    seen: int = 0  # dead letters read, replayed or not

    @property
    def total(self) -> int:
        return sum(self.replayed.values())


def replay_dead_letters(
    settings: Settings,
    *,
    reason_code: str | None = None,
    stage: str | None = None,
    dry_run: bool = False,
    timeout: float = 30.0,
) -> ReplaySummary:
    names = TopicNames.from_prefix(settings.topic_prefix)
    codecs = Codecs.from_settings(settings)
    consumer = Consumer(
        client_config(
            settings,
            **{
                "group.id": f"{settings.app_id}-dlq-replay",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "isolation.level": "read_committed",
            },
        )
    )
    producer = Producer(client_config(settings, **{"enable.idempotence": True, "acks": "all"}))
    summary = ReplaySummary()
    try:
        metadata = consumer.list_topics(names.dlq, timeout=10).topics.get(names.dlq)
        if metadata is None or metadata.error is not None:
            raise BrokerError(f"the dead-letter topic {names.dlq} does not exist")
        partitions = [TopicPartition(names.dlq, p) for p in metadata.partitions]
        watermarks = {
            tp.partition: consumer.get_watermark_offsets(tp, timeout=10) for tp in partitions
        }
        consumer.subscribe([names.dlq])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in consumer.consume(500, timeout=0.5):
                if message.error() is not None:
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        summary.skipped["consumer error"] += 1
                    continue
                _replay_one(
                    message,
                    codecs,
                    producer,
                    names,
                    summary,
                    reason_code=reason_code,
                    stage=stage,
                    dry_run=dry_run,
                )
            if _caught_up(consumer, watermarks):
                break
        if producer.flush(30):
            raise BrokerError("replayed records were not all delivered; nothing was committed")
        if not dry_run and summary.seen:
            consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    return summary


def _caught_up(consumer: Consumer, watermarks: dict[int, tuple[int, int]]) -> bool:
    """Every assigned partition read to the end it had when the replay started."""
    assignment = consumer.assignment()
    if not assignment:
        return False
    committed = {tp.partition: tp.offset for tp in consumer.committed(assignment, timeout=10)}
    for tp in consumer.position(assignment):
        low, high = watermarks.get(tp.partition, (0, 0))
        position = tp.offset if tp.offset >= 0 else max(committed.get(tp.partition, -1), low)
        if position < high:
            return False
    return True


def _replay_one(
    message: Message,
    codecs: Codecs,
    producer: Producer,
    names: TopicNames,
    summary: ReplaySummary,
    *,
    reason_code: str | None,
    stage: str | None,
    dry_run: bool,
) -> None:
    summary.seen += 1
    try:
        letter = codecs.dead_letter.decode(message.value(), names.dlq)
    except CodecError:
        summary.skipped["unreadable dead letter"] += 1
        return
    if (reason_code and letter["reason_code"] != reason_code) or (
        stage and letter["stage"] != stage
    ):
        summary.skipped["filtered out"] += 1
        return
    if letter["original_value"] is None or not letter["original_topic"]:
        summary.skipped["original record not kept"] += 1
        return
    if not dry_run:
        producer.produce(
            letter["original_topic"], key=letter["original_key"], value=letter["original_value"]
        )
        producer.poll(0)
    summary.replayed[letter["reason_code"]] += 1
