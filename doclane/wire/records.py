"""Mapping between the core's plain data and the Avro records on the topics."""

from __future__ import annotations

import functools
import os
import socket
import time
from datetime import UTC, datetime
from typing import Any

from doclane.core.fields import FieldName
from doclane.core.model import (
    BoundingBox,
    Classification,
    DocType,
    DocumentText,
    Enrichment,
    ExtractedField,
    Extraction,
    LineItem,
    Page,
    Provenance,
    Severity,
    TextLine,
    ValidationIssue,
)

_CARRIED_FIELDS = (
    "document_id",
    "correlation_id",
    "source",
    "filename",
    "content_type",
    "size_bytes",
    "sha256",
    "submitted_at",
    "priority",
    "metadata",
)


def worker_name() -> str:
    return _worker_name(os.getpid())


@functools.cache
def _worker_name(pid: int) -> str:
    """host:pid, asked of the system once per process (each stage timing names it)."""
    return f"{socket.gethostname()}:{pid}"


def now_micros() -> int:
    return time.time_ns() // 1000


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- text -----------------------------------------------------------------


# fastavro's tuple notation names the branch of the ["null", BoundingBox] union, so
# the encoder skips validating the box against each branch: a third of the encode
# time of an extracted record. Decoded records hold plain dicts.
_BOUNDING_BOX = "dev.doclane.BoundingBox"
BoxValue = dict[str, float] | tuple[str, dict[str, float]]


def _bbox_to_avro(bbox: BoundingBox | None) -> BoxValue | None:
    if bbox is None:
        return None
    return (_BOUNDING_BOX, {"x0": bbox.x0, "y0": bbox.y0, "x1": bbox.x1, "y1": bbox.y1})


def plain_box(raw: BoxValue | None) -> dict[str, float] | None:
    """The box as a dict, whether decoded or still in the encoder's tuple notation."""
    if isinstance(raw, tuple):
        return raw[1]
    return raw


def _bbox_from_avro(raw: BoxValue | None) -> BoundingBox | None:
    box = plain_box(raw)
    if box is None:
        return None
    return BoundingBox(box["x0"], box["y0"], box["x1"], box["y1"])


def text_from_avro(raw: dict[str, Any]) -> DocumentText:
    """The nested text layer records of schema v1-v3 carried (read for records of older workers)."""
    return DocumentText(
        pages=tuple(
            Page(
                number=page["number"],
                width=page["width"],
                height=page["height"],
                lines=tuple(
                    TextLine(ln["text"], _bbox_from_avro(ln["bbox"])) for ln in page["lines"]
                ),
            )
            for page in raw["pages"]
        ),
        engine=raw["engine"],
        attachments=dict(raw.get("attachments") or {}),
    )


# -- classification, extraction, checks, enrichments ----------------------


def classification_from_avro(raw: dict[str, Any]) -> Classification:
    return Classification(
        doc_type=DocType(raw["label"]),
        confidence=raw["confidence"],
        scores=dict(raw.get("scores") or {}),  # absent in records written before v3
    )


def _provenance_to_avro(prov: Provenance) -> dict[str, Any]:
    return {
        "source": prov.source,
        "page": prov.page,
        "line": prov.line,
        "bbox": _bbox_to_avro(prov.bbox),
    }


def _provenance_from_avro(raw: dict[str, Any]) -> Provenance:
    return Provenance(
        source=raw["source"], page=raw["page"], line=raw["line"], bbox=_bbox_from_avro(raw["bbox"])
    )


def extraction_to_avro(extraction: Extraction) -> dict[str, list[Any]]:
    """Fields and line items as Avro; contract parties (fields named `party`) also as the
    record's `parties` list, in the order found."""
    return {
        "parties": [
            f.normalized or f.value for f in extraction.fields if f.name == FieldName.PARTY
        ],
        "fields": [
            {
                "name": f.name,
                "value": f.value,
                "normalized_value": f.normalized,
                "confidence": f.confidence,
                "provenance": _provenance_to_avro(f.provenance),
            }
            for f in extraction.fields
        ],
        "line_items": [
            {
                "description": item.description,
                "quantity": item.quantity,
                "unit_price": item.unit_price,
                "amount": item.amount,
                "confidence": item.confidence,
                "provenance": _provenance_to_avro(item.provenance),
            }
            for item in extraction.line_items
        ],
    }


