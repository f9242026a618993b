"""Exactly-once outputs, with Kafka transactions.

The stages run at least once: a worker killed before committing its offsets
hands its partitions to another worker, which processes those records again.
What leaves the topology goes through this class instead of a plain send:
the last stage's result (and its review copy), and every stage's dead letters
and retries. For each input topic-partition it owns one transactional producer
(`transactional.id = <app id>-<name>-<topic>-<partition>`) and the set of
markers already published from it. One transaction carries the outputs
together with a marker record, so either both become visible to
read_committed consumers or neither does.

When a worker gets a partition it first calls `init_transactions` with that
id, which fences the previous owner and aborts whatever it left open, then
reads the partition's markers. An input already marked is skipped; anything
else is published. A crash at any moment leaves each output once.
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
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import MAX_MESSAGE_BYTES

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


Output = tuple[
    str, bytes | None, bytes, list[tuple[str, bytes]] | None
]  # topic, key, value, headers


class ExactlyOncePublisher:
    """Publishes what one input record leads to, once, transactionally.

    State is kept per input topic-partition; `name` tells publishers apart in
    their transactional ids, and each has its own marker topic, partitioned
    like the input topics.
    """

    def __init__(self, settings: Settings, marker_topic: str, name: str) -> None:
        self.settings = settings
        self.marker_topic = marker_topic
        self.name = name
        self._partitions: dict[tuple[str, int], _Partition] = {}
        self._lock = threading.Lock()  # the blocking calls run in executor threads

    async def publish(
        self, source: tuple[str, int], marker: bytes, outputs: Iterable[Output]
    ) -> bool:
        """Send `outputs` in one transaction with `marker`; False when the input
        topic-partition `source` already published that marker."""
        outputs = list(outputs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._publish, source, marker, outputs)

    async def publish_batch(
        self, source: tuple[str, int], batch: list[tuple[bytes, list[Output]]]
    ) -> list[bool]:
        """Send each (marker, outputs) of `batch` in one transaction; per item, False when
        the input topic-partition `source` had already published that marker."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._publish_batch, source, batch)

    def revoke(self, sources: Iterable[tuple[str, int]]) -> None:
        """Forget input partitions this worker no longer owns; a later owner re-reads them."""
        with self._lock:
            for source in sources:
                state = self._partitions.pop(source, None)
                if state is not None:
                    state.producer.flush(5)

    def close(self) -> None:
        self.revoke(list(self._partitions))

    # -- in executor threads --------------------------------------------------

    def _publish(self, source: tuple[str, int], marker: bytes, outputs: list[Output]) -> bool:
        return self._publish_batch(source, [(marker, outputs)])[0]

    def _publish_batch(
        self, source: tuple[str, int], batch: list[tuple[bytes, list[Output]]]
    ) -> list[bool]:
        with self._lock:
            state = self._partitions.get(source) or self._take_over(source)
            sent: list[bool] = []
            in_batch: set[bytes] = set()
            for marker, _outputs in batch:  # a marker twice in one batch: published once
                sent.append(marker not in state.published and marker not in in_batch)
                in_batch.add(marker)
            if not any(sent):
                return sent
            producer = state.producer
            try:
                producer.begin_transaction()
                for (marker, outputs), publish in zip(batch, sent, strict=True):
                    if not publish:
                        continue
                    for topic, key, value, headers in outputs:
                        producer.produce(topic, key=key, value=value, headers=headers)
                    producer.produce(self.marker_topic, key=marker, value=b"1", partition=source[1])
                producer.commit_transaction(TRANSACTION_TIMEOUT_MS / 1000)
            except KafkaException as exc:
                self._abandon(source, state, exc)
                raise PublishError(f"could not publish transactionally: {exc}") from exc
            state.published.update(
                m for (m, _), publish in zip(batch, sent, strict=True) if publish
            )
            return sent

    def _abandon(self, source: tuple[str, int], state: _Partition, exc: KafkaException) -> None:
        """After a failed transaction: abort if possible, and start the partition over
        (a fenced or fatal producer cannot be used again)."""
        error = exc.args[0] if exc.args else None
        try:
            if error is not None and error.txn_requires_abort():
                state.producer.abort_transaction(30)
        except KafkaException:
            pass
        self._partitions.pop(source, None)

    def _take_over(self, source: tuple[str, int]) -> _Partition:
        topic, partition = source
        producer = Producer(
            client_config(
                self.settings,
                **{
                    "transactional.id": f"{self.settings.app_id}-{self.name}-{topic}-{partition}",
                    "transaction.timeout.ms": TRANSACTION_TIMEOUT_MS,
                    "message.max.bytes": MAX_MESSAGE_BYTES,
                    "linger.ms": 1,
                },
            )
        )
        try:
            # Fences the previous owner and waits until its open transaction is
            # aborted: one a killed worker left open ends by timing out.
            producer.init_transactions(TRANSACTION_TIMEOUT_MS / 1000 + 15)
        except KafkaException as exc:
            raise PublishError(f"could not take over {topic}[{partition}]: {exc}") from exc
        state = _Partition(producer, self._read_markers(partition))
        self._partitions[source] = state
        log.info(
            "took over %s for %s[%d] (%d markers)",
            self.name,
            topic,
            partition,
            len(state.published),
        )
        return state

    def _read_markers(self, partition: int) -> set[bytes]:
        consumer = Consumer(
            client_config(
                self.settings,
                **{
                    "group.id": f"{self.settings.app_id}-{self.name}-restore",
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


def topic_partitions(assigned: Any) -> list[tuple[str, int]]:
    """Faust's assigned/revoked topic-partitions as (topic, partition) pairs."""
    return sorted((tp.topic, tp.partition) for tp in assigned)
