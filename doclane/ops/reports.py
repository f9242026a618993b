"""Canned analytics reports and plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from doclane.connectors.clickhouse.store import QueryResult

REPORTS: dict[str, tuple[str, str]] = {
    "summary": (
        "Documents by type and status",
        "SELECT doc_type, status, count() AS documents FROM documents FINAL "
        "GROUP BY doc_type, status ORDER BY doc_type, status",
    ),
    "fields": (
        "Extracted fields, latest documents",
        "SELECT filename, doc_type, round(type_confidence, 2) AS confidence, vendor_name, "
        "invoice_number, issue_date, currency, total, status FROM documents FINAL "
        "WHERE status != 'failed' ORDER BY completed_at DESC LIMIT 12",
    ),
    "latency": (
        "Latency by stage (ms)",
        "SELECT stage, count() AS documents, round(quantile(0.5)(duration_ms), 2) AS p50_ms, "
        "round(quantile(0.99)(duration_ms), 2) AS p99_ms, round(max(duration_ms), 2) AS max_ms "
        "FROM pipeline_events FINAL WHERE stage IN ('classify', 'extract', 'validate', 'enrich') "
        "GROUP BY stage ORDER BY indexOf(['classify', 'extract', 'validate', 'enrich'], stage)",
    ),
    "end_to_end": (
        "Submit to ClickHouse latency (ms)",
        "SELECT count() AS documents, "
        "round(quantile(0.5)(dateDiff('microsecond', submitted_at, stored_at)) / 1000, 1) AS p50_ms, "
        "round(quantile(0.99)(dateDiff('microsecond', submitted_at, stored_at)) / 1000, 1) AS p99_ms "
        "FROM documents FINAL",
    ),
    "dead_letters": (
        "Dead letters by stage and reason",
        "SELECT stage, reason_code, count() AS records, any(message) AS example "
        "FROM dead_letters FINAL GROUP BY stage, reason_code ORDER BY records DESC",
    ),
    "review": (
        "Documents waiting for review",
        "SELECT document_id, doc_type, arrayStringConcat(reasons, '; ') AS reasons "
        "FROM review_queue FINAL ORDER BY queued_at DESC LIMIT 20",
    ),
    "per_minute": (
        "Documents per minute by type and status",
        "SELECT minute, doc_type, status, sum(documents) AS documents FROM documents_per_minute "
        "GROUP BY minute, doc_type, status ORDER BY minute DESC, doc_type, status LIMIT 30",
    ),
}


def format_table(result: QueryResult, *, max_width: int = 40) -> str:
    if not result.rows:
        return "(no rows)"
    cells = [list(result.columns)] + [[_cell(v, max_width) for v in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = [_line(cells[0], widths), _line(["-" * w for w in widths], widths)]
    lines.extend(_line(row, widths) for row in cells[1:])
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _cell(value: Any, max_width: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
