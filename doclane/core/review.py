"""Why a document should go to a person instead of straight through."""

from __future__ import annotations

from dataclasses import dataclass

from doclane.core.model import (
    Classification,
    DocType,
    Extraction,
    Severity,
    ValidationIssue,
)
from doclane.core.validate import REQUIRED_FIELDS


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """When a document goes to review: thresholds on confidences, and which checks count."""

    type_confidence: float = 0.6  # the document type is less sure than this
    field_confidence: float = 0.6  # a required field is less sure than this
    on_warnings: bool = False  # warnings too, not only errors


def review_reasons(
    classification: Classification,
    extraction: Extraction,
    issues: tuple[ValidationIssue, ...],
    policy: ReviewPolicy | None = None,
) -> tuple[str, ...]:
    """Sentences for a reviewer; an empty tuple means the document can be accepted."""
    policy = policy or ReviewPolicy()
    reasons: list[str] = []
    if classification.doc_type is DocType.OTHER:
        reasons.append("The document type could not be recognised.")
    elif classification.confidence < policy.type_confidence:
        reasons.append(
            f"The document type ({classification.doc_type}) is uncertain "
            f"(confidence {classification.confidence:.2f} < {policy.type_confidence:.2f})."
        )
    routed = {Severity.ERROR, Severity.WARNING} if policy.on_warnings else {Severity.ERROR}
    reasons += [issue.message for issue in issues if issue.severity in routed]
    for name in REQUIRED_FIELDS.get(classification.doc_type, ()):
        field = extraction.get(name)
        if field is not None and field.confidence < policy.field_confidence:
            reasons.append(
                f"The {name.replace('_', ' ')} “{field.value}” is uncertain "
                f"(confidence {field.confidence:.2f} < {policy.field_confidence:.2f})."
            )
    return tuple(reasons)
