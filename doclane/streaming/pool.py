"""A process pool for CPU-heavy understanding, with limits per document.

A blocking parse on the loop would stall every agent and the consumer
heartbeats, so parsing runs in separate processes and the agent awaits it.
Hostile documents (decompression bombs, endless content streams) must cost
one dead-letter, not the worker: each parse process runs one task at a time
behind its own pipe, under an address-space limit (RLIMIT_AS) and a CPU
budget per task (RLIMIT_CPU re-armed before each task, SIGXCPU raised as an
exception; the parent kills a process stuck in native code past the budget).
A process that exceeds a limit or dies is replaced alone; the other
documents in flight carry on (concurrent.futures' pool would fail them all).
A process whose heap has grown past half its headroom is replaced too, so
what one large document leaves behind cannot fail the next.

Processes are spawned (not forked) because the worker runs an event loop
and threads that must not be copied into children.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from doclane.core import pipeline
from doclane.core.model import Classification, DocType, Enrichment, Extraction
from doclane.core.pipeline import Knowledge
from doclane.core.read.containers import Member, container_kind, unpack_container
from doclane.exceptions import ConfigurationError, DoclaneError
from doclane.metrics import PARSE_PROCESSES_REPLACED
from doclane.wire.text_layer import decode_text_layer, encode_text_layer

T = TypeVar("T")

DEFAULT_CPU_SECONDS = 30.0
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024
DEFAULT_MAX_INPUT_BYTES = 20 * 1024 * 1024
# A task stuck in native code (where SIGXCPU cannot interrupt) is killed this
# much CPU time past its budget; RLIMIT_CPU itself only counts whole seconds.
_KILL_GRACE_SECONDS = 2.0
_POLL_SECONDS = 0.5
_START_SECONDS = 120.0  # a spawned process imports the whole core before it is ready
_STOP_SECONDS = 5.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_RETIRE_AT_SHARE = 0.5  # of the address space left above the process's start-up size


class WorkerCrashedError(DoclaneError):
    reason_code = "parse_worker_crashed"
    transient = True  # the process is replaced; the document may well pass next time


class ParseLimitError(DoclaneError):
    """A document needed more than a parse process may spend on it."""

    reason_code = "parse_limit_exceeded"


class CpuTimeExceededError(ParseLimitError):
    reason_code = "cpu_time_exceeded"


class MemoryExceededError(ParseLimitError):
    reason_code = "memory_exceeded"


class InputTooLargeError(ParseLimitError):
    reason_code = "document_too_large"


class ParseTimeoutError(ParseLimitError):
    """The task took too long by the wall clock (the process was starved or hung)."""

    reason_code = "parse_timeout"
    transient = True  # a starved machine may manage it later


def read_and_classify(
    payload: bytes, content_type: str | None, filename: str | None, knowledge: Knowledge
) -> tuple[bytes, Classification]:
    """The classify stage's work, as a parse process runs it: the text layer comes back
    in its compact layout, ready to travel (nothing else needs it before extract)."""
    text = pipeline.read(payload, knowledge, content_type=content_type, filename=filename)
    return encode_text_layer(text), pipeline.classify(text, knowledge)


def unpack_or_read_and_classify(
    payload: bytes, content_type: str | None, filename: str | None, knowledge: Knowledge
) -> tuple[Member, ...] | tuple[bytes, Classification]:
    """The classify stage's work: a container's members (ZIP, e-mail), or else the text
    layer and the type of a document (`read_and_classify`)."""
    kind = container_kind(payload, content_type, filename)
    if kind is not None:
        return unpack_container(payload, kind)
    return read_and_classify(payload, content_type, filename, knowledge)


def extract(
    text_layer: bytes, doc_type: str, knowledge: Knowledge
) -> tuple[Extraction, Enrichment | None]:
    """The extract stage's work, as a parse process runs it; the language is found here,
    the last time the text layer is at hand."""
    text = decode_text_layer(text_layer)
    return pipeline.extract(text, DocType(doc_type), knowledge), pipeline.language(text)


@dataclass(frozen=True)
class ParseLimits:
    """What one task may cost its process."""

    cpu_seconds: float = DEFAULT_CPU_SECONDS
    memory_bytes: int = DEFAULT_MEMORY_BYTES


@dataclass(frozen=True)
class _Reply:
    """What a parse process sends back for one task (or what its death meant)."""

    value: Any = None
    error: BaseException | None = None
    retire: bool = False  # the process must be replaced after this task
    cpu_seconds: float = 0.0  # the process's CPU time so far
    max_rss_bytes: int = 0

    def unwrap(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def _loads(data: bytes) -> Any:
    # Only ever bytes from our own process at the other end of a private pipe.
    return pickle.loads(data)  # noqa: S301


# -- the parse process --------------------------------------------------------


class _CpuBudgetSpent(BaseException):
    """Raised by SIGXCPU inside a task; a BaseException so parsers' `except Exception` miss it."""


