"""Fields each document type must carry, and values that could not be read."""

from __future__ import annotations

from types import MappingProxyType

from doclane.core.fields import FieldName
from doclane.core.model import DocType, Extraction, Severity, ValidationIssue
from doclane.core.validate.values import field_words, noun

REQUIRED_FIELDS: MappingProxyType[DocType, tuple[str, ...]] = MappingProxyType(
    {
        DocType.INVOICE: (
            FieldName.INVOICE_NUMBER,
            FieldName.ISSUE_DATE,
            FieldName.TOTAL,
            FieldName.CURRENCY,
            FieldName.VENDOR_NAME,
        ),
        DocType.CREDIT_NOTE: (
            FieldName.INVOICE_NUMBER,
            FieldName.ISSUE_DATE,
            FieldName.TOTAL,
            FieldName.CURRENCY,
            FieldName.VENDOR_NAME,
        ),
        DocType.RECEIPT: (FieldName.TOTAL, FieldName.ISSUE_DATE, FieldName.VENDOR_NAME),
        DocType.PURCHASE_ORDER: (FieldName.PURCHASE_ORDER_NUMBER, FieldName.TOTAL),
        DocType.CONTRACT: (FieldName.TITLE, FieldName.PARTY),
    }
)
_AMOUNTS = frozenset(
    {
        FieldName.TOTAL,
        FieldName.NET_TOTAL,
        FieldName.TAX_TOTAL,
        FieldName.LINES_TOTAL,
        FieldName.CHARGES_TOTAL,
        FieldName.ALLOWANCES_TOTAL,
    }
)
_DATES = frozenset(
    {
        FieldName.ISSUE_DATE,
        FieldName.DUE_DATE,
        FieldName.AGREEMENT_DATE,
        FieldName.EFFECTIVE_DATE,
        FieldName.EXPIRATION_DATE,
    }
)


def missing(doc_type: DocType, extraction: Extraction) -> list[ValidationIssue]:
    return [
        ValidationIssue(
            code=f"missing_{name}",
            severity=Severity.ERROR,
            message=f"The {_subject(doc_type, name)} {_is(name)} missing.",
            field=name,
        )
        for name in REQUIRED_FIELDS.get(doc_type, ())
        if extraction.get(name) is None
    ]


def _subject(doc_type: DocType, name: str) -> str:
    """ "receipt total", but "invoice number" rather than "invoice invoice number"."""
    words, kind = field_words(name), noun(doc_type)
    return words if words.startswith(kind) else f"{kind} {words}"


def _is(name: str) -> str:
    return "are" if field_words(name).endswith("ies") else "is"


def unparseable(extraction: Extraction) -> list[ValidationIssue]:
    issues = []
    for field in extraction.fields:
        if field.normalized is not None:
            continue
        if field.name in _AMOUNTS:
            code, what = "unparseable_amount", "amount"
        elif field.name in _DATES:
            code, what = "unparseable_date", "date"
        else:
            continue
        issues.append(
            ValidationIssue(
                code=code,
                severity=Severity.ERROR,
                message=f"The {field_words(field.name)} “{field.value}” is not a readable {what}.",
                field=field.name,
            )
        )
    return issues