def extraction_from_avro(record: dict[str, Any]) -> Extraction:
    return Extraction(
        fields=tuple(
            ExtractedField(
                name=f["name"],
                value=f["value"],
                normalized=f["normalized_value"],
                confidence=f["confidence"],
                provenance=_provenance_from_avro(f["provenance"]),
            )
            for f in record["fields"]
        ),
        line_items=tuple(
            LineItem(
                description=i["description"],
                quantity=i["quantity"],
                unit_price=i["unit_price"],
                amount=i["amount"],
                confidence=i["confidence"],
                provenance=_provenance_from_avro(i["provenance"]),
            )
            for i in record["line_items"]
        ),
    )


def issues_to_avro(issues: tuple[ValidationIssue, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "severity": i.severity.value.upper(),
            "message": i.message,
            "field": i.field,
        }
        for i in issues
    ]


def issues_from_avro(raw: list[dict[str, Any]]) -> tuple[ValidationIssue, ...]:
    return tuple(
        ValidationIssue(
            code=i["code"],
            severity=Severity(i["severity"].lower()),
            message=i["message"],
            field=i["field"],
        )
        for i in raw
    )


def enrichment_from_avro(raw: dict[str, Any]) -> Enrichment:
    return Enrichment(raw["name"], raw["value"], raw.get("score"), raw.get("source") or "")


def enrichments_to_avro(enrichments: tuple[Enrichment, ...]) -> list[dict[str, Any]]:
    return [
        {"name": e.name, "value": e.value, "score": e.score, "source": e.source}
        for e in enrichments
    ]


# -- whole records ----------------------------------------------------------


def result_from_submission(
    submission: dict[str, Any], classification: Classification, text_layer: bytes
) -> dict[str, Any]:
    """The first DocumentResult of a document: carried fields, type, and the text layer
    in its compact layout (`doclane.wire.text_layer`)."""
    record = {name: submission[name] for name in _CARRIED_FIELDS}
    record.update(parent_id=submission.get("parent_id"), path=submission.get("path"))
    record.update(
        stage="CLASSIFIED",
        status="PROCESSING",
        doc_type={
            "label": classification.doc_type.value,
            "confidence": classification.confidence,
            "scores": dict(classification.scores),
        },
        fields=[],
        line_items=[],
        issues=[],
        enrichments=[],
        review_reasons=[],
        timings=[],
        text=None,
        text_layer=text_layer,
    )
    return record


def stage_timing(stage: str, started_at_us: int) -> dict[str, Any]:
    return {
        "stage": stage,
        "started_at": started_at_us,
        "finished_at": now_micros(),
        "worker": worker_name(),
    }


def dead_letter(
    *,
    stage: str,
    reason_code: str,
    message: str,
    original_topic: str,
    original_partition: int,
    original_offset: int,
    original_key: bytes | None,
    original_value: bytes | None,
    record: dict[str, Any] | None = None,
    attempt: int = 1,
) -> dict[str, Any]:
    """A DeadLetter record; `record` is the decoded original when it could be decoded."""
    record = record or {}
    key_text = original_key.decode("utf-8", "replace") if original_key else None
    return {
        "document_id": record.get("document_id") or key_text,
        "correlation_id": record.get("correlation_id"),
        "stage": stage,
        "reason_code": reason_code,
        "message": message,
        "attempt": attempt,
        "failed_at": utc_now(),
        "worker": worker_name(),
        "filename": record.get("filename"),
        "sha256": record.get("sha256"),
        "submitted_at": record.get("submitted_at"),
        "original_topic": original_topic,
        "original_partition": original_partition,
        "original_offset": original_offset,
        "original_key": original_key,
        "original_value": original_value,
        "metadata": dict(record.get("metadata") or {}),
    }