class _CpuGuard:
    """Arms RLIMIT_CPU for one task at a time and turns its SIGXCPU into an exception."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self._initial = resource.getrlimit(resource.RLIMIT_CPU)
        signal.signal(signal.SIGXCPU, self._on_signal)

    def _on_signal(self, _signum: int, _frame: object) -> None:
        if self.active:
            self.active = False
            raise _CpuBudgetSpent

    @contextlib.contextmanager
    def task(self) -> Iterator[None]:
        soft, hard = self._initial
        budget = math.ceil(time.process_time() + self.seconds)
        if hard != resource.RLIM_INFINITY:
            budget = min(budget, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (budget, hard))
        self.active = True
        try:
            yield
        finally:
            self.active = False
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_address_space(memory_bytes: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory_bytes = min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))


def _stats() -> dict[str, Any]:
    return {"cpu_seconds": _cpu_with_children(), "max_rss_bytes": _peak_rss_bytes()}


def _cpu_with_children() -> float:
    """CPU time of this process and of the children it waited for (the OCR engine runs
    as a child command), as the parent reads it from /proc."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _peak_rss_bytes() -> int:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: it survives fork and exec, so
    a parse process spawned by a large parent would report the parent's peak."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return int(kib) * 1024


def _address_space_bytes() -> int:
    """What RLIMIT_AS counts (VmSize); 0 where /proc cannot tell."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * _PAGE_BYTES


def _run_task(message: bytes, guard: _CpuGuard) -> _Reply:
    """One task; an error becomes the reply.

    The error reply is built after the `except` block, once a MemoryError's
    traceback, and the half-built document its frames hold, has been freed.
    """
    error: BaseException | None = None
    try:
        with guard.task():
            fn, args = _loads(message)
            return _Reply(value=fn(*args), **_stats())
    except _CpuBudgetSpent:
        error = CpuTimeExceededError(
            f"reading this document took more than {guard.seconds:g} s of CPU time"
        )
    except MemoryError:
        pass
    except Exception as exc:  # noqa: BLE001 - any error goes back to the awaiting agent
        if not isinstance(exc, DoclaneError):  # a bug: keep where it happened for the log
            exc.add_note("in the parse process:\n" + "".join(traceback.format_exception(exc)))
        error = exc
    if error is None:
        error = MemoryExceededError(
            "reading this document needed more memory than a parse process may use"
        )
    return _Reply(error=error, **_stats())


def _must_retire(reply: _Reply, memory_bytes: int, baseline_bytes: int) -> bool:
    """Replace the process after a limit was hit, or once it has used half its headroom.

    Freed memory mostly stays with the process, so a long-lived one would
    otherwise fail the next large document for what an earlier one left behind.
    The headroom is what the limit leaves above the process's size at start-up.
    """
    reason = getattr(reply.error, "reason_code", None)
    if reason in (CpuTimeExceededError.reason_code, MemoryExceededError.reason_code):
        return True
    headroom = memory_bytes - baseline_bytes
    return _address_space_bytes() > baseline_bytes + headroom * _RETIRE_AT_SHARE


def _encode_reply(reply: _Reply) -> bytes:
    try:
        return pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        error: BaseException = MemoryExceededError("the parse result did not fit in memory")
        retire = True
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or error is a bug to report
        error = DoclaneError(
            f"the parse result cannot be sent back: {type(exc).__name__}: {exc}",
            reason_code="internal_error",
        )
        retire = reply.retire
    return pickle.dumps(_Reply(error=error, retire=retire, **_stats()))


def _serve(conn: Connection, limits: ParseLimits) -> None:
    """Entry point of a parse process: one task at a time until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    guard = _CpuGuard(limits.cpu_seconds)
    _limit_address_space(limits.memory_bytes)
    baseline = _address_space_bytes()
    try:
        conn.send_bytes(pickle.dumps(_Reply(**_stats())))
    except OSError:  # the pool shut down while we started
        return
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        reply = _run_task(message, guard)
        reply = replace(reply, retire=_must_retire(reply, limits.memory_bytes, baseline))
        try:
            conn.send_bytes(_encode_reply(reply))
        except OSError:
            return
        if reply.retire:
            return


# -- the parent's side --------------------------------------------------------


