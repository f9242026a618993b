"""Offset commits: never past a record nobody handled; waiting partitions repaired."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from faust.types import TP
from hypothesis import given
from hypothesis import strategies as st
from intervaltree import IntervalTree

from doclane.streaming.offsets import (
    StallWatch,
    StrictOffsets,
    first_unfinished,
    strict_consumer_class,
)

STAGE = TP("doclane.extracted", 3)
RETRY = TP("doclane.retry.extract", 0)


def test_commits_the_end_of_the_first_run_of_done_offsets() -> None:
    acked = [12, 10, 11, 14]
    assert first_unfinished(acked, [], committed=10) == 13
    assert acked == [14]  # what the commit passed is forgotten


def test_never_commits_past_a_missing_offset_just_after_the_committed_one() -> None:
    # Faust lets this one through; it is how a dropped record was lost.
    acked = [11, 12, 13]
    assert first_unfinished(acked, [], committed=10) is None
    assert acked == [11, 12, 13]


def test_a_gap_no_fetch_returned_counts_as_done() -> None:
    assert first_unfinished([11, 12], [(10, 11)], committed=10) == 13
    assert first_unfinished([15], [(10, 15)], committed=10) == 16


def test_a_partition_never_committed_starts_at_its_first_acknowledged_offset() -> None:
    assert first_unfinished([0, 1, 2, 4], [], committed=None) == 3


@given(
    committed=st.integers(0, 30),
    done=st.sets(st.integers(0, 60), max_size=40),
    holes=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 5)), max_size=4),
)
def test_the_commit_is_the_first_offset_neither_done_nor_a_hole(
    committed: int, done: set[int], holes: list[tuple[int, int]]
) -> None:
    acked = sorted(o for o in done if o >= committed)
    gaps = [(begin, begin + size) for begin, size in holes]
    in_gaps = {o for begin, end in gaps for o in range(begin, end)}
    expected = committed
    while expected in done or expected in in_gaps:
        expected += 1
    answer = first_unfinished(list(acked), gaps, committed)
    if not acked or expected == committed:
        assert answer is None
    else:
        assert answer == expected


class _Message:
    def __init__(self, tp: Any, offset: int, *, tracked: bool = True) -> None:
        self.tp, self.offset, self.acked, self.tracked = tp, offset, False, tracked


class _FaustConsumerDouble:
    """The state Faust's consumer keeps per partition, and the calls StrictOffsets makes."""

    def __init__(self, committed: dict[Any, int | None], earliest: dict[Any, int]) -> None:
        self._acked: dict[Any, list[int]] = defaultdict(list)
        self._acked_index: dict[Any, set[int]] = defaultdict(set)
        self._gap: dict[Any, IntervalTree] = defaultdict(IntervalTree)
        self._committed_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._read_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._unacked_messages: set[Any] = set()
        self.broker_committed = committed
        self.earliest = earliest

    def ack(self, message: Any) -> bool:
        self._acked[message.tp].append(message.offset)
        return True

    async def seek_to_committed(self) -> dict[Any, int | None]:
        return dict(self.broker_committed)

    async def earliest_offsets(self, *tps: Any) -> dict[Any, int]:
        return {tp: self.earliest[tp] for tp in tps}


def _broker_with_records_at(*offsets: int) -> Any:
    """A probe over a partition holding records at `offsets`."""

    def first_from(topic: str, partition: int, offset: int) -> int | None:
        return min((o for o in offsets if o >= offset), default=None)

    return first_from


Strict = strict_consumer_class(_FaustConsumerDouble, _broker_with_records_at(*range(41, 100)))


def _report_gap(consumer: Any, begin: int, delivered: int) -> None:
    """Faust's fetch loop reporting a jump, and the broker's answer about it."""

    async def run() -> None:
        await consumer._add_gap(STAGE, begin, delivered)
        await asyncio.gather(*consumer.__dict__.get("_gap_checks", ()))

    asyncio.run(run())


def test_the_consumer_class_puts_strict_offsets_first() -> None:
    assert Strict.__mro__[1] is StrictOffsets


def test_after_a_seek_a_marker_at_the_committed_offset_is_seen_as_a_gap() -> None:
    consumer = Strict({STAGE: 40}, {})
    asyncio.run(consumer.perform_seek())
    assert consumer._committed_offset[STAGE] == 40
    assert consumer._read_offset[STAGE] == 39
    # Faust's fetch loop, reading offset 41 after 39, reports the gap up to 41.
    _report_gap(consumer, 40, 41)
    consumer._acked[STAGE].append(41)
    consumer._acked_index[STAGE].add(41)
    assert consumer._new_offset(STAGE) == 42
    assert consumer._acked_index[STAGE] == set()


