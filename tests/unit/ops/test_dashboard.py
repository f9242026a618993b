"""The dashboard page from query results: numbers, charts, nothing loaded from outside."""

from __future__ import annotations

from datetime import UTC, datetime

from doclane.connectors.clickhouse.store import QueryResult
from doclane.ops.dashboard import QUERIES, dashboard_results, render_dashboard


class _Runner:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def query(self, sql: str) -> QueryResult:
        self.asked.append(sql)
        canned = {
            QUERIES["per_hour"][1]: QueryResult(
                ("hour", "doc_type", "documents"),
                [("2026-12-03 09:00:00", "invoice", 30), ("2026-12-03 09:00:00", "receipt", 10),
                 ("2026-12-03 10:00:00", "invoice", 5)],
            ),
            QUERIES["review_rate"][1]: QueryResult(
                ("documents", "sent_to_review", "reviewed"), [(45, 9, 4)]
            ),
            QUERIES["dead_letters"][1]: QueryResult(
                ("reason_code", "stage", "records"), [("corrupt_pdf", "classify", 3)]
            ),
        }  # fmt: skip
        return canned.get(sql, QueryResult(("x",), []))

    def close(self) -> None:
        pass


def test_the_dashboard_shows_volumes_review_rate_and_dead_letter_reasons() -> None:
    runner = _Runner()
    page = render_dashboard(dashboard_results(runner), at=datetime(2026, 12, 3, 11, tzinfo=UTC))
    assert len(runner.asked) == len(QUERIES)
    assert "45 documents · 20% sent to review · 4 reviewed" in page
    assert "2026-12-03 09:00:00 invoice: 30" in page  # a stacked column's tooltip
    assert "corrupt_pdf" in page
    assert page.count("<svg") == 2  # per hour, dead letters; empty results draw nothing
    assert "None yet." in page
    assert "<script" not in page
    assert "http" not in page  # offline: nothing to fetch