class _Child:
    """One parse process and the parent's end of its pipe."""

    def __init__(
        self, context: multiprocessing.context.SpawnContext, limits: ParseLimits, generation: int
    ) -> None:
        self.generation = generation
        self.conn, child_end = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_serve, args=(child_end, limits), name="doclane-parse", daemon=True
        )
        self.process.start()
        child_end.close()
        self.ready = False
        self.cpu_seconds = 0.0  # CPU time the process had used when its last task ended
        self.kill_error: DoclaneError | None = None

    def await_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(_START_SECONDS):
            self.kill(WorkerCrashedError("the parse process did not start in time"))
        self.cpu_seconds = _loads(self.conn.recv_bytes()).cpu_seconds
        self.ready = True

    def task_cpu_seconds(self, started: float) -> float:
        """CPU time of the running task, a command it runs (OCR) included; wall time
        where /proc cannot tell."""
        pid = self.process.pid
        try:
            ticks = _cpu_ticks(pid, with_children=True)
        except (OSError, ValueError):
            return time.monotonic() - started
        try:  # children still running: not in the process's own count until they end
            running = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            running = []
        for child in running:
            with contextlib.suppress(OSError, ValueError):
                ticks += _cpu_ticks(int(child), with_children=False)
        return ticks / _CLOCK_TICKS - self.cpu_seconds

    def kill(self, reason: DoclaneError) -> None:
        self.kill_error = reason
        self.process.kill()

    def stop(self, *, wait: bool) -> None:
        self.conn.close()  # an idle process reads EOF and exits
        if wait:
            self.process.join(_STOP_SECONDS)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()

    def death_reply(self) -> _Reply:
        self.process.join(_STOP_SECONDS)
        return _Reply(error=self.kill_error or _death_error(self.process.exitcode), retire=True)


