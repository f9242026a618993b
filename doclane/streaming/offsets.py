"""Offset commits that never pass a record nobody handled.

Faust commits, per partition, the end of the first run of acknowledged
offsets. Three habits of its bookkeeping let that run pass records that
were fetched but never handled (`make chaos` lost documents around
rebalances and worker kills):

1. When the fetched offsets jump (a transaction marker, a compacted record),
   the gap it records includes the record being delivered, so that record
   counts as done before any stream has seen it.
2. The commit tolerates one missing offset just after the committed one
   (meant for a marker there). A record dropped from a stream's buffer at a
   rebalance is skipped that way.
3. After a seek the read position is the committed offset itself, so a
   marker at exactly that offset is never seen as a gap: hence habit 2.
4. A stream that takes a record from its buffer while flow is stopped (a
   rebalance, a shutdown) skips it and acknowledges it. At a SIGTERM the
   commit that follows passed every record still buffered (`make chaos
   SCENARIO=scale`: 197 of 2000 lost when one worker of three left).

5. A record fetched from before a seek can arrive after it, so the offsets
   jump and the records in between, still being handled or dropped, count as
   a gap (seen after every rebalance: the first five or so records of each
   partition; two of them lost in a `make chaos SCENARIO=scale` run).

`StrictOffsets` fixes them where they happen: the commit stops at the first
offset neither acknowledged nor in a gap; a gap holds only offsets the
broker, asked directly, holds no record at (a fact that stays true, so a
gap found once is never wrong); after a seek the read position is one
before the committed offset (a partition never committed starts at its
first offset); and an acknowledgement counts only for a record a stream
took to handle.

A strict commit turns a lost record into a waiting partition, which
`StallWatch` repairs. A partition whose committed offset has not moved for a
while, though its reader is past that offset and the record there is not in
flight (or was taken by a stream minutes ago and never finished), is looked
up on the broker: when that offset holds no record, it becomes a gap; when
it holds one, the partition is sought back and read again. The stages run
at least once and the last one publishes each document once, so a record
read twice is published once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaError, TopicPartition

from doclane.settings import Settings
from doclane.wire.clients import client_config

log = logging.getLogger("doclane.streams.offsets")

# A committed offset unmoved this long, with its record neither in flight nor
# done, is looked at. Each further look at the same offset waits twice as long.
STALLED_AFTER_SECONDS = 15.0
MAX_STALL_WAIT_SECONDS = 600.0
# A record a stream took and has not finished after this long is not being
# handled any more (the parse pool stops any document far sooner).
LOST_IN_FLIGHT_SECONDS = 180.0
PROBE_TIMEOUT_SECONDS = 10.0


# What the broker holds from an offset on: the first record's offset, or None
# when there is no record up to the end.
Probe = Callable[[str, int, int], "int | None"]


def first_unfinished(
    acked: list[int], gaps: Iterable[tuple[int, int]], committed: int | None
) -> int | None:
    """The offset to commit: the first one, from `committed` on, neither
    acknowledged nor in a gap ([begin, end) ranges no fetch returned); None
    when that is `committed` itself. `acked` is sorted in place and loses the
    offsets the answer passes."""
    if not acked:
        return None
    acked.sort()
    done = set(acked)
    for begin, end in gaps:
        done.update(range(begin, end))
    offset = acked[0] if committed is None else committed
    while offset in done:
        offset += 1
    passed = 0
    while passed < len(acked) and acked[passed] < offset:
        passed += 1
    del acked[:passed]
    if committed is not None and offset <= committed:
        return None
    return offset


class StrictOffsets:
    """Mixed in before Faust's Kafka consumer class (see `strict_consumer_class`)."""

    # What the broker holds from an offset on (see `Probe`); set by strict_consumer_class.
    gap_probe: Probe
    _acked: Any
    _acked_index: Any
    _unacked_messages: Any
    _gap: Any
    _committed_offset: Any
    _read_offset: Any

    def ack(self, message: Any) -> bool:
        # A stream marks a record `tracked` when it takes it to handle; one skipped
        # (flow stopped, or from an older generation) is acknowledged untracked, and so is
        # one the agent raised on (streaming/app.py marks it).
        if not message.tracked:
            self._unacked_messages.discard(message)  # nothing waits on it: it is read again
            return False
        done: bool = super().ack(message)  # type: ignore[misc]
        return done

    def _new_offset(self, tp: Any) -> int | None:
        acked = self._acked[tp]
        if not acked:
            return None
        gaps = self._gap[tp]
        upto = max(acked) + 1
        spans = [(g.begin, min(g.end, upto)) for g in gaps.overlap(0, upto)] if gaps else []
        passed = list(acked)
        offset = first_unfinished(acked, spans, self._committed_offset[tp])
        if offset is None:
            return None
        if gaps:
            gaps.chop(0, offset)
        self._acked_index[tp].difference_update(o for o in passed if o < offset)
        return offset

    async def _add_gap(self, tp: Any, offset_from: int, offset_to: int) -> None:
        # Faust passes the offset being delivered as `offset_to`: the gap ends
        # before it, and it never starts before the committed offset. It is a
        # gap only once the broker says so; the commit waits until then.
        committed = self._committed_offset[tp]
        begin = offset_from if committed is None else max(offset_from, committed)
        if begin < offset_to:
            checks: set[asyncio.Task[None]] = self.__dict__.setdefault("_gap_checks", set())
            task = asyncio.ensure_future(self._check_gap(tp, begin, offset_to))
            checks.add(task)
            task.add_done_callback(checks.discard)

    async def _check_gap(self, tp: Any, begin: int, end: int) -> None:
        try:
            first = await asyncio.to_thread(self.gap_probe, tp.topic, tp.partition, begin)
        except Exception:  # unchecked: no gap, and the commit waits for the watch
            log.exception("could not ask the broker about %s[%d] %d", tp.topic, tp.partition, begin)
            return
        upto = end if first is None else min(first, end)
        add_gap(self._gap[tp], self._committed_offset[tp], begin, upto)

    async def perform_seek(self) -> None:
        committed = await self.seek_to_committed()  # type: ignore[attr-defined]
        starts = {
            _tp(tp): offset
            for tp, offset in committed.items()
            if offset is not None and offset >= 0
        }
        never = [_tp(tp) for tp in committed if _tp(tp) not in starts]
        if never:  # read from the first offset (auto_offset_reset is earliest)
            earliest = await self.earliest_offsets(*never)  # type: ignore[attr-defined]
            starts.update({_tp(tp): offset for tp, offset in earliest.items()})
        for tp, offset in starts.items():
            self._committed_offset[tp] = offset
            self._read_offset[tp] = offset - 1