def test_the_record_being_delivered_is_never_part_of_a_gap() -> None:
    strict_no_records = strict_consumer_class(_FaustConsumerDouble, _broker_with_records_at(43, 44))
    consumer = strict_no_records({STAGE: 40}, {})
    asyncio.run(consumer.perform_seek())
    _report_gap(consumer, 40, 43)  # 40-42 skipped, 43 delivered
    consumer._acked[STAGE].append(44)  # 43 not done yet
    assert consumer._new_offset(STAGE) == 43  # the next to read stays 43


def test_a_jump_over_records_the_broker_holds_is_no_gap() -> None:
    # A record fetched before a seek arrives after it: 41-45 are still being
    # handled (or were dropped), not missing from the partition.
    consumer = Strict({STAGE: 41}, {})
    asyncio.run(consumer.perform_seek())
    _report_gap(consumer, 41, 46)
    consumer._acked[STAGE].extend([46, 47])
    assert consumer._new_offset(STAGE) is None
    consumer._acked[STAGE].extend([41, 42, 43, 44, 45])
    assert consumer._new_offset(STAGE) == 48


def test_a_record_skipped_by_a_stream_is_not_done() -> None:
    consumer = Strict({STAGE: 40}, {})
    asyncio.run(consumer.perform_seek())
    skipped = _Message(STAGE, 40, tracked=False)  # flow was stopped (or the agent raised)
    handled = _Message(STAGE, 41)
    consumer._unacked_messages.add(skipped)
    assert consumer.ack(skipped) is False
    assert consumer.ack(handled) is True
    assert consumer._new_offset(STAGE) is None  # 40 is read again by whoever owns it next
    assert skipped not in consumer._unacked_messages  # no rebalance waits for it


def test_a_partition_never_committed_starts_at_its_earliest_offset() -> None:
    consumer = Strict({STAGE: None}, {STAGE: 7})
    asyncio.run(consumer.perform_seek())
    assert consumer._committed_offset[STAGE] == 7
    assert consumer._read_offset[STAGE] == 6
    consumer._acked[STAGE].extend([8, 9])
    assert consumer._new_offset(STAGE) is None  # 7 was never done


def _watch(**kwargs: Any) -> StallWatch:
    return StallWatch(lambda topic, partition, offset: offset, **kwargs)


def test_a_waiting_commit_is_looked_at_only_after_the_wait() -> None:
    watch = _watch(stalled_after=15.0)
    args = ({STAGE: 100}, {STAGE: 104}, [])
    assert watch.waiting(*args, now=0.0) == []
    assert watch.waiting(*args, now=14.0) == []
    assert watch.waiting(*args, now=15.0) == [(STAGE, 100, True)]
    # Each further look at the same offset waits twice as long.
    assert watch.waiting(*args, now=40.0) == []
    assert watch.waiting(*args, now=45.0) == [(STAGE, 100, True)]


def test_a_moving_commit_is_never_waiting() -> None:
    watch = _watch(stalled_after=15.0)
    for second, head in enumerate(range(100, 130)):
        assert watch.waiting({STAGE: head}, {STAGE: 140}, [], now=float(second)) == []


def test_a_partition_not_read_that_far_is_looked_at_as_never_fetched() -> None:
    watch = _watch(stalled_after=15.0)
    assert watch.waiting({STAGE: 100}, {STAGE: 99}, [], now=0.0) == []
    assert watch.waiting({STAGE: 100}, {STAGE: 99}, [], now=15.0) == [(STAGE, 100, False)]
    assert watch.waiting({STAGE: 100}, {STAGE: None}, [], now=45.0) == [(STAGE, 100, False)]


def test_a_record_in_flight_is_waited_for_until_it_counts_as_lost() -> None:
    watch = _watch(stalled_after=1.0, lost_after=180.0)
    flying = [(STAGE, 100)]
    assert watch.waiting({STAGE: 100}, {STAGE: 120}, flying, now=0.0) == []
    assert watch.waiting({STAGE: 100}, {STAGE: 120}, flying, now=170.0) == []
    assert watch.waiting({STAGE: 100}, {STAGE: 120}, flying, now=181.0) == []  # first seen
    assert watch.waiting({STAGE: 100}, {STAGE: 120}, flying, now=182.0) == [(STAGE, 100, True)]


