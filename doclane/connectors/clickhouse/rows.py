"""Turn decoded result and dead-letter records into ClickHouse rows (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from doclane.core.fields import FieldName
from doclane.wire.records import plain_box

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "document_id", "correlation_id", "source", "filename", "content_type", "size_bytes",
        "sha256", "doc_type", "type_confidence", "status", "language", FieldName.VENDOR_NAME, "vendor_id",
        FieldName.INVOICE_NUMBER, FieldName.ISSUE_DATE, FieldName.CURRENCY, FieldName.TOTAL, "field_count", "line_item_count",
        "error_count", "warning_count", "review_reasons", "failure_stage", "failure_reason",
        "failure_message", "submitted_at", "completed_at", "version", "parties", "duplicate_of",
        FieldName.DUE_DATE, FieldName.NET_TOTAL, FieldName.TAX_TOTAL, "vendor_match_score", "total_in_base",
        "base_currency", "type_scores", "result_version", "priority", "metadata",
    ),
    "fields": (
        "document_id", "name", "ordinal", "value", "normalized_value", "confidence", "source",
        "page", "line", "doc_type", "x0", "y0", "x1", "y1",
    ),
    "line_items": (
        "document_id", "position", "description", "quantity", "unit_price", "amount",
        "confidence", "page", "line", "x0", "y0", "x1", "y1",
    ),
    "validation_issues": ("document_id", "code", "severity", "message", "field", "doc_type"),
    "pipeline_events": (
        "document_id", "stage", "started_at", "finished_at", "duration_ms", "worker", "doc_type",
        "status",
    ),
    "dead_letters": (
        "document_id", "stage", "reason_code", "message", "attempt", "filename", "original_topic",
        "original_partition", "original_offset", "failed_at",
    ),
    "review_queue": ("document_id", "doc_type", "reasons", "queued_at"),
    "document_lineage": (
        "document_id", "parent_id", "path", "filename", "doc_type", "status", "child_count",
        "submitted_at",
    ),
    "corrections": (
        "correction_id", "document_id", "base_version", "action", "reviewer", "corrected_at",
        "doc_type_before", "doc_type_after", "vendor_id", "change_count", "comment",
    ),
    "correction_audit": (
        "correction_id", "document_id", "reviewer", "corrected_at", "action", "field",
        "old_value", "new_value",
    ),
}  # fmt: skip


@dataclass
class Rows:
    """Rows per table for one batch, in column order of `COLUMNS`."""

    tables: dict[str, list[list[Any]]] = field(default_factory=lambda: {t: [] for t in COLUMNS})

    def add(self, table: str, row: list[Any]) -> None:
        self.tables[table].append(row)

    def extend(self, other: Rows) -> None:
        for table, rows in other.tables.items():
            self.tables[table].extend(rows)

    @property
    def document_count(self) -> int:
        return len(self.tables["documents"])

    def seconds_since_submitted(self, stored_at: datetime) -> list[float]:
        """Per documents row, how long before `stored_at` its document was submitted."""
        column = COLUMNS["documents"].index("submitted_at")
        return [(stored_at - row[column]).total_seconds() for row in self.tables["documents"]]


def _utc(value: datetime | int) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(value / 1000, UTC)


def _decimal(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return value if abs(value) < Decimal("1e16") else None


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def result_rows(record: dict[str, Any], *, review: bool = False) -> Rows:
    """Rows for a DocumentResult from the results topic (or, with `review`, the review topic)."""
    rows = Rows()
    doc_id = record["document_id"]
    doc_type = record["doc_type"]["label"]
    if review:
        rows.add(
            "review_queue", [doc_id, doc_type, list(record["review_reasons"]), _finished(record)]
        )
        return rows
    status = record["status"].lower()
    fields_by_name: dict[str, str | None] = {}
    for ordinal, f in enumerate(record["fields"]):
        fields_by_name.setdefault(f["name"], f["normalized_value"] or f["value"])
        prov = f["provenance"]
        box = plain_box(prov["bbox"]) or {}
        rows.add(
            "fields",
            [doc_id, f["name"], ordinal, f["value"], f["normalized_value"], f["confidence"],
             prov["source"], prov["page"], prov["line"], doc_type, box.get("x0"), box.get("y0"),
             box.get("x1"), box.get("y1")],
        )  # fmt: skip
    for position, item in enumerate(record["line_items"], start=1):
        prov = item["provenance"]
        box = plain_box(prov["bbox"]) or {}
        rows.add(
            "line_items",
            [doc_id, position, item["description"], item["quantity"], item["unit_price"],
             item["amount"], item["confidence"], prov["page"], prov["line"], box.get("x0"),
             box.get("y0"), box.get("x1"), box.get("y1")],
        )  # fmt: skip
    severities = [issue["severity"] for issue in record["issues"]]
    for issue in record["issues"]:
        rows.add(
            "validation_issues",
            [
                doc_id,
                issue["code"],
                issue["severity"].lower(),
                issue["message"],
                issue["field"] or "",
                doc_type,
            ],
        )
    submitted = _utc(record["submitted_at"])
    rows.add(
        "pipeline_events", [doc_id, "submitted", submitted, submitted, 0.0, "", doc_type, status]
    )
    for timing in record["timings"]:
        started, finished = _utc(timing["started_at"]), _utc(timing["finished_at"])
        duration_ms = (finished - started).total_seconds() * 1000
        rows.add(
            "pipeline_events",
            [
                doc_id,
                timing["stage"],
                started,
                finished,
                duration_ms,
                timing["worker"],
                doc_type,
                status,
            ],
        )
    enrichments = {e["name"]: e for e in record["enrichments"]}
    vendor_match = enrichments.get("vendor_id")
    in_base = enrichments.get("total_in_base_currency")
    base_currency = in_base["source"].split("@")[0].removeprefix("fx:") if in_base else ""
    language = record.get("language") or (
        enrichments["language"]["value"] if "language" in enrichments else ""
    )
    if record.get("parent_id") is not None or record.get("child_count") is not None:
        rows.add(
            "document_lineage",
            [doc_id, record.get("parent_id") or "", record.get("path") or "",
             record["filename"] or "", doc_type, status, record.get("child_count"), submitted],
        )  # fmt: skip
    completed = _finished(record)
    rows.add(
        "documents",
        [doc_id, record["correlation_id"], record["source"], record["filename"],
         record["content_type"], record["size_bytes"], record["sha256"], doc_type,
         record["doc_type"]["confidence"], status, language,
         fields_by_name.get(FieldName.VENDOR_NAME), vendor_match["value"] if vendor_match else None,
         fields_by_name.get(FieldName.INVOICE_NUMBER), _date(fields_by_name.get(FieldName.ISSUE_DATE)),
         fields_by_name.get(FieldName.CURRENCY), _decimal(fields_by_name.get(FieldName.TOTAL)),
         len(record["fields"]), len(record["line_items"]), severities.count("ERROR"),
         severities.count("WARNING"), list(record["review_reasons"]), "", "", "", submitted,
         completed, _micros(completed), list(record.get("parties") or ()),
         record.get("duplicate_of"), _date(fields_by_name.get(FieldName.DUE_DATE)),
         _decimal(fields_by_name.get(FieldName.NET_TOTAL)), _decimal(fields_by_name.get(FieldName.TAX_TOTAL)),
         vendor_match["score"] if vendor_match else None,
         _decimal(in_base["value"]) if in_base else None, base_currency,
         dict(record["doc_type"].get("scores") or {}), record.get("version") or 1,
         record.get("priority") or 0, dict(record.get("metadata") or {})],
    )  # fmt: skip
    return rows


def _finished(record: dict[str, Any]) -> datetime:
    timings = record["timings"]
    if timings:
        return _utc(timings[-1]["finished_at"])
    return _utc(record["submitted_at"])


def dead_letter_rows(letter: dict[str, Any]) -> Rows:
    """Rows for a DeadLetter: the letter itself, and a failed document when its id is known."""
    rows = Rows()
    doc_id = letter["document_id"] or ""
    failed_at = _utc(letter["failed_at"])
    rows.add(
        "dead_letters",
        [doc_id, letter["stage"], letter["reason_code"], letter["message"], letter["attempt"],
         letter["filename"], letter["original_topic"], letter["original_partition"],
         letter["original_offset"], failed_at],
    )  # fmt: skip
    if not doc_id:
        return rows
    submitted = _utc(letter["submitted_at"]) if letter["submitted_at"] is not None else failed_at
    rows.add(
        "pipeline_events",
        [doc_id, "dead_letter", failed_at, failed_at, 0.0, letter["worker"], "", "failed"],
    )
    rows.add(
        "documents",
        [doc_id, letter["correlation_id"] or "", "", letter["filename"], "", 0,
         letter["sha256"] or "", "unknown", 0.0, "failed", "", None, None, None, None, None,
         None, 0, 0, 0, 0, [], letter["stage"], letter["reason_code"], letter["message"],
         submitted, failed_at, _micros(failed_at), [], None, None, None, None, None, None, "",
         {}, 1, 0, {}],
    )  # fmt: skip
    return rows


def correction_rows(correction: dict[str, Any]) -> Rows:
    """Rows for a Correction: the decision, and one audit row per thing it changed
    (each field, and the document type when the reviewer changed it)."""
    rows = Rows()
    at = _utc(correction["corrected_at"])
    action = correction["action"].lower()
    who = correction["reviewer"]
    changed = [(c["field"], c["old_value"], c["new_value"]) for c in correction["changes"]]
    if correction["doc_type_after"] != correction["doc_type_before"]:
        changed.append(("doc_type", correction["doc_type_before"], correction["doc_type_after"]))
    rows.add(
        "corrections",
        [correction["correction_id"], correction["document_id"], correction["base_version"],
         action, who, at, correction["doc_type_before"], correction["doc_type_after"],
         correction["vendor_id"], len(changed), correction["comment"] or ""],
    )  # fmt: skip
    for name, old, new in changed:
        rows.add(
            "correction_audit",
            [correction["correction_id"], correction["document_id"], who, at, action, name, old,
             new],
        )  # fmt: skip
    return rows
