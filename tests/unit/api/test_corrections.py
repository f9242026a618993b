"""A decision becomes a Correction and the result's next version, both valid Avro."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from doclane.api.corrections import (
    ReviewDecision,
    corrected_result,
    correction_for,
    reviewer_identity,
)
from doclane.connectors.clickhouse.rows import COLUMNS, correction_rows, result_rows
from doclane.core.exceptions import CorrectionRefusedError
from doclane.wire.codec import SingleObjectCodec
from doclane.wire.schemas import CORRECTION, RESULT, current_schemas

AT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _stored() -> dict[str, Any]:
    """A result as `DocumentLookup.result` returns it from ClickHouse (JSON-ready values)."""
    return {
        "document_id": "doc-1", "correlation_id": "doc-1", "source": "api",
        "filename": "bill.pdf", "content_type": "application/pdf", "size_bytes": 1000,
        "sha256": "ab" * 32, "doc_type": "invoice", "type_confidence": 0.61, "status": "review",
        "language": "de", "vendor_id": "V-7", "vendor_match_score": 91.0,
        "total_in_base": "120.00", "base_currency": "EUR", "type_scores": {"invoice": 0.61},
        "submitted_at": "2026-12-03T09:00:00+00:00", "parties": [], "duplicate_of": None,
        "result_version": 1,
        "fields": [
            {"name": "vendor_name", "value": "ACME GMBH RECHNUNG", "normalized_value": None,
             "confidence": 0.5, "source": "text", "page": 1, "line": 1,
             "x0": 10.0, "y0": 10.0, "x1": 90.0, "y1": 20.0},
            {"name": "total", "value": "100,00", "normalized_value": "100.00", "confidence": 0.4,
             "source": "text", "page": 1, "line": 9, "x0": None, "y0": None, "x1": None, "y1": None},
        ],
        "line_items": [{"position": 1, "description": "Bolts", "quantity": "2", "unit_price": "50.00",
                        "amount": "100.00", "confidence": 0.8, "page": 1}],
        "issues": [{"code": "total_mismatch", "severity": "error", "message": "The total does not add up.",
                    "field": "total"}],
        "stages": [
            {"stage": "submitted", "started_at": "2026-12-03T09:00:00+00:00",
             "finished_at": "2026-12-03T09:00:00+00:00", "duration_ms": 0.0, "worker": "", "status": "review"},
            {"stage": "classify", "started_at": "2026-12-03T09:00:01+00:00",
             "finished_at": "2026-12-03T09:00:02+00:00", "duration_ms": 1000.0, "worker": "h:1", "status": "review"},
        ],
    }  # fmt: skip


def test_only_values_that_differ_are_changes_and_the_id_is_stable() -> None:
    decision = ReviewDecision(
        "correct", {"vendor_name": "ACME GmbH", "total": "100,00", "currency": "€"}
    )
    first = correction_for(_stored(), decision, reviewer="k1", at=AT)
    again = correction_for(_stored(), decision, reviewer="k1", at=AT.replace(hour=11))
    assert first["changes"] == [
        {"field": "currency", "old_value": None, "new_value": "EUR"},
        {"field": "vendor_name", "old_value": "ACME GMBH RECHNUNG", "new_value": "ACME GmbH"},
    ]
    assert first["correction_id"] == again["correction_id"]  # a retried post is the same one
    assert (
        correction_for(_stored(), decision, reviewer="k2", at=AT)["correction_id"]
        != (first["correction_id"])
    )
    SingleObjectCodec(current_schemas()[CORRECTION]).encode(first)


def test_a_correction_that_changes_nothing_or_clears_a_field_is_refused() -> None:
    with pytest.raises(CorrectionRefusedError, match="approve"):
        correction_for(_stored(), ReviewDecision("correct", {"total": "100"}), reviewer="k", at=AT)
    with pytest.raises(CorrectionRefusedError, match="Clearing"):
        correction_for(_stored(), ReviewDecision("correct", {"total": ""}), reviewer="k", at=AT)
    with pytest.raises(CorrectionRefusedError, match="type"):
        correction_for(_stored(), ReviewDecision("approve", doc_type="memo"), reviewer="k", at=AT)


def test_the_corrected_result_is_the_next_version_and_stores_as_the_newest() -> None:
    decision = ReviewDecision("correct", {"total": "120,00"}, doc_type="receipt")
    correction = correction_for(_stored(), decision, reviewer="k1", at=AT)
    corrected = corrected_result(_stored(), correction, now=AT)
    codec = SingleObjectCodec(current_schemas()[RESULT])
    decoded = codec.decode(codec.encode(corrected))
    assert (decoded["version"], decoded["correction_id"]) == (2, correction["correction_id"])
    assert decoded["status"] == "ACCEPTED"
    assert decoded["review_reasons"] == []
    assert decoded["doc_type"]["label"] == "receipt"
    total = next(f for f in decoded["fields"] if f["name"] == "total")
    assert (total["normalized_value"], total["provenance"]["source"]) == ("120.00", "reviewer")
    vendor = next(f for f in decoded["fields"] if f["name"] == "vendor_name")
    assert vendor["provenance"]["bbox"] == {"x0": 10.0, "y0": 10.0, "x1": 90.0, "y1": 20.0}
    assert [t["stage"] for t in decoded["timings"]] == ["classify", "review"]
    (document,) = result_rows(decoded).tables["documents"]
    assert document[COLUMNS["documents"].index("result_version")] == 2
    # documents keeps the row with the highest completion time: the review's
    assert document[26] == AT


def test_a_rejection_stores_a_rejected_status_and_an_audit_of_what_changed() -> None:
    correction = correction_for(
        _stored(), ReviewDecision("reject", comment=" not ours "), reviewer="k1", at=AT
    )
    assert correction["comment"] == "not ours"
    assert corrected_result(_stored(), correction)["status"] == "REJECTED"
    rows = correction_rows(correction).tables
    assert rows["corrections"][0][3:5] == ["reject", "k1"]
    assert rows["correction_audit"] == []
    typed = correction_for(
        _stored(),
        ReviewDecision("correct", {"total": "9"}, doc_type="receipt"),
        reviewer="k1",
        at=AT,
    )
    audit = correction_rows(typed).tables["correction_audit"]
    assert [(r[5], r[6], r[7]) for r in audit] == [
        ("total", "100.00", "9.00"),
        ("doc_type", "invoice", "receipt"),
    ]


def test_the_reviewer_is_the_callers_key_identity() -> None:
    class Principal:
        key_id = "key-42"

    assert reviewer_identity("3f2a9c") == "3f2a9c"
    assert reviewer_identity(Principal()) == "key-42"


def test_fields_sent_back_as_shown_are_no_change_even_when_they_would_not_normalise() -> None:
    stored = _stored()
    stored["fields"].append(
        {"name": "due_date", "value": "end of month", "normalized_value": None, "confidence": 0.3,
         "source": "text", "page": 1, "line": 5, "x0": None, "y0": None, "x1": None, "y1": None}
    )  # fmt: skip
    decision = ReviewDecision("correct", {"due_date": "end of month", "total": "120,00"})
    correction = correction_for(stored, decision, reviewer="k1", at=AT)
    assert [c["field"] for c in correction["changes"]] == ["total"]


def test_the_corrected_result_keeps_the_submission_and_where_items_were_read() -> None:
    stored = _stored()
    stored.update(
        priority=7,
        metadata={"erp_ref": "PO-9"},
        parent_id="batch-1",
        path="inbox.zip/bill.pdf",
        child_count=None,
    )
    stored["line_items"][0].update(line=12, x0=40.0, y0=300.0, x1=520.0, y1=312.0)
    decision = ReviewDecision("correct", {"total": "120,00"})
    corrected = corrected_result(stored, correction_for(stored, decision, reviewer="k", at=AT))
    assert (corrected["priority"], corrected["metadata"]) == (7, {"erp_ref": "PO-9"})
    assert (corrected["parent_id"], corrected["path"]) == ("batch-1", "inbox.zip/bill.pdf")
    item = corrected["line_items"][0]["provenance"]
    assert item["line"] == 12
    assert item["bbox"][1] == {"x0": 40.0, "y0": 300.0, "x1": 520.0, "y1": 312.0}
    SingleObjectCodec(current_schemas()[RESULT]).encode(corrected)
