"""The dashboard: what the pipeline did, from ClickHouse, as one self-contained HTML page.

Served at `/dashboard` by the API and written by `doclane report --html FILE`;
the charts are inline SVG bars, so the page needs no script and loads nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from doclane.connectors.clickhouse.store import QueryResult
from doclane.ops.analytics import QueryRunner

QUERIES: dict[str, tuple[str, str]] = {
    "per_hour": (
        "Documents per hour by type (last 48 hours)",
        # From documents FINAL, not documents_per_minute: that view counts inserted rows,
        # and every corrected version of a document is one more.
        "SELECT toStartOfHour(submitted_at) AS hour, doc_type, count() AS documents "
        "FROM documents FINAL WHERE submitted_at >= now() - INTERVAL 48 HOUR "
        "GROUP BY hour, doc_type ORDER BY hour, doc_type",
    ),
    "by_status": (
        "Documents by type and status",
        "SELECT doc_type, status, count() AS documents FROM documents FINAL "
        "GROUP BY doc_type, status ORDER BY doc_type, status",
    ),
    "review_rate": (
        "Review rate",
        # A corrected document is accepted now; review_queue remembers that it was sent.
        "SELECT count() AS documents, "
        "(SELECT count(DISTINCT document_id) FROM review_queue) AS sent_to_review, "
        "(SELECT count(DISTINCT document_id) FROM corrections) AS reviewed "
        "FROM documents FINAL WHERE status != 'failed'",
    ),
    "corrections": (
        "Reviewer decisions",
        "SELECT action, count() AS decisions, sum(change_count) AS changes "
        "FROM corrections FINAL GROUP BY action ORDER BY decisions DESC",
    ),
    "latency": (
        "Latency by stage (ms)",
        "SELECT stage, round(quantile(0.5)(duration_ms), 1) AS p50_ms, "
        "round(quantile(0.99)(duration_ms), 1) AS p99_ms FROM pipeline_events FINAL "
        "WHERE stage IN ('classify', 'extract', 'validate', 'enrich') GROUP BY stage "
        "ORDER BY indexOf(['classify', 'extract', 'validate', 'enrich'], stage)",
    ),
    "dead_letters": (
        "Dead letters by reason",
        "SELECT reason_code, stage, count() AS records FROM dead_letters FINAL "
        "GROUP BY reason_code, stage ORDER BY records DESC LIMIT 15",
    ),
}


def dashboard_results(runner: QueryRunner) -> dict[str, QueryResult]:
    """Every dashboard query's result; blocking."""
    return {name: runner.query(sql) for name, (_title, sql) in QUERIES.items()}


def render_dashboard(results: dict[str, QueryResult], *, at: datetime | None = None) -> str:
    moment = (at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    rate = _rows(results["review_rate"])
    summary = ""
    if rate and rate[0]["documents"]:
        row = rate[0]
        share = row["sent_to_review"] / row["documents"]
        summary = (
            f"<p class=big>{row['documents']} documents · {share:.0%} sent to review · "
            f"{row['reviewed']} reviewed</p>"
        )
    per_hour = _rows(results["per_hour"])
    sections = [
        summary,
        _section(QUERIES["per_hour"][0], _stacked_hours(per_hour), results["per_hour"]),
        _section(
            QUERIES["by_status"][0],
            _bars([(f"{r['doc_type']} · {r['status']}", r["documents"]) for r in _rows(results["by_status"])]),
            results["by_status"],
        ),
        _section(QUERIES["corrections"][0], "", results["corrections"]),
        _section(
            QUERIES["latency"][0],
            _bars([(r["stage"], r["p50_ms"]) for r in _rows(results["latency"])], unit=" ms p50"),
            results["latency"],
        ),
        _section(
            QUERIES["dead_letters"][0],
            _bars([(r["reason_code"], r["records"]) for r in _rows(results["dead_letters"])]),
            results["dead_letters"],
        ),
    ]  # fmt: skip
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>doclane · dashboard</title>"
        f"<style>{_STYLE}</style></head><body><h1>doclane dashboard</h1>"
        f"<p><small>from ClickHouse at {moment}</small></p>{''.join(sections)}</body></html>"
    )


_STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222;max-width:70rem}
table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}
th{background:#f4f4f4}.big{font-size:1.3rem}section{margin:1.5rem 0}svg text{font:11px sans-serif}"""
_COLOURS = ("#3b6fb6", "#e08a2c", "#4a9a5b", "#c0504d", "#8064a2", "#4bacc6", "#9b9b9b")


def _rows(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _section(title: str, chart: str, result: QueryResult) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in result.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in result.rows[:50]
    )
    table = f"<table><tr>{head}</tr>{body}</table>" if result.rows else "<p>None yet.</p>"
    return f"<section><h2>{escape(title)}</h2>{chart}{table}</section>"


def _bars(items: list[tuple[str, Any]], *, unit: str = "") -> str:
    """Horizontal bars, one per label."""
    if not items:
        return ""
    top = max(float(value) for _, value in items) or 1.0
    height = 18 * len(items)
    bars = "".join(
        f"<text x=0 y={18 * i + 13}>{escape(str(label))}</text>"
        f"<rect x=200 y={18 * i + 3} width={max(1.0, 400 * float(value) / top):.1f} height=12 fill='{_COLOURS[0]}'/>"
        f"<text x={205 + 400 * float(value) / top:.1f} y={18 * i + 13}>{escape(str(value))}{unit}</text>"
        for i, (label, value) in enumerate(items)
    )
    return f"<svg width=700 height={height} role=img aria-label='bar chart'>{bars}</svg>"


def _stacked_hours(rows: list[dict[str, Any]]) -> str:
    """Columns per hour, stacked by document type, with a legend."""
    if not rows:
        return ""
    hours = sorted({str(r["hour"]) for r in rows})
    types = sorted({str(r["doc_type"]) for r in rows})
    counts = {(str(r["hour"]), str(r["doc_type"])): float(r["documents"]) for r in rows}
    top = max(sum(counts.get((h, t), 0.0) for t in types) for h in hours) or 1.0
    width = min(60, max(24, 640 // len(hours)))
    parts = []
    for i, hour in enumerate(hours):
        y = 200.0
        for j, doc_type in enumerate(types):
            size = 180 * counts.get((hour, doc_type), 0.0) / top
            y -= size
            parts.append(
                f"<rect x={i * width + 40} y={y:.1f} width={width - 4} height={size:.1f} "
                f"fill='{_COLOURS[j % len(_COLOURS)]}'><title>{escape(hour)} {escape(doc_type)}: "
                f"{counts.get((hour, doc_type), 0):.0f}</title></rect>"
            )
        parts.append(f"<text x={i * width + 40} y=215>{escape(hour[11:16])}</text>")
    legend = "".join(
        f"<rect x={40 + 110 * j} y=225 width=10 height=10 fill='{_COLOURS[j % len(_COLOURS)]}'/>"
        f"<text x={54 + 110 * j} y=234>{escape(t)}</text>"
        for j, t in enumerate(types)
    )
    svg_width = 40 + width * len(hours) + 20
    return (
        f"<svg width={max(svg_width, 40 + 110 * len(types))} height=245 role=img "
        f"aria-label='documents per hour by type'><text x=0 y=20>{top:.0f}</text>"
        f"{''.join(parts)}{legend}</svg>"
    )