def add_gap(gaps: Any, committed: int | None, begin: int, end: int) -> None:
    """Offsets [begin, end) no fetch returned, from the committed offset on."""
    if committed is not None:
        begin = max(begin, committed)
    if begin < end:
        gaps.addi(begin, end)
        gaps.merge_overlaps()


def strict_consumer_class(base: type, probe: Probe) -> type:
    """Faust's consumer class with `StrictOffsets` in front of it."""
    return type(f"Strict{base.__name__}", (StrictOffsets, base), {"gap_probe": staticmethod(probe)})


@dataclass
class _Head:
    offset: int
    since: float
    wait: float


@dataclass
class StallWatch:
    """Finds partitions whose commit waits on a record nobody handles, and repairs them."""

    probe: Probe
    stalled_after: float = STALLED_AFTER_SECONDS
    lost_after: float = LOST_IN_FLIGHT_SECONDS
    patient_topics: frozenset[str] = frozenset()  # their records wait in flight on purpose
    rewinds: int = 0
    holes: int = 0
    _heads: dict[Any, _Head] = field(default_factory=dict)
    _taken_at: dict[tuple[Any, int], float] = field(default_factory=dict)

    def waiting(
        self,
        committed: dict[Any, int | None],
        read: dict[Any, int | None],
        in_flight: Iterable[tuple[Any, int]],
        now: float,
    ) -> list[tuple[Any, int, bool]]:
        """(partition, committed offset, whether the reader is past it) for each
        partition whose commit has waited long enough with its record not live in
        flight: one read past it lost the record; one not read that far (a fetch
        that never resumed) has not been given it."""
        live = self._live(in_flight, now)
        found: list[tuple[Any, int, bool]] = []
        for tp, head in committed.items():
            if head is None or (tp, head) in live:
                self._heads.pop(tp, None)
                continue
            seen = self._heads.get(tp)
            if seen is None or seen.offset != head:
                seen = self._heads[tp] = _Head(head, now, self.stalled_after)
            if now - seen.since >= seen.wait:
                position = read.get(tp)
                found.append((tp, head, position is not None and position >= head))
                seen.since = now
                seen.wait = min(seen.wait * 2, MAX_STALL_WAIT_SECONDS)
        for tp in [tp for tp in self._heads if tp not in committed]:
            del self._heads[tp]
        return found

    def _live(self, in_flight: Iterable[tuple[Any, int]], now: float) -> set[tuple[Any, int]]:
        """The records in flight that may still finish."""
        taken = set(in_flight)
        self._taken_at = {key: self._taken_at.get(key, now) for key in taken}
        return {
            (tp, offset)
            for (tp, offset), at in self._taken_at.items()
            if tp.topic in self.patient_topics or now - at < self.lost_after
        }

    async def repair(self, consumer: Any) -> int:
        """Look at the waiting partitions of a Faust consumer; the number repaired."""
        if getattr(consumer.app, "rebalancing", False):
            return 0
        tps = [tp for tp in consumer.assignment() if _acked_topic(consumer, tp)]
        committed = {tp: consumer._committed_offset.get(tp) for tp in tps}
        read = {tp: consumer._read_offset.get(tp) for tp in tps}
        in_flight = [(m.tp, m.offset) for m in list(consumer._unacked_messages) if not m.acked]
        repaired = 0
        for tp, head, fetched in self.waiting(committed, read, in_flight, time.monotonic()):
            if fetched:
                repaired += await self._lost_or_hole(consumer, tp, head)
            else:
                repaired += await self._never_fetched(consumer, tp, head)
        return repaired

    async def _lost_or_hole(self, consumer: Any, tp: Any, head: int) -> int:
        """The reader is past `head`, whose record is neither done nor in flight."""
        first = await asyncio.to_thread(self.probe, tp.topic, tp.partition, head)
        if consumer._committed_offset.get(tp) != head or tp not in consumer.assignment():
            return 0  # moved on meanwhile
        if first is None or first > head:
            end = first if first is not None else (await consumer.highwaters(tp))[tp]
            add_gap(consumer._gap[tp], head, head, end)
            self.holes += 1
            log.info("%s[%d]: offsets %d-%d hold no record", tp.topic, tp.partition, head, end - 1)
            return 1
        log.warning(
            "%s[%d]: the record at offset %d was fetched and never handled; "
            "reading the partition again from there",
            tp.topic,
            tp.partition,
            head,
        )
        await self._read_again(consumer, tp, head)
        return 1

    async def _never_fetched(self, consumer: Any, tp: Any, head: int) -> int:
        """The reader never got to `head`: when the partition has records there, its
        fetch stopped (paused and never resumed, or stuck on a lost leader)."""
        end = (await consumer.highwaters(tp)).get(tp)
        if end is None or end <= head or consumer._committed_offset.get(tp) != head:
            return 0
        if consumer._gap[tp].overlaps(head):
            return 0  # known to hold no record: nothing waits there
        first = await asyncio.to_thread(self.probe, tp.topic, tp.partition, head)
        if first is None or first >= end:  # only transaction markers up to the end
            add_gap(consumer._gap[tp], head, head, end)
            self.holes += 1
            return 1
        log.warning(
            "%s[%d]: %d records wait from offset %d and none was fetched; "
            "resuming the partition and reading it from there",
            tp.topic,
            tp.partition,
            end - head,
            head,
        )
        consumer.resume_partitions([tp])
        await self._read_again(consumer, tp, head)
        return 1

    async def _read_again(self, consumer: Any, tp: Any, head: int) -> None:
        for message in list(consumer._unacked_messages):
            if message.tp == tp:  # never finishing: rebalances must not wait for it
                consumer._unacked_messages.discard(message)
        await consumer.seek(tp, head)
        consumer._read_offset[tp] = None  # take whatever comes first after the seek
        self.rewinds += 1


