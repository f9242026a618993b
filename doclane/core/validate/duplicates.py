"""Duplicate detection: the same file twice, or the same business document twice.

The core only derives the keys and words the findings; remembering which
document first carried a key is the caller's job (the streaming shell keeps
it in a Faust table, tests in a dict), through the `SeenRegistry` protocol.
"""

from __future__ import annotations

from typing import Protocol

from doclane.core.enrich.vendors import comparable_name
from doclane.core.fields import FieldName
from doclane.core.model import DocType, Extraction, Severity, ValidationIssue
from doclane.core.normalize import normalize_text

# Which number identifies a business document of each type.
_NUMBER_FIELD = {
    DocType.INVOICE: FieldName.INVOICE_NUMBER,
    DocType.CREDIT_NOTE: FieldName.INVOICE_NUMBER,
    DocType.PURCHASE_ORDER: FieldName.PURCHASE_ORDER_NUMBER,
}


class SeenRegistry(Protocol):
    def first_seen(self, kind: str, key: str, document_id: str) -> str:
        """The id of the first document registered under (kind, key); registers this one if none."""
        ...


def business_key(doc_type: DocType, extraction: Extraction) -> str | None:
    """Vendor + document number + total, normalised; None when any part is missing."""
    number_field = _NUMBER_FIELD.get(doc_type)
    if number_field is None:
        return None
    number = extraction.get(number_field)
    total = extraction.get(FieldName.TOTAL)
    vat_id = extraction.get(FieldName.VENDOR_VAT_ID)
    vendor = extraction.get(FieldName.VENDOR_NAME)
    if vat_id is not None:
        issuer = normalize_text(vat_id.normalized or vat_id.value).replace(" ", "")
    elif vendor is not None:
        issuer = comparable_name(vendor.normalized or vendor.value)
    else:
        return None
    if number is None or total is None or not issuer:
        return None
    number_text = normalize_text(number.normalized or number.value).replace(" ", "")
    total_text = total.normalized or total.value
    if not number_text:
        return None
    return f"{doc_type.value}|{issuer}|{number_text}|{total_text}"


def duplicate_issues(
    doc_type: DocType,
    extraction: Extraction,
    *,
    document_id: str,
    sha256: str,
    registry: SeenRegistry,
) -> tuple[tuple[ValidationIssue, ...], str | None]:
    """Findings for this document and the id of the document it duplicates, if any."""
    issues: list[ValidationIssue] = []
    duplicate_of: str | None = None
    first = registry.first_seen("content", sha256, document_id)
    if first != document_id:
        duplicate_of = first
        issues.append(
            ValidationIssue(
                "duplicate_content",
                Severity.ERROR,
                f"This exact file was already submitted as document {first}.",
            )
        )
    key = business_key(doc_type, extraction)
    if key is not None:
        first = registry.first_seen("business", key, document_id)
        if first != document_id:
            duplicate_of = duplicate_of or first
            issues.append(
                ValidationIssue(
                    "duplicate_document",
                    Severity.ERROR,
                    f"A {doc_type.value.replace('_', ' ')} from the same vendor with the same "
                    f"number and total was already received as document {first}; "
                    "booking it again would pay it twice.",
                )
            )
    return tuple(issues), duplicate_of
