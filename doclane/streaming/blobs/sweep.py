"""Claim-check blobs expire with their documents: `doclane retention sweep`, and the sink
sweeping every DOCLANE_BLOB_SWEEP_HOURS.

A blob is kept as long as the `documents` table keeps rows (its TTL,
DOCLANE_CLICKHOUSE_TTL_DAYS or the per-table override), counted from when the
blob was last written (the same bytes sent again restart the count); with no TTL
nothing is swept. ClickHouse drops expired rows itself (TTL), Kafka its expired
segments (retention.ms).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from doclane.metrics import BLOB_SWEEPS, BLOBS_SWEPT
from doclane.settings import Settings
from doclane.streaming.blobs import open_blob_store

DAY_SECONDS = 24 * 3600
HOUR_SECONDS = 3600

log = logging.getLogger("doclane.blobs.sweep")


@dataclass(frozen=True)
class SweepResult:
    retention_days: int
    blobs_removed: int


def sweep_blobs(settings: Settings, now: float | None = None) -> SweepResult:
    """Remove the blobs last written longer ago than the documents' retention."""
    days = settings.ttl_days("documents")
    if days == 0:
        return SweepResult(0, 0)
    now = time.time() if now is None else now
    removed = open_blob_store(settings).sweep(older_than=now - days * DAY_SECONDS)
    return SweepResult(days, removed)


class PeriodicBlobSweep:
    """`sweep_blobs` at start and then every DOCLANE_BLOB_SWEEP_HOURS, on a daemon thread.

    A failed sweep (the S3 service unreachable, a disk error) is logged and counted,
    and the next one runs on schedule: the process that hosts it keeps working.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.interval_seconds = settings.blob_sweep_hours * HOUR_SECONDS
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return self.interval_seconds > 0 and self.settings.ttl_days("documents") > 0

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="blob-sweep", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def sweep_once(self) -> SweepResult | None:
        """One sweep; None when it failed (and was logged)."""
        try:
            result = sweep_blobs(self.settings)
        except Exception:  # any store error (S3, disk): logged with its traceback, counted
            BLOB_SWEEPS.labels(outcome="failed").inc()
            log.exception("blob sweep failed; next one in %.1f h", self.settings.blob_sweep_hours)
            return None
        BLOB_SWEEPS.labels(outcome="done").inc()
        BLOBS_SWEPT.inc(result.blobs_removed)
        log.info(
            "blob sweep done",
            extra={"blobs_removed": result.blobs_removed, "ttl_days": result.retention_days},
        )
        return result

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self.sweep_once()
            self._stopping.wait(self.interval_seconds)