class BrokerProbe:
    """Reads, with a group-less consumer, which offset holds a partition's next record."""

    def __init__(self, settings: Settings, *, group: str) -> None:
        self.settings = settings
        self.group = group
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()  # called from several threads (asyncio.to_thread)

    def __call__(self, topic: str, partition: int, offset: int) -> int | None:
        with self._lock:
            return self._first_record(topic, partition, offset)

    def _first_record(self, topic: str, partition: int, offset: int) -> int | None:
        if self._consumer is None:
            self._consumer = Consumer(
                client_config(
                    self.settings,
                    **{
                        "group.id": self.group,
                        "enable.auto.commit": False,
                        "enable.partition.eof": True,
                        "auto.offset.reset": "earliest",  # past retention: the first one left
                        "fetch.wait.max.ms": 10,  # at the end, say so at once
                        "isolation.level": "read_uncommitted",  # what Faust's consumer reads
                    },
                )
            )
        consumer = self._consumer
        consumer.assign([TopicPartition(topic, partition, offset)])
        deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
        try:
            while time.monotonic() < deadline:
                message = consumer.poll(0.5)
                if message is None:
                    continue
                error = message.error()
                if error is None:
                    return int(message.offset())
                if error.code() == KafkaError._PARTITION_EOF:
                    return None
            return offset  # no answer: assume a record is there (reading again is safe)
        finally:
            consumer.unassign()

    def close(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.close()
                self._consumer = None


def _tp(tp: Any) -> Any:
    from faust.types import TP

    return TP(tp.topic, tp.partition)


def _acked_topic(consumer: Any, tp: Any) -> bool:
    return bool(consumer.app.topics.acks_enabled_for(tp.topic)) and not consumer._is_changelog_tp(
        tp
    )
