"""The sink's submit-to-ClickHouse latency: measured per stored document, from its submitted_at."""

from __future__ import annotations

from datetime import timedelta

from doclane.connectors.clickhouse.rows import Rows, dead_letter_rows, result_rows
from doclane.wire.records import dead_letter
from tests.records import SUBMITTED_AT, result_record


def test_each_stored_document_counts_once_from_its_submission() -> None:
    rows = Rows()
    first = result_record()
    later = result_record()
    later["document_id"] = "doc-0002"
    later["submitted_at"] = SUBMITTED_AT + timedelta(seconds=30)
    rows.extend(result_rows(first))
    rows.extend(result_rows(later))
    rows.extend(result_rows(result_record(), review=True))  # a review row is no new document
    stored_at = SUBMITTED_AT + timedelta(seconds=42, milliseconds=500)
    assert rows.seconds_since_submitted(stored_at) == [42.5, 12.5]


def test_a_failed_document_counts_from_its_submission_too() -> None:
    letter = dead_letter(
        stage="extract",
        reason_code="corrupt_pdf",
        message="no xref table",
        original_topic="doclane.classified",
        original_partition=0,
        original_offset=7,
        original_key=b"doc-0003",
        original_value=b"",
        record={"document_id": "doc-0003", "submitted_at": SUBMITTED_AT},
    )
    rows = dead_letter_rows(letter)
    assert rows.seconds_since_submitted(SUBMITTED_AT + timedelta(minutes=2)) == [120.0]
