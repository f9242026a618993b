"""Whether the sink is writing: the state `/health/ready`, the metrics and `doclane status` show.

A sink whose inserts fail keeps its batch and retries for as long as it takes
(nothing is skipped), so a stall is not an error that ends the process: it
must be visible instead, with how long it has lasted and why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SinkState:
    stalled: bool
    stalled_seconds: float  # since the first failed attempt of the batch in hand; 0 when writing
    failed_attempts: int  # of that batch
    last_error: str  # the store's reason, empty when writing
    batches_written: int

    def as_json(self) -> dict[str, object]:
        return {
            "stalled": self.stalled,
            "stalled_seconds": round(self.stalled_seconds, 1),
            "failed_attempts": self.failed_attempts,
            "last_error": self.last_error,
            "batches_written": self.batches_written,
        }


class SinkHealth:
    """Updated by the sink's thread, read by the HTTP service's threads."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._stalled_since: float | None = None
        self._attempts = 0
        self._error = ""
        self._batches = 0

    def insert_failed(self, reason: str) -> None:
        with self._lock:
            if self._stalled_since is None:
                self._stalled_since = self._monotonic()
            self._attempts += 1
            self._error = reason[:500]

    def batch_written(self) -> None:
        with self._lock:
            self._stalled_since = None
            self._attempts = 0
            self._error = ""
            self._batches += 1

    def stalled_seconds(self) -> float:
        with self._lock:
            if self._stalled_since is None:
                return 0.0
            return self._monotonic() - self._stalled_since

    def state(self) -> SinkState:
        stalled_for = self.stalled_seconds()
        with self._lock:
            return SinkState(
                stalled=self._stalled_since is not None,
                stalled_seconds=stalled_for,
                failed_attempts=self._attempts,
                last_error=self._error,
                batches_written=self._batches,
            )
