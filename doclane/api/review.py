"""The review queue, read from ClickHouse: documents a person should look at, filtered and counted.

`review_queue` holds one row per document sent to review, with its reasons
(the clerk's sentences); `documents` adds the vendor and status; a document
with a row in `corrections` (approved, corrected or rejected) has left it. Filters
reach SQL only as escaped string literals or checked numbers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from fastapi import Request

from doclane.api.lookup import as_dicts
from doclane.exceptions import StoreError
from doclane.ops.analytics import QueryRunner
from doclane.settings import TAXONOMY

MAX_ROWS = 500


@dataclass(frozen=True)
class ReviewFilters:
    reason: str | None = None  # part of a reason, any case
    doc_type: str | None = None
    vendor: str | None = None  # part of the vendor's name, any case
    min_age_hours: float | None = None  # queued at least this long ago
    max_age_hours: float | None = None  # queued at most this long ago
    limit: int = 100

    def where(self) -> str:
        # A reviewer's decision (a row in `corrections`) takes the document off the queue.
        conditions = ["q.document_id NOT IN (SELECT document_id FROM corrections)"]
        if self.reason:
            conditions.append(
                f"arrayExists(r -> positionCaseInsensitiveUTF8(r, {quote(self.reason)}) > 0, q.reasons)"
            )
        if self.doc_type:
            if self.doc_type not in TAXONOMY:
                raise ValueError(f"unknown document type {self.doc_type!r}")
            conditions.append(f"q.doc_type = {quote(self.doc_type)}")
        if self.vendor:
            conditions.append(
                f"positionCaseInsensitiveUTF8(ifNull(d.vendor_name, ''), {quote(self.vendor)}) > 0"
            )
        if self.min_age_hours is not None:
            conditions.append(
                f"q.queued_at <= now64(6) - toIntervalSecond({int(self.min_age_hours * 3600)})"
            )
        if self.max_age_hours is not None:
            conditions.append(
                f"q.queued_at >= now64(6) - toIntervalSecond({int(self.max_age_hours * 3600)})"
            )
        return " AND ".join(conditions)


def quote(value: str) -> str:
    """A ClickHouse string literal: backslashes and quotes escaped, control characters dropped."""
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return "'" + cleaned.replace("\\", "\\\\").replace("'", "\\'") + "'"


_FROM = (
    "FROM review_queue AS q FINAL "
    "LEFT JOIN (SELECT document_id, vendor_name, filename, status, total, currency "
    "FROM documents FINAL) AS d ON d.document_id = q.document_id"
)


def queue_sql(filters: ReviewFilters) -> str:
    limit = max(1, min(filters.limit, MAX_ROWS))
    return (
        "SELECT q.document_id AS document_id, q.doc_type AS doc_type, q.reasons AS reasons, "
        "q.queued_at AS queued_at, d.filename AS filename, d.vendor_name AS vendor_name, "
        "d.total AS total, d.currency AS currency, d.status AS status "
        f"{_FROM} WHERE {filters.where()} ORDER BY q.queued_at DESC LIMIT {limit}"
    )


def counts_by_type_sql(filters: ReviewFilters) -> str:
    return f"SELECT q.doc_type AS doc_type, count() AS documents {_FROM} WHERE {filters.where()} GROUP BY doc_type ORDER BY documents DESC"


def counts_by_reason_sql(filters: ReviewFilters) -> str:
    return (
        f"SELECT reason, count() AS documents FROM (SELECT arrayJoin(q.reasons) AS reason {_FROM} "  # noqa: S608
        f"WHERE {filters.where()}) GROUP BY reason ORDER BY documents DESC, reason LIMIT 20"
    )


class ReviewQueue:
    def __init__(self, runner: QueryRunner) -> None:
        self.runner = runner

    def read(self, filters: ReviewFilters) -> dict[str, Any]:
        """The queue (newest first) with counts by type and by reason; blocking, run in a thread."""
        items = as_dicts(self.runner.query(queue_sql(filters)))
        by_type = as_dicts(self.runner.query(counts_by_type_sql(filters)))
        by_reason = as_dicts(self.runner.query(counts_by_reason_sql(filters)))
        return {
            "total": sum(row["documents"] for row in by_type),
            "by_type": by_type,
            "by_reason": by_reason,
            "documents": items,
        }


async def next_in_queue(request: Request, after: str) -> str | None:
    """The newest other document still waiting, for the clerk's next page."""
    try:
        queue = await asyncio.to_thread(
            request.app.state.services.review.read, ReviewFilters(limit=2)
        )
    except StoreError:
        return None
    others = [d["document_id"] for d in queue["documents"] if d["document_id"] != after]
    return others[0] if others else None


def review_step(following: str, current: str) -> str:
    """The next document's page, remembering this one for its Alt+P (previous) link."""
    return f"/review/{url_quote(following, safe='')}?from={url_quote(current, safe='')}"
