"""When a failed record is tried again, and how the attempt travels with it.

A stage that fails on a transient error (a parse process died, a claimed blob
is not visible yet, an unexpected exception) sends the record's original bytes
to the stage's retry topic with two headers: the number of the next attempt and
the wall-clock time before which it must not run. The retry agent holds it
until then and puts it back on the stage's input topic. After the last delay
the failure goes to the dead-letter topic with its attempt count; permanent
failures go there at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ATTEMPT_HEADER = "doclane-attempt"
RETRY_AT_HEADER = "doclane-retry-at-ms"


@dataclass(frozen=True)
class RetryPolicy:
    delays: tuple[float, ...]  # seconds before the 2nd, 3rd, ... attempt

    def delay_after(self, attempt: int) -> float | None:
        """Seconds to wait before trying again after `attempt` failed; None: give up."""
        return self.delays[attempt - 1] if 1 <= attempt <= len(self.delays) else None

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1


def header_map(
    headers: Iterable[tuple[str, bytes]] | Mapping[str, bytes] | None,
) -> dict[str, bytes]:
    """Kafka headers as a dict (the last value wins), whatever shape the client gave."""
    if not headers:
        return {}
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(key): bytes(value or b"") for key, value in items}


def attempt_of(headers: Any) -> int:
    """The attempt a record is on: 1 unless a retry put a later number on it."""
    raw = header_map(headers).get(ATTEMPT_HEADER)
    try:
        attempt = int(raw.decode("ascii")) if raw else 1
    except (UnicodeDecodeError, ValueError):
        return 1
    return max(attempt, 1)


def retry_at_ms(headers: Any) -> int:
    """When a waiting retry may run (epoch milliseconds); 0 when the header is missing."""
    raw = header_map(headers).get(RETRY_AT_HEADER)
    try:
        return int(raw.decode("ascii")) if raw else 0
    except (UnicodeDecodeError, ValueError):
        return 0


def retry_headers(headers: Any, *, attempt: int, retry_at: int) -> list[tuple[str, bytes]]:
    """The record's headers with the attempt and the earliest run time replaced."""
    kept = {
        key: value
        for key, value in header_map(headers).items()
        if key not in (ATTEMPT_HEADER, RETRY_AT_HEADER)
    }
    kept[ATTEMPT_HEADER] = str(attempt).encode("ascii")
    kept[RETRY_AT_HEADER] = str(retry_at).encode("ascii")
    return list(kept.items())


def resume_headers(headers: Any) -> list[tuple[str, bytes]]:
    """Headers for putting a retried record back on its stage: the attempt stays, the
    wait is over."""
    return [(key, value) for key, value in header_map(headers).items() if key != RETRY_AT_HEADER]