def test_records_waiting_for_their_retry_time_are_never_lost() -> None:
    watch = _watch(stalled_after=1.0, lost_after=10.0, patient_topics=frozenset({RETRY.topic}))
    flying = [(RETRY, 5)]
    for now in (0.0, 50.0, 500.0, 5000.0):
        assert watch.waiting({RETRY: 5}, {RETRY: 9}, flying, now=now) == []


class _ConsumerDouble:
    def __init__(self, head: int, read: int, end: int) -> None:
        self.app = SimpleNamespace(
            rebalancing=False,
            topics=SimpleNamespace(acks_enabled_for=lambda topic: True),
        )
        self._committed_offset = {STAGE: head}
        self._read_offset: dict[Any, int | None] = {STAGE: read}
        self._gap: dict[Any, IntervalTree] = defaultdict(IntervalTree)
        self._unacked_messages = {_Message(tp=STAGE, offset=head + 5)}
        self.end = end
        self.sought: list[tuple[Any, int]] = []
        self.resumed: list[Any] = []

    def assignment(self) -> set[Any]:
        return {STAGE}

    def _is_changelog_tp(self, tp: Any) -> bool:
        return False

    async def highwaters(self, *tps: Any) -> dict[Any, int]:
        return dict.fromkeys(tps, self.end)

    async def seek(self, tp: Any, offset: int) -> None:
        self.sought.append((tp, offset))

    def resume_partitions(self, tps: list[Any]) -> None:
        self.resumed.extend(tps)


def _repair_after_the_wait(watch: StallWatch, consumer: _ConsumerDouble) -> int:
    async def run() -> int:
        await watch.repair(consumer)
        watch._heads[STAGE].since -= watch.stalled_after
        return await watch.repair(consumer)

    return asyncio.run(run())


def test_a_record_fetched_and_never_handled_is_read_again() -> None:
    watch = _watch(stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=103, end=110)
    assert _repair_after_the_wait(watch, consumer) == 1
    assert consumer.sought == [(STAGE, 100)]
    assert consumer._read_offset[STAGE] is None
    assert consumer._unacked_messages == set()  # rebalances stop waiting for it
    assert watch.rewinds == 1


def test_an_offset_holding_no_record_becomes_a_gap() -> None:
    watch = StallWatch(lambda topic, partition, offset: offset + 2, stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=103, end=110)
    assert _repair_after_the_wait(watch, consumer) == 1
    assert consumer.sought == []
    assert sorted((g.begin, g.end) for g in consumer._gap[STAGE]) == [(100, 102)]
    assert watch.holes == 1


def test_markers_up_to_the_end_become_a_gap_to_the_end() -> None:
    watch = StallWatch(lambda topic, partition, offset: None, stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=100, end=102)
    assert _repair_after_the_wait(watch, consumer) == 1
    assert sorted((g.begin, g.end) for g in consumer._gap[STAGE]) == [(100, 102)]


def test_records_an_agent_raised_on_are_not_done() -> None:
    from doclane.streaming.app import _unfinished_on_error

    batch = [_Message(STAGE, 40), _Message(STAGE, 41)]
    batch[0].acked = True  # finished before the failure: stays done
    try:
        with _unfinished_on_error(batch):
            raise ConnectionError("broker away")
    except ConnectionError:
        pass
    assert [m.tracked for m in batch] == [True, False]
    fine = [_Message(STAGE, 42)]
    with _unfinished_on_error(fine):
        pass
    assert fine[0].tracked


def test_a_partition_whose_fetch_never_resumed_is_resumed_and_read_again() -> None:
    watch = _watch(stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=99, end=110)
    assert _repair_after_the_wait(watch, consumer) == 1
    assert consumer.resumed == [STAGE]
    assert consumer.sought == [(STAGE, 100)]


def test_a_partition_with_nothing_to_read_is_left_alone() -> None:
    watch = _watch(stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=99, end=100)
    assert _repair_after_the_wait(watch, consumer) == 0
    assert (consumer.resumed, consumer.sought) == ([], [])


def test_markers_at_the_end_of_a_partition_never_fetched_become_a_gap_not_a_seek() -> None:
    watch = StallWatch(lambda topic, partition, offset: None, stalled_after=15.0)
    consumer = _ConsumerDouble(head=100, read=99, end=101)  # 100: the last transaction's marker
    assert _repair_after_the_wait(watch, consumer) == 1
    assert (consumer.resumed, consumer.sought) == ([], [])
    assert sorted((g.begin, g.end) for g in consumer._gap[STAGE]) == [(100, 101)]
