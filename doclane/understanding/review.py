"""Why a document should go to a person instead of straight through."""

from __future__ import annotations

from doclane.understanding.model import (
    Classification,
    DocType,
    Extraction,
    Severity,
    ValidationIssue,
)
from doclane.understanding.validate import REQUIRED_FIELDS


def review_reasons(
    classification: Classification,
    extraction: Extraction,
    issues: tuple[ValidationIssue, ...],
    *,
    threshold: float,
) -> tuple[str, ...]:
    """Sentences for a reviewer; an empty tuple means the document can be accepted."""
    reasons: list[str] = []
    if classification.doc_type is DocType.OTHER:
        reasons.append("The document type could not be recognised.")
    elif classification.confidence < threshold:
        reasons.append(
            f"The document type ({classification.doc_type}) is uncertain "
            f"(confidence {classification.confidence:.2f} < {threshold:.2f})."
        )
    reasons += [issue.message for issue in issues if issue.severity is Severity.ERROR]
    for name in REQUIRED_FIELDS.get(classification.doc_type, ()):
        field = extraction.get(name)
        if field is not None and field.confidence < threshold:
            reasons.append(
                f"The {name.replace('_', ' ')} “{field.value}” is uncertain "
                f"(confidence {field.confidence:.2f} < {threshold:.2f})."
            )
    return tuple(reasons)
