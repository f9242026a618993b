"""Replay dead letters after a fix: `doclane dlq replay`, exactly once per letter.

Every dead letter keeps the original record (key and value) and where it came
from. Replaying sends that record back to its original topic, so the stage
that failed runs again on exactly the input it had.

Each letter is replayed once, whatever the filters of earlier runs:
- a marker per replayed letter (`<prefix>replayed`, compacted, keyed by the
  letter's partition and offset) travels in the same Kafka transaction as the
  re-sent records and the replay group's offsets, so a replay killed midway
  leaves either a whole batch or nothing, and the next run carries on;
- the group's offset only moves past letters that are settled (replayed, or
  never replayable because the original was not kept or the letter cannot be
  read). A letter left out by `--reason` or `--stage` holds the offset, so a
  later run with another filter still finds it.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from doclane.exceptions import BrokerError, CodecError
from doclane.settings import Settings
from doclane.wire.clients import client_config, watermarks
from doclane.wire.security import check_kafka_access
from doclane.wire.topics import Codecs, TopicNames, create_topics, replayed_topic

LETTERS_PER_TRANSACTION = 200
_TRANSACTION_TIMEOUT_MS = 60_000
_COORDINATOR_WAIT_S = 30.0  # a broker just started may still be loading its group coordinator
_COORDINATOR_MOVING = frozenset(
    {
        KafkaError.NOT_COORDINATOR,
        KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
        KafkaError.COORDINATOR_NOT_AVAILABLE,
        KafkaError._TIMED_OUT,
    }
)


@dataclass
class ReplaySummary:
    replayed: Counter[str] = field(default_factory=Counter)  # by reason code
    skipped: Counter[str] = field(default_factory=Counter)  # by why
    seen: int = 0  # dead letters read, replayed or not

    @property
    def total(self) -> int:
        return sum(self.replayed.values())


@dataclass(frozen=True)
class _Filter:
    reason_code: str | None
    stage: str | None

    def keeps(self, letter: dict[str, Any]) -> bool:
        return (not self.reason_code or letter["reason_code"] == self.reason_code) and (
            not self.stage or letter["stage"] == self.stage
        )


@dataclass
class _PartitionProgress:
    """How far the settled prefix of one DLQ partition reaches."""

    committed: int  # the offset the group may commit: every letter before it is settled
    blocked: bool = False  # a letter kept for a later run sits at `committed`

    def settle(self, offset: int) -> None:
        if not self.blocked and offset == self.committed:
            self.committed = offset + 1

    def hold(self) -> None:
        self.blocked = True


def replay_dead_letters(
    settings: Settings,
    *,
    reason_code: str | None = None,
    stage: str | None = None,
    dry_run: bool = False,
    timeout: float = 60.0,
    letters_per_transaction: int = LETTERS_PER_TRANSACTION,
) -> ReplaySummary:
    check_kafka_access(settings)
    create_topics(settings)  # the markers topic, for stores older than it
    replay = _Replay(settings, _Filter(reason_code, stage), dry_run=dry_run)
    try:
        replay.run(timeout, letters_per_transaction)
    finally:
        replay.close()
    return replay.summary


class _Replay:
    """One run: reads the DLQ to the end it had at the start, re-sends what it may."""

    def __init__(self, settings: Settings, wanted: _Filter, *, dry_run: bool) -> None:
        self.settings = settings
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.markers = replayed_topic(settings)
        self.codecs = Codecs.from_settings(settings)
        self.wanted = wanted
        self.summary = ReplaySummary()
        self.consumer = Consumer(
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
        self.producer = None if dry_run else _transactional_producer(settings)
        self.progress: dict[int, _PartitionProgress] = {}
        self.done: set[bytes] = set()

    def run(self, timeout: float, letters_per_transaction: int) -> None:
        self.done = _replayed_markers(self.settings, self.markers, timeout)
        dlq = self.names.dlq
        spans = _spans(self.consumer, dlq, from_committed=True)
        self.progress = {p: _PartitionProgress(span.start) for p, span in spans.items()}
        self.consumer.assign([TopicPartition(dlq, p, s.start) for p, s in spans.items()])
        batch: list[tuple[Message, dict[str, Any]]] = []
        deadline = time.monotonic() + timeout
        while not all(span.done for span in spans.values()):
            if time.monotonic() > deadline:
                raise BrokerError(f"{dlq} was not read to its end within {timeout:.0f} s")
            messages = self.consumer.consume(500, timeout=0.5)
            for message in messages:
                if message.error() is not None:
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        raise BrokerError(f"cannot read {dlq}: {message.error()}")
                    continue
                span = spans[message.partition()]
                if message.offset() >= span.end:
                    continue  # arrived after the replay started: the next run's
                span.advance(
                    self.consumer, TopicPartition(dlq, message.partition()), message.offset()
                )
                letter = self._decide(message)
                if letter is not None:
                    batch.append((message, letter))
                if self.producer is not None and len(batch) >= letters_per_transaction:
                    self._publish(batch)
                    batch = []
            if not messages:
                for partition, span in spans.items():
                    span.advance(self.consumer, TopicPartition(dlq, partition), None)
        if self.producer is not None:
            self._publish(batch)

    def close(self) -> None:
        self.consumer.close()

    def _decide(self, message: Message) -> dict[str, Any] | None:
        """The letter when it is to be replayed now; otherwise why not, counted."""
        self.summary.seen += 1
        where = self.progress[message.partition()]
        try:
            letter = self.codecs.dead_letter.decode(message.value(), self.names.dlq)
        except CodecError:
            return self._settled(where, message, "unreadable dead letter")
        replayable = letter["original_value"] is not None and bool(letter["original_topic"])
        if not self.wanted.keeps(letter):
            self.summary.skipped["filtered out"] += 1
            if replayable and _marker_key(message) not in self.done:
                where.hold()  # for a later run with another filter
            else:
                where.settle(message.offset())
            return None
        if _marker_key(message) in self.done:
            return self._settled(where, message, "already replayed")
        if not replayable:
            return self._settled(where, message, "original record not kept")
        self.summary.replayed[letter["reason_code"]] += 1
        return letter

    def _settled(self, where: _PartitionProgress, message: Message, why: str) -> None:
        self.summary.skipped[why] += 1
        where.settle(message.offset())

    def _publish(self, batch: list[tuple[Message, dict[str, Any]]]) -> None:
        """The originals, their markers and the group's settled offsets, in one transaction."""
        assert self.producer is not None
        producer = self.producer
        for message, _letter in batch:
            self.progress[message.partition()].settle(message.offset())
        offsets = [
            TopicPartition(self.names.dlq, p, s.committed) for p, s in sorted(self.progress.items())
        ]
        try:
            producer.begin_transaction()
            for message, letter in batch:
                producer.produce(
                    letter["original_topic"],
                    key=letter["original_key"],
                    value=letter["original_value"],
                )
                producer.produce(
                    self.markers, key=_marker_key(message), value=letter["reason_code"].encode()
                )
            producer.send_offsets_to_transaction(
                offsets, self.consumer.consumer_group_metadata(), 30
            )
            producer.commit_transaction(30)
        except KafkaException as exc:
            _abort(producer)
            raise BrokerError(
                f"the replay transaction failed; nothing of it was kept: {exc}"
            ) from exc


