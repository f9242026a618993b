"""A reviewer's decision as records: the `Correction`, and the result's next version.

Pure functions over the stored result (as `DocumentLookup.result` returns it
from ClickHouse) so the HTML form, the JSON route and the tests build the same
records. The corrected `DocumentResult` is the stored one with the changes
applied, `version` one higher and the correction's id; what ClickHouse does
not keep (the submission's metadata and priority, line-item boxes, container
lineage) is carried as the schema's defaults.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from doclane.core.corrections import normalize_corrected_value
from doclane.core.exceptions import CorrectionRefusedError
from doclane.core.memory import EMPTY_MEMORY, FieldHint, learn, vendor_key
from doclane.core.model import DocumentText, ExtractedField, Extraction, Provenance
from doclane.settings import TAXONOMY
from doclane.wire.records import worker_name

ReviewAction = Literal["correct", "approve", "reject"]
ACTIONS: tuple[ReviewAction, ...] = ("correct", "approve", "reject")

_BOUNDING_BOX = "dev.doclane.BoundingBox"
_PIPELINE_STAGES = ("classify", "extract", "validate", "enrich", "review")


def reviewer_identity(caller: Any) -> str:
    """Who made a correction, as stored in the audit: the one place that reads the caller.

    The caller is the key's Principal (its id and name, never the key itself);
    a bare string is taken as a key id.
    """
    key_id = getattr(caller, "key_id", None)
    return str(key_id if key_id is not None else caller)


@dataclass(frozen=True)
class ReviewDecision:
    """What the reviewer submitted: an action, typed values by field name, maybe a new type."""

    action: ReviewAction
    values: dict[str, str] = field(default_factory=dict)
    doc_type: str | None = None
    comment: str | None = None
    base_version: int | None = None  # the version the reviewer saw; None: the stored one


def stored_version(stored: dict[str, Any]) -> int:
    return int(stored.get("result_version") or 1)


def correction_for(
    stored: dict[str, Any], decision: ReviewDecision, *, reviewer: str, at: datetime
) -> dict[str, Any]:
    """The `Correction` record; raises `CorrectionRefusedError` for values that do not read
    as their field, an unknown type, or a correction that changes nothing."""
    if decision.action not in ACTIONS:
        raise CorrectionRefusedError(f"Unknown action {decision.action!r}.")
    type_before = str(stored["doc_type"])
    type_after = decision.doc_type or type_before
    if type_after not in TAXONOMY:
        raise CorrectionRefusedError(f"Unknown document type {type_after!r}.")
    changes = _changes(stored["fields"], decision.values) if decision.action == "correct" else []
    if decision.action == "correct" and not changes and type_after == type_before:
        raise CorrectionRefusedError(
            "Nothing differs from the stored result; approve the document instead.",
            reason_code="nothing_changed",
        )
    base_version = stored_version(stored)
    identity = {
        "document_id": stored["document_id"],
        "base_version": base_version,
        "reviewer": reviewer,
        "action": decision.action,
        "doc_type": type_after,
        "changes": changes,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]
    return {
        "correction_id": digest,
        "document_id": stored["document_id"],
        "base_version": base_version,
        "action": decision.action.upper(),
        "reviewer": reviewer,
        "corrected_at": at,
        "doc_type_before": type_before,
        "doc_type_after": type_after,
        "vendor_id": stored.get("vendor_id"),
        "changes": changes,
        "comment": (decision.comment or "").strip() or None,
    }


def _changes(fields: list[dict[str, Any]], values: dict[str, str]) -> list[dict[str, Any]]:
    current = {}
    for stored_field in fields:  # the first of a repeated name is the one shown
        current.setdefault(stored_field["name"], stored_field)
    changes = []
    for name, raw in sorted(values.items()):
        if not raw.strip():
            if name in current:
                raise CorrectionRefusedError(
                    f"Clearing {name} is not supported; type the right value.",
                    reason_code="empty_value",
                )
            continue  # an empty box for a field that was never found: nothing typed
        old = current.get(name)
        if old is not None and raw.strip() in (old["value"], old["normalized_value"]):
            continue  # the form sends every field as shown: untouched ones are no change
        new_value = normalize_corrected_value(name, raw)
        old_value = None if old is None else (old["normalized_value"] or old["value"])
        if old_value != new_value:
            changes.append({"field": name, "old_value": old_value, "new_value": new_value})
    return changes


def corrected_result(
    stored: dict[str, Any], correction: dict[str, Any], *, now: datetime | None = None
) -> dict[str, Any]:
    """The `DocumentResult` the correction makes: the next version of the stored one."""
    finished = now or datetime.now(UTC)
    action = correction["action"]
    changed_type = correction["doc_type_after"] != correction["doc_type_before"]
    return {
        "document_id": stored["document_id"],
        "correlation_id": stored["correlation_id"],
        "source": stored["source"],
        "filename": stored["filename"],
        "content_type": stored["content_type"],
        "size_bytes": int(stored["size_bytes"]),
        "sha256": stored["sha256"],
        "submitted_at": _moment(stored["submitted_at"]),
        "priority": int(stored.get("priority") or 0),
        "metadata": {str(k): str(v) for k, v in (stored.get("metadata") or {}).items()},
        "stage": "ENRICHED",
        "status": "REJECTED" if action == "REJECT" else "ACCEPTED",
        "doc_type": {
            "label": correction["doc_type_after"],
            "confidence": 1.0 if changed_type else float(stored["type_confidence"]),
            "scores": {str(k): float(v) for k, v in (stored.get("type_scores") or {}).items()},
        },
        "fields": _corrected_fields(stored["fields"], correction["changes"]),
        "line_items": [_line_item(item) for item in stored["line_items"]],
        "issues": [
            {
                "code": issue["code"],
                "severity": str(issue["severity"]).upper(),
                "message": issue["message"],
                "field": issue["field"] or None,
            }
            for issue in stored["issues"]
        ],
        "enrichments": _enrichments(stored),
        "review_reasons": [],
        "timings": [
            *(_timing(stage) for stage in stored["stages"] if stage["stage"] in _PIPELINE_STAGES),
            {
                "stage": "review",
                "started_at": correction["corrected_at"],
                "finished_at": max(finished, correction["corrected_at"]),
                "worker": worker_name(),
            },
        ],
        "parties": list(stored.get("parties") or []),
        "duplicate_of": stored.get("duplicate_of"),
        "language": stored.get("language") or None,
        "text": None,
        "text_layer": None,
        "parent_id": stored.get("parent_id") or None,
        "path": stored.get("path") or None,
        "child_count": stored.get("child_count"),
        "version": int(correction["base_version"]) + 1,
        "correction_id": correction["correction_id"],
    }


def _corrected_fields(
    fields: list[dict[str, Any]], changes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_field = {change["field"]: change for change in changes}
    corrected = []
    for stored_field in fields:
        change = by_field.pop(stored_field["name"], None)
        if change is None:
            corrected.append(_field(stored_field))
        else:  # the reviewer's value; the box pointed at the wrong one, so it goes
            corrected.append(_reviewed_field(stored_field["name"], change["new_value"]))
    corrected += [_reviewed_field(name, change["new_value"]) for name, change in by_field.items()]
    return corrected


def _reviewed_field(name: str, value: str) -> dict[str, Any]:
    return {
        "name": name,
        "value": value,
        "normalized_value": value,
        "confidence": 1.0,
        "provenance": {"source": "reviewer", "page": None, "line": None, "bbox": None},
    }


def _stored_box(stored: dict[str, Any]) -> tuple[str, dict[str, float]] | None:
    """A field's or line item's bounding box as its ClickHouse row holds it, if any."""
    if stored.get("x0") is None:
        return None
    return (_BOUNDING_BOX, {k: float(stored[k]) for k in ("x0", "y0", "x1", "y1")})


def _field(stored: dict[str, Any]) -> dict[str, Any]:
    box = _stored_box(stored)
    return {
        "name": stored["name"],
        "value": stored["value"],
        "normalized_value": stored["normalized_value"],
        "confidence": float(stored["confidence"]),
        "provenance": {
            "source": stored["source"],
            "page": stored["page"],
            "line": stored["line"],
            "bbox": box,
        },
    }


def _line_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": item["description"],
        "quantity": _text(item["quantity"]),
        "unit_price": _text(item["unit_price"]),
        "amount": _text(item["amount"]),
        "confidence": float(item["confidence"]),
        "provenance": {
            "source": "text",
            "page": item["page"],
            "line": item.get("line"),
            "bbox": _stored_box(item),
        },
    }


def _enrichments(stored: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if stored.get("vendor_id"):
        score = stored.get("vendor_match_score")
        found.append(
            {
                "name": "vendor_id",
                "value": stored["vendor_id"],
                "score": None if score is None else float(score),
                "source": "vendor_master",
            }
        )
    if stored.get("total_in_base") is not None:
        found.append(
            {
                "name": "total_in_base_currency",
                "value": str(stored["total_in_base"]),
                "score": None,
                "source": f"fx:{stored.get('base_currency') or ''}@stored",
            }
        )
    return found


def _timing(stage: dict[str, Any]) -> dict[str, Any]:
    return {
        "stage": stage["stage"],
        "started_at": _moment(stage["started_at"]),
        "finished_at": _moment(stage["finished_at"]),
        "worker": stage["worker"] or "",
    }


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def taught_hints(
    stored: dict[str, Any], correction: dict[str, Any], text: DocumentText | None
) -> list[tuple[str, FieldHint]]:
    """What the correction teaches the per-vendor memory: (vendor key, hint) pairs.

    The vendor is known by the fields as the pipeline read them (before the
    correction), which is how its next document will be read too; `text`, the
    document's text when its original is kept, shows where varying values stand.
    """
    if correction["action"] != "CORRECT":
        return []
    as_read = Extraction(
        tuple(
            ExtractedField(f["name"], f["value"], f["normalized_value"], 0.0, Provenance("text"))
            for f in stored["fields"]
        )
    )
    key = vendor_key(as_read)
    if key is None:
        return []
    memory = EMPTY_MEMORY
    for change in correction["changes"]:
        memory = learn(memory, key, change["field"], change["new_value"], text)
    return [(key, hint) for hint in memory.for_vendor(key).values()]
