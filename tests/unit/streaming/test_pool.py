"""The parse pool contains each way a task can misbehave, and loses nothing else in flight."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
from prometheus_client import REGISTRY

from doclane.core.pipeline import Knowledge
from doclane.exceptions import ConfigurationError, DoclaneError
from doclane.samples import iter_documents
from doclane.streaming.pool import (
    CpuTimeExceededError,
    InputTooLargeError,
    MemoryExceededError,
    ParsePool,
    ParseTimeoutError,
    WorkerCrashedError,
    extract,
    read_and_classify,
)
from tests.hostile import tasks
from tests.unit.streaming.conftest import CPU_SECONDS, MAX_INPUT_BYTES, MEMORY_BYTES

KNOWLEDGE = Knowledge()

pytestmark = pytest.mark.slow
KNOWLEDGE = Knowledge()
T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


async def _outcome(pool: ParsePool, fn: Callable[..., Any], *args: Any) -> object:
    try:
        return await pool.run(fn, *args)
    except DoclaneError as exc:
        return exc


def _processes_replaced() -> float:
    return REGISTRY.get_sample_value("doclane_parse_processes_replaced_total") or 0.0


@pytest.mark.parametrize(
    ("fn", "args", "error"),
    [
        (tasks.spin_in_python, (60,), CpuTimeExceededError),
        (tasks.spin_in_native_code, (), CpuTimeExceededError),
        (tasks.hog_python_memory, (2 * MEMORY_BYTES >> 20,), MemoryExceededError),
        (tasks.hog_native_memory, (2 * MEMORY_BYTES >> 20,), MemoryExceededError),
        (tasks.exit_abruptly, (3,), WorkerCrashedError),
        (tasks.segfault, (), WorkerCrashedError),
    ],
    ids=[
        "cpu-in-python",
        "cpu-in-native-code",
        "python-memory",
        "native-memory",
        "exit",
        "segfault",
    ],
)
def test_a_runaway_task_fails_alone_while_other_documents_in_flight_complete(
    pool: ParsePool, fn: Callable[..., Any], args: tuple[Any, ...], error: type[DoclaneError]
) -> None:
    async def scenario() -> tuple[object, list[object]]:
        runaway = asyncio.ensure_future(_outcome(pool, fn, *args))
        await asyncio.sleep(0.05)
        # More tasks than processes: they queue behind the runaway and must all come back.
        neighbours = [_outcome(pool, tasks.sleep_then_echo, 0.2, index) for index in range(6)]
        return await runaway, await asyncio.gather(*neighbours)

    replaced_before = pool.replaced_processes
    exported_before = _processes_replaced()
    started = time.monotonic()
    failure, neighbours = _run(scenario())
    assert isinstance(failure, error), failure
    assert failure.reason_code == error.reason_code
    assert neighbours == list(range(6))
    assert pool.replaced_processes == replaced_before + 1
    assert _processes_replaced() == exported_before + 1  # the alert's counter
    assert time.monotonic() - started < 30  # the pool's wall-clock limit, never reached
    # The replacement works.
    assert _run(pool.run(tasks.echo, "after")) == "after"


def test_limits_are_reported_with_the_reason_codes_the_dead_letter_topic_uses(
    pool: ParsePool,
) -> None:
    too_large = _run(_outcome(pool, tasks.echo, b"x" * (MAX_INPUT_BYTES + 1)))
    assert isinstance(too_large, InputTooLargeError)
    assert too_large.reason_code == "document_too_large"
    assert CpuTimeExceededError.reason_code == "cpu_time_exceeded"
    assert MemoryExceededError.reason_code == "memory_exceeded"


def test_a_task_over_the_wall_clock_limit_is_stopped() -> None:
    pool = ParsePool(1, cpu_seconds=CPU_SECONDS, wall_seconds=1)
    try:
        failure = _run(_outcome(pool, tasks.sleep_then_echo, 30, "never"))
        assert isinstance(failure, ParseTimeoutError)
        assert failure.reason_code == "parse_timeout"
        assert _run(pool.run(tasks.echo, 1)) == 1
    finally:
        pool.shutdown(wait=True)


def test_ordinary_errors_come_back_as_they_were_raised(pool: ParsePool) -> None:
    with pytest.raises(ValueError, match="boom") as caught:
        _run(pool.run(tasks.raise_value_error, "boom"))
    assert any("in the parse process" in note for note in caught.value.__notes__)
    assert pool.processes == 2


def test_results_equal_the_in_process_results(pool: ParsePool) -> None:
    documents = list(iter_documents(12, seed=5, kinds=["invoice"], single_page=True))

    async def through_pool() -> list[object]:
        async def one(payload: bytes, content_type: str, filename: str) -> object:
            text, classification = await pool.run(
                read_and_classify, payload, content_type, filename, KNOWLEDGE
            )
            return (
                text,
                classification,
                await pool.run(extract, text, classification.doc_type, KNOWLEDGE),
            )

        return await asyncio.gather(
            *(one(d.payload, d.content_type, d.filename) for d in documents)
        )

    expected = []
    for d in documents:
        text, classification = read_and_classify(d.payload, d.content_type, d.filename, KNOWLEDGE)
        expected.append((text, classification, extract(text, classification.doc_type, KNOWLEDGE)))
    assert _run(through_pool()) == expected


def test_a_cancelled_wait_gives_its_process_back(pool: ParsePool) -> None:
    async def scenario() -> object:
        waiting = asyncio.ensure_future(pool.run(tasks.sleep_then_echo, 0.3, "late"))
        await asyncio.sleep(0.05)
        waiting.cancel()
        return await asyncio.gather(*(pool.run(tasks.echo, i) for i in range(4)))

    assert _run(scenario()) == [0, 1, 2, 3]


def test_shutdown_fails_the_tasks_in_flight_and_the_pool_can_start_again() -> None:
    pool = ParsePool(1)

    async def scenario() -> object:
        busy = asyncio.ensure_future(_outcome(pool, tasks.sleep_then_echo, 30, "never"))
        await asyncio.sleep(0.5)
        pool.shutdown(wait=False)
        return await busy

    try:
        assert isinstance(_run(scenario()), WorkerCrashedError)
        assert _run(pool.run(tasks.echo, "again")) == "again"
    finally:
        pool.shutdown(wait=True)


def test_limits_apply_to_the_parse_processes_only(pool: ParsePool) -> None:
    before = resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU)
    _run(pool.warm_up())
    assert (
        resource.getrlimit(resource.RLIMIT_AS),
        resource.getrlimit(resource.RLIMIT_CPU),
    ) == before


@pytest.mark.parametrize(
    "kwargs",
    [{"processes": 0}, {"processes": 1, "cpu_seconds": 0}, {"processes": 1, "memory_bytes": -1}],
)
def test_nonsense_limits_are_a_configuration_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        ParsePool(**kwargs)
