"""The ClickHouse store on the real embedded engine (chDB, on disk)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from doclane.connectors.clickhouse.rows import COLUMNS, dead_letter_rows, result_rows
from doclane.connectors.clickhouse.store import ClickHouseStore, ddl_statements
from doclane.exceptions import StoreError
from tests.records import dead_letter_record, result_record


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClickHouseStore]:
    path: Path = tmp_path_factory.mktemp("chdb")
    opened = ClickHouseStore(f"chdb://{path}")
    opened.apply_ddl()
    yield opened
    opened.close()


def _insert(store: ClickHouseStore, rows, token: str) -> None:  # type: ignore[no-untyped-def]
    for table, table_rows in rows.tables.items():
        store.insert(table, table_rows, COLUMNS[table], token=f"{token}:{table}")


def test_ddl_is_idempotent(store: ClickHouseStore) -> None:
    assert store.apply_ddl() == len(ddl_statements())
    tables = {row[0] for row in store.query("SHOW TABLES").rows}
    assert {"documents", "fields", "line_items", "validation_issues", "pipeline_events",
            "dead_letters", "review_queue", "documents_per_minute", "documents_latest"} <= tables  # fmt: skip


def test_a_result_lands_in_every_table(store: ClickHouseStore) -> None:
    record = result_record()
    record["document_id"] = "doc-store-1"
    _insert(store, result_rows(record), "batch-store-1")
    doc = store.query(
        "SELECT doc_type, status, invoice_number, total, issue_date, vendor_id FROM documents FINAL "
        "WHERE document_id = 'doc-store-1'"
    ).rows
    assert doc == [("invoice", "review", "INV-7", Decimal("1234.50"), doc[0][4], "V0001")]
    assert str(doc[0][4]) == "2026-01-02"
    fields = store.query(
        "SELECT name FROM fields WHERE document_id = 'doc-store-1' ORDER BY name"
    ).rows
    assert [f[0] for f in fields] == ["invoice_number", "issue_date", "total", "vendor_name"]
    events = store.query(
        "SELECT stage FROM pipeline_events WHERE document_id = 'doc-store-1' ORDER BY stage"
    ).rows
    assert [e[0] for e in events] == ["classify", "submitted"]
    assert store.query(
        "SELECT count() FROM validation_issues WHERE document_id = 'doc-store-1'"
    ).rows == [(1,)]
    assert store.query("SELECT count() FROM line_items WHERE document_id = 'doc-store-1'").rows == [
        (1,)
    ]


def test_a_replayed_batch_is_deduplicated(store: ClickHouseStore) -> None:
    record = result_record()
    record["document_id"] = "doc-store-2"
    for _ in range(3):
        _insert(store, result_rows(record), "batch-store-2")
    # The same token: ClickHouse drops the repeated blocks, even without FINAL.
    assert store.query("SELECT count() FROM documents WHERE document_id = 'doc-store-2'").rows == [
        (1,)
    ]
    # A replay in a different batch still leaves one logical row.
    _insert(store, result_rows(record), "batch-store-2-other")
    assert store.query(
        "SELECT count() FROM documents FINAL WHERE document_id = 'doc-store-2'"
    ).rows == [(1,)]
    assert store.query(
        "SELECT count() FROM documents_latest WHERE document_id = 'doc-store-2'"
    ).rows == [(1,)]


def test_a_dead_letter_becomes_a_failed_document(store: ClickHouseStore) -> None:
    _insert(store, dead_letter_rows(dead_letter_record()), "batch-store-3")
    rows = store.query(
        "SELECT status, failure_stage, failure_reason FROM documents FINAL WHERE document_id = 'doc-0002'"
    ).rows
    assert rows == [("failed", "classify", "corrupt_pdf")]
    assert store.query(
        "SELECT reason_code FROM dead_letters WHERE document_id = 'doc-0002'"
    ).rows == [("corrupt_pdf",)]


def test_documents_per_minute_view_counts_inserts(store: ClickHouseStore) -> None:
    total = store.query("SELECT sum(documents) FROM documents_per_minute").rows[0][0]
    assert total >= 3


def test_v3_type_scores_and_field_boxes_are_stored(store: ClickHouseStore) -> None:
    record = result_record()
    record["document_id"] = "doc-store-v3"
    record["fields"][0]["provenance"] = {
        "source": "text",
        "page": 1,
        "line": 3,
        "bbox": {"x0": 56.5, "y0": 120.0, "x1": 180.25, "y1": 131.5},
    }
    _insert(store, result_rows(record), "batch-store-v3")
    scores = store.query(
        "SELECT type_scores['invoice'], type_scores['other'] FROM documents FINAL "
        "WHERE document_id = 'doc-store-v3'"
    ).rows
    assert scores == [(0.875, 0.025)]
    box = store.query(
        "SELECT x0, y0, x1, y1 FROM fields FINAL WHERE document_id = 'doc-store-v3' "
        "AND name = 'invoice_number'"
    ).rows
    assert box == [(56.5, 120.0, 180.25, 131.5)]


def test_read_only_queries_cannot_write(store: ClickHouseStore) -> None:
    with pytest.raises(StoreError):
        store.query("INSERT INTO review_queue (document_id) VALUES ('x')", read_only=True)
    with pytest.raises(StoreError):
        store.query("DROP TABLE documents", read_only=True)
    assert store.query(
        "SELECT count() FROM documents WHERE document_id = 'x'", read_only=True
    ).rows == [(0,)]
