"""Fixed records shared by codec, sink and golden tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from doclane.core.model import DocumentText

SUBMITTED_AT = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def submitted_record() -> dict[str, Any]:
    return {
        "document_id": "doc-0001",
        "correlation_id": "batch-42",
        "source": "test",
        "filename": "invoice-0001.pdf",
        "content_type": "application/pdf",
        "size_bytes": 7,
        "sha256": "0" * 64,
        "payload": b"%PDF-1.",
        "claim_check_uri": None,
        "submitted_at": SUBMITTED_AT,
        "priority": 1,
        "metadata": {"tenant": "acme"},
        "parent_id": None,
        "path": None,
    }


def result_record() -> dict[str, Any]:
    prov = {
        "source": "text",
        "page": 1,
        "line": 3,
        "bbox": {"x0": 10.0, "y0": 20.0, "x1": 110.5, "y1": 32.25},
    }
    return {
        "document_id": "doc-0001",
        "correlation_id": "batch-42",
        "source": "test",
        "filename": "invoice-0001.pdf",
        "content_type": "application/pdf",
        "size_bytes": 7,
        "sha256": "0" * 64,
        "submitted_at": SUBMITTED_AT,
        "priority": 1,
        "metadata": {"tenant": "acme"},
        "stage": "ENRICHED",
        "status": "REVIEW",
        "doc_type": {
            "label": "invoice",
            "confidence": 0.875,
            "scores": {"invoice": 0.875, "credit_note": 0.1, "other": 0.025},
        },
        "fields": [
            {
                "name": "invoice_number",
                "value": "INV-7",
                "normalized_value": "INV-7",
                "confidence": 0.9,
                "provenance": prov,
            },
            {
                "name": "total",
                "value": "1.234,50",
                "normalized_value": "1234.50",
                "confidence": 0.8,
                "provenance": prov,
            },
            {
                "name": "issue_date",
                "value": "02.01.2026",
                "normalized_value": "2026-01-02",
                "confidence": 0.8,
                "provenance": prov,
            },
            {
                "name": "vendor_name",
                "value": "Musterlieferant GmbH",
                "normalized_value": "Musterlieferant GmbH",
                "confidence": 0.7,
                "provenance": prov,
            },
        ],
        "line_items": [
            {
                "description": "Widget",
                "quantity": "2",
                "unit_price": "617.25",
                "amount": "1234.50",
                "confidence": 0.6,
                "provenance": prov,
            }
        ],
        "issues": [
            {
                "code": "missing_due_date",
                "severity": "WARNING",
                "message": "The due date is missing.",
                "field": "due_date",
            }
        ],
        "enrichments": [
            {"name": "vendor_id", "value": "V0001", "score": 100.0, "source": "vendor_master"}
        ],
        "review_reasons": ["type confidence 0.88 is fine but a field is weak"],
        "timings": [
            {
                "stage": "classify",
                "started_at": SUBMITTED_AT,
                "finished_at": SUBMITTED_AT,
                "worker": "host:1",
            },
        ],
        "parties": [],
        "duplicate_of": "doc-0000",
        "language": "de",
        "text": None,
        "text_layer": None,
        "parent_id": None,
        "path": None,
        "child_count": None,
        "version": 1,
        "correction_id": None,
    }


def dead_letter_record() -> dict[str, Any]:
    return {
        "document_id": "doc-0002",
        "correlation_id": "batch-42",
        "stage": "classify",
        "reason_code": "corrupt_pdf",
        "message": "The PDF is damaged and cannot be read.",
        "attempt": 1,
        "failed_at": SUBMITTED_AT,
        "worker": "host:1",
        "filename": "broken.pdf",
        "sha256": "1" * 64,
        "submitted_at": SUBMITTED_AT,
        "original_topic": "doclane.ingest",
        "original_partition": 3,
        "original_offset": 17,
        "original_key": b"doc-0002",
        "original_value": b"\xc3\x01garbage",
        "metadata": {},
    }


def text_to_avro_v3(text: DocumentText) -> dict[str, Any]:
    """The nested text layer as workers before schema v4 wrote it on the classified topic."""
    return {
        "engine": text.engine,
        "pages": [
            {
                "number": page.number,
                "width": page.width,
                "height": page.height,
                "lines": [
                    {
                        "text": line.text,
                        "bbox": None
                        if line.bbox is None
                        else {
                            "x0": line.bbox.x0,
                            "y0": line.bbox.y0,
                            "x1": line.bbox.x1,
                            "y1": line.bbox.y1,
                        },
                    }
                    for line in page.lines
                ],
            }
            for page in text.pages
        ],
        "attachments": dict(text.attachments),
    }