def _abort(producer: Producer) -> None:
    # If this fails too, the broker aborts the transaction itself when it times out.
    with contextlib.suppress(KafkaException):
        producer.abort_transaction(10)


def _transactional_producer(settings: Settings) -> Producer:
    producer = Producer(
        client_config(
            settings,
            **{
                # One id for every replay of this app: a new run fences a killed one and
                # the broker aborts whatever the killed run left open.
                "transactional.id": f"{settings.app_id}-dlq-replay",
                "transaction.timeout.ms": _TRANSACTION_TIMEOUT_MS,
                "enable.idempotence": True,
                "acks": "all",
            },
        )
    )
    try:
        producer.init_transactions(30)
    except KafkaException as exc:
        raise BrokerError(f"cannot start a replay transaction: {exc}") from exc
    return producer


def _replayed_markers(settings: Settings, topic: str, timeout: float) -> set[bytes]:
    """Keys of the letters replayed by earlier runs (committed transactions only)."""
    reader = Consumer(
        client_config(
            settings,
            **{
                "group.id": f"{settings.app_id}-dlq-replay-markers",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            },
        )
    )
    try:
        spans = _spans(reader, topic, from_committed=False)
        reader.assign([TopicPartition(topic, p, s.start) for p, s in spans.items()])
        keys: set[bytes] = set()
        deadline = time.monotonic() + timeout
        while not all(span.done for span in spans.values()):
            if time.monotonic() > deadline:
                raise BrokerError(f"{topic} was not read to its end within {timeout:.0f} s")
            messages = reader.consume(1000, timeout=0.5)
            for message in messages:
                if message.error() is None and message.key() is not None:
                    keys.add(message.key())
                    spans[message.partition()].next = message.offset() + 1
            for partition, span in spans.items():
                span.advance(reader, TopicPartition(topic, partition), None)
        return keys
    finally:
        reader.close()


@dataclass
class _Span:
    """One partition to read: from where, up to the end it had when the run started."""

    start: int
    end: int
    next: int  # the next offset to read, as far as this reader has seen

    def advance(self, consumer: Consumer, tp: TopicPartition, offset: int | None) -> None:
        if offset is not None:
            self.next = max(self.next, offset + 1)
        # Transaction markers take offsets no consumer sees; the position counts them.
        position = consumer.position([tp])[0].offset
        if position >= 0:
            self.next = max(self.next, position)

    @property
    def done(self) -> bool:
        return self.next >= self.end


def _spans(consumer: Consumer, topic: str, *, from_committed: bool) -> dict[int, _Span]:
    """Every partition of `topic`, from the group's committed offset (or its start) to its end."""
    metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if metadata is None or metadata.error is not None:
        raise BrokerError(f"the topic {topic} does not exist")
    partitions = [TopicPartition(topic, p) for p in sorted(metadata.partitions)]
    committed = {tp.partition: tp.offset for tp in _committed(consumer, partitions)}
    spans = {}
    for tp in partitions:
        low, high = watermarks(consumer, tp)
        start = max(low, committed.get(tp.partition, -1)) if from_committed else low
        spans[tp.partition] = _Span(start, high, start)
    return spans


def _committed(consumer: Consumer, partitions: list[TopicPartition]) -> list[TopicPartition]:
    """The group's committed offsets, waiting out a coordinator that is still loading."""
    deadline = time.monotonic() + _COORDINATOR_WAIT_S
    while True:
        try:
            committed: list[TopicPartition] = consumer.committed(partitions, timeout=10)
            return committed
        except KafkaException as exc:
            if exc.args[0].code() not in _COORDINATOR_MOVING or time.monotonic() > deadline:
                raise BrokerError(f"cannot read the replay group's offsets: {exc}") from exc
            time.sleep(0.5)


def _marker_key(message: Message) -> bytes:
    return f"{message.partition()}|{message.offset()}".encode()