def _cpu_ticks(pid: int, *, with_children: bool) -> int:
    """utime + stime (+ cutime + cstime) of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11 : 15 if with_children else 13])


def _death_error(exitcode: int | None) -> DoclaneError:
    if exitcode == -signal.SIGXCPU:
        return CpuTimeExceededError("the parse process ran out of CPU time")
    if exitcode == -signal.SIGABRT:
        # PDFium and the C++ runtime abort when an allocation fails under RLIMIT_AS.
        return MemoryExceededError(
            "the parse process aborted, most likely out of memory (a decompression bomb?)"
        )
    if exitcode == -signal.SIGKILL:
        return MemoryExceededError("the parse process was killed, most likely by the OOM killer")
    return WorkerCrashedError(
        f"the parse process died while reading this document (exit code {exitcode})"
    )


_Task = tuple[Callable[..., Any], tuple[Any, ...], "Future[Any]"]


class ParsePool:
    """`processes` parse processes; `await run(fn, *args)` runs one task in one of them.

    Limits per task: `cpu_seconds` of CPU time, `memory_bytes` of address space
    for the whole process (the interpreter and libraries take ~70 MiB of it),
    `max_input_bytes` for the bytes arguments, `wall_seconds` by the clock
    (default ten times the CPU budget). Exceeding one raises a `ParseLimitError`.

    Tasks wait in one queue; each process has an IO thread in the parent that
    takes the next task as soon as the previous reply is in, so a process never
    idles waiting for the event loop, and the loop only awaits futures.
    """

    def __init__(
        self,
        processes: int,
        *,
        cpu_seconds: float = DEFAULT_CPU_SECONDS,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
        wall_seconds: float | None = None,
    ) -> None:
        if processes < 1 or cpu_seconds <= 0 or memory_bytes <= 0 or max_input_bytes <= 0:
            raise ConfigurationError(
                "the parse pool needs at least one process and positive limits, got "
                f"{processes=}, {cpu_seconds=}, {memory_bytes=}, {max_input_bytes=}"
            )
        self.processes = processes
        self.limits = ParseLimits(cpu_seconds=cpu_seconds, memory_bytes=memory_bytes)
        self.max_input_bytes = max_input_bytes
        self.wall_seconds = wall_seconds or 10 * cpu_seconds
        self.peak_rss_bytes = 0  # largest peak RSS (VmHWM) a parse process has reported
        self.replaced_processes = 0  # retired after a limit, or died, and started anew
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._generation = 0
        self._live: set[_Child] = set()
        self._tasks: queue.SimpleQueue[_Task | None] | None = None
        self._threads: list[threading.Thread] = []
        self._started: list[Future[None]] = []

    async def warm_up(self) -> None:
        """Start every process and wait until each has imported the core."""
        self._ensure()
        await asyncio.gather(*(asyncio.wrap_future(started) for started in self._started))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a parse process; its result, or its error re-raised here."""
        size = sum(len(a) for a in args if isinstance(a, bytes | bytearray | memoryview))
        if size > self.max_input_bytes:
            raise InputTooLargeError(
                f"document is {size} bytes, over the parse pool's {self.max_input_bytes}-byte limit"
            )
        outcome: Future[T] = Future()
        self._ensure().put((fn, args, outcome))
        return await asyncio.wrap_future(outcome)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop every process; tasks running or queued fail with `WorkerCrashedError`."""
        with self._lock:
            self._generation += 1
            tasks, self._tasks = self._tasks, None
            threads, self._threads, self._started = self._threads, [], []
            live, self._live = self._live, set()
        if tasks is None:
            return
        with contextlib.suppress(queue.Empty):
            while (task := tasks.get_nowait()) is not None:
                if task[2].set_running_or_notify_cancel():
                    task[2].set_exception(WorkerCrashedError("the parse pool was shut down"))
        for _ in threads:
            tasks.put(None)
        if not wait:
            for child in live:
                child.kill(WorkerCrashedError("the parse pool was shut down"))
            return
        for thread in threads:
            thread.join()

    # -- internals: everything below runs in the IO threads ----------------------

    def _ensure(self) -> queue.SimpleQueue[_Task | None]:
        with self._lock:
            if self._tasks is None:
                self._tasks = queue.SimpleQueue()
                for _ in range(self.processes):
                    started: Future[None] = Future()
                    thread = threading.Thread(
                        target=self._drive,
                        args=(self._tasks, self._generation, started),
                        name="doclane-parse-io",
                        daemon=True,
                    )
                    thread.start()
                    self._threads.append(thread)
                    self._started.append(started)
            return self._tasks

    def _drive(
        self, tasks: queue.SimpleQueue[_Task | None], generation: int, started: Future[None]
    ) -> None:
        """One IO thread: owns a parse process (and its replacements) and feeds it tasks."""
        child = self._spawn(generation)
        try:
            child.await_ready()
            started.set_result(None)
        except (EOFError, OSError) as exc:  # the first task will start a replacement
            started.set_exception(WorkerCrashedError(f"a parse process died while starting: {exc}"))
        while (task := tasks.get()) is not None:
            fn, args, outcome = task
            if not outcome.set_running_or_notify_cancel():
                continue
            try:
                reply, child = self._exchange(child, fn, args)
            except Exception as exc:  # noqa: BLE001 - arguments that cannot be pickled: a bug
                outcome.set_exception(exc)
                continue
            with self._lock:
                self.peak_rss_bytes = max(self.peak_rss_bytes, reply.max_rss_bytes)
            if reply.error is not None:
                outcome.set_exception(reply.error)
            else:
                outcome.set_result(reply.value)
        child.stop(wait=True)

    def _spawn(self, generation: int) -> _Child:
        child = _Child(self._context, self.limits, generation)
        with self._lock:
            self._live.add(child)
        return child

    def _exchange(
        self, child: _Child, fn: Callable[..., Any], args: tuple[Any, ...]
    ) -> tuple[_Reply, _Child]:
        """One task through `child`; the reply, and the process for the next task.

        Raises only before anything was sent (arguments that cannot be pickled).
        """
        message = pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL)
        try:
            child.await_ready()
        except (EOFError, OSError):
            # It died before this task reached it: not this document's fault.
            self._retire(child)
            child = self._replacement(child)
        try:
            child.await_ready()
            child.conn.send_bytes(message)
            reply = self._await_reply(child)
        except (EOFError, OSError):
            reply = child.death_reply()
        except Exception as exc:  # noqa: BLE001 - an unreadable reply: the process is suspect
            child.kill(WorkerCrashedError(f"the parse process sent an unreadable reply ({exc})"))
            reply = child.death_reply()
        if not reply.retire:
            child.cpu_seconds = reply.cpu_seconds
            return reply, child
        self._retire(child)
        return reply, self._replacement(child)

    def _replacement(self, child: _Child) -> _Child:
        """A new process in `child`'s place; none once the pool has shut down meanwhile."""
        return self._spawn(child.generation) if child.generation == self._generation else child

    def _await_reply(self, child: _Child) -> _Reply:
        started = time.monotonic()
        cpu_limit = self.limits.cpu_seconds + _KILL_GRACE_SECONDS
        timeout = min(cpu_limit, self.wall_seconds)  # no task runs faster than its CPU time
        while not child.conn.poll(timeout):
            timeout = _POLL_SECONDS
            if child.kill_error is not None:
                continue
            if time.monotonic() - started > self.wall_seconds:
                child.kill(ParseTimeoutError(f"reading took longer than {self.wall_seconds:g} s"))
            elif child.task_cpu_seconds(started) > cpu_limit:
                child.kill(
                    CpuTimeExceededError(
                        f"reading this document took more than {self.limits.cpu_seconds:g} s "
                        "of CPU time"
                    )
                )
        reply: _Reply = _loads(child.conn.recv_bytes())
        return reply

    def _retire(self, child: _Child) -> None:
        child.stop(wait=True)
        with self._lock:
            self._live.discard(child)
            self.replaced_processes += 1
        PARSE_PROCESSES_REPLACED.inc()
