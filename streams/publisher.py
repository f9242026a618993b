"""Exactly-once publication of final results, with Kafka transactions.

The stages before it run at least once: a worker killed before committing its
offsets hands its partitions to another worker, which processes those records
again. The last stage therefore publishes through this class. For each
partition of its input it owns one transactional producer
(`transactional.id = <app id>-publish-<partition>`) and the set of document
ids already published from that partition. One transaction carries a
document's result (and its review copy) together with a marker record on the
`published` topic, so either both become visible to read_committed
consumers or neither does.

When a worker gets a partition it first calls `init_transactions` with that
partition's id, which fences the previous owner and aborts whatever it left
open, then reads the partition's markers up to their end. A record already
marked is skipped; anything else is published. A crash at any moment thus
leaves the results topic with each document once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from doclane.exceptions import DoclaneError
from doclane.kafka_clients import client_config
from doclane.settings import Settings
from doclane.topics import MAX_MESSAGE_BYTES

log = logging.getLogger("doclane.streams.publisher")

TRANSACTION_TIMEOUT_MS = 60_000
_RESTORE_TIMEOUT_S = 120.0
_IDLE_POLLS = 6


class PublishError(DoclaneError):
    reason_code = "publish_failed"
    transient = True  # the broker may be restarting; the record is tried again


@dataclass
class _Partition:
    producer: Producer
    published: set[bytes] = field(default_factory=set)


class ExactlyOncePublisher:
    """Publishes each document's outputs once per input partition, transactionally."""

    def __init__(self, settings: Settings, marker_topic: str) -> None:
        self.settings = settings
        self.marker_topic = marker_topic
        self._partitions: dict[int, _Partition] = {}
        self._lock = threading.Lock()  # the blocking calls run in executor threads

    async def publish(
        self, partition: int, key: bytes, outputs: Iterable[tuple[str, bytes]]
    ) -> bool:
        """Send `outputs` (topic, value) keyed by `key` in one transaction with the
        marker; False when this partition already published `key`."""
        outputs = list(outputs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._publish, partition, key, outputs)

    def revoke(self, partitions: Iterable[int]) -> None:
        """Forget partitions this worker no longer owns; a later owner re-reads them."""
        with self._lock:
            for partition in partitions:
                state = self._partitions.pop(partition, None)
                if state is not None:
                    state.producer.flush(5)

    def close(self) -> None:
        self.revoke(list(self._partitions))

    # -- in executor threads --------------------------------------------------

    def _publish(self, partition: int, key: bytes, outputs: list[tuple[str, bytes]]) -> bool:
        with self._lock:
            state = self._partitions.get(partition) or self._take_over(partition)
            if key in state.published:
                return False
            producer = state.producer
            try:
                producer.begin_transaction()
                for topic, value in outputs:
                    producer.produce(topic, key=key, value=value)
                producer.produce(self.marker_topic, key=key, value=b"1", partition=partition)
                producer.commit_transaction(TRANSACTION_TIMEOUT_MS / 1000)
            except KafkaException as exc:
                self._abandon(partition, state, exc)
                raise PublishError(f"could not publish the result transactionally: {exc}") from exc
            state.published.add(key)
            return True

    def _abandon(self, partition: int, state: _Partition, exc: KafkaException) -> None:
        """After a failed transaction: abort if possible, and start the partition over
        (a fenced or fatal producer cannot be used again)."""
        error = exc.args[0] if exc.args else None
        try:
            if error is not None and error.txn_requires_abort():
                state.producer.abort_transaction(30)
        except KafkaException:
            pass
        self._partitions.pop(partition, None)

    def _take_over(self, partition: int) -> _Partition:
        producer = Producer(
            client_config(
                self.settings,
                **{
                    "transactional.id": f"{self.settings.app_id}-publish-{partition}",
                    "transaction.timeout.ms": TRANSACTION_TIMEOUT_MS,
                    "message.max.bytes": MAX_MESSAGE_BYTES,
                    "linger.ms": 1,
                },
            )
        )
        producer.init_transactions(30)  # fences the previous owner, aborts its open work
        state = _Partition(producer, self._read_markers(partition))
        self._partitions[partition] = state
        log.info(
            "took over publishing for partition %d (%d documents already published)",
            partition,
            len(state.published),
        )
        return state

    def _read_markers(self, partition: int) -> set[bytes]:
        consumer = Consumer(
            client_config(
                self.settings,
                **{
                    "group.id": f"{self.settings.app_id}-publish-restore",
                    "enable.auto.commit": False,
                    "isolation.level": "read_committed",
                },
            )
        )
        published: set[bytes] = set()
        try:
            tp = TopicPartition(self.marker_topic, partition)
            _low, high = consumer.get_watermark_offsets(tp, timeout=30)
            if high <= 0:
                return published
            consumer.assign([TopicPartition(self.marker_topic, partition, 0)])
            deadline = time.monotonic() + _RESTORE_TIMEOUT_S
            idle_polls = 0
            # Done at the end offset; or after a few idle polls, when the last
            # offsets are transaction markers or aborted records no consumer sees.
            while consumer.position([tp])[0].offset < high and idle_polls < _IDLE_POLLS:
                if time.monotonic() > deadline:
                    raise PublishError(
                        f"could not read the published markers of partition {partition} "
                        f"within {_RESTORE_TIMEOUT_S:.0f} s"
                    )
                messages = consumer.consume(5000, timeout=0.5)
                idle_polls = 0 if messages else idle_polls + 1
                for message in messages:
                    if message.error() is None and message.key() is not None:
                        published.add(message.key())
        finally:
            consumer.close()
        return published


def partitions_of(assigned: Any, topic: str) -> list[int]:
    """The partition numbers of `topic` among Faust's assigned/revoked topic-partitions."""
    return sorted(tp.partition for tp in assigned if tp.topic == topic)
