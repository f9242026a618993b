"""`doclane retention sweep`: claim-check blobs expire with their documents.

A blob is kept as long as the `documents` table keeps rows (its TTL,
DOCLANE_CLICKHOUSE_TTL_DAYS or the per-table override), counted from when the
blob was written; with no TTL nothing is swept. ClickHouse drops expired rows
itself (TTL), Kafka its expired segments (retention.ms).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from doclane.settings import Settings
from doclane.streaming.blobs import open_blob_store

DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SweepResult:
    retention_days: int
    blobs_removed: int


def sweep_blobs(settings: Settings, now: float | None = None) -> SweepResult:
    days = settings.ttl_days("documents")
    if days == 0:
        return SweepResult(0, 0)
    now = time.time() if now is None else now
    removed = open_blob_store(settings).sweep(older_than=now - days * DAY_SECONDS)
    return SweepResult(days, removed)
