"""The document's currency must be a real ISO 4217 code, and its amounts must be written in it."""

from __future__ import annotations

import re

from doclane.core.fields import FieldName
from doclane.core.model import Extraction, Severity, ValidationIssue
from doclane.core.normalize import normalize_currency
from doclane.core.standards.currencies import ACTIVE_ISO_4217_CODES
from doclane.core.validate.values import field_words

_AMOUNT_FIELDS = (FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL)
_NOT_NUMBER = re.compile(r"[^\d\s.,'\-+()]+")


def currency_issues(extraction: Extraction) -> list[ValidationIssue]:
    field = extraction.get(FieldName.CURRENCY)
    if field is None:
        return []
    code = (field.normalized or "").upper()
    if code not in ACTIVE_ISO_4217_CODES:
        return [
            ValidationIssue(
                code="unknown_currency",
                severity=Severity.ERROR,
                message=f"The currency “{field.value}” is not an ISO 4217 currency code.",
                field=FieldName.CURRENCY,
            )
        ]
    return [
        issue for name in _AMOUNT_FIELDS if (issue := _written_in_other(extraction, name, code))
    ]


def _written_in_other(extraction: Extraction, name: str, code: str) -> ValidationIssue | None:
    """An amount printed with another currency's symbol or code ("$ 120.00" on a EUR invoice)."""
    field = extraction.get(name)
    if field is None:
        return None
    for token in _NOT_NUMBER.findall(field.value):
        written = normalize_currency(token)
        if written is not None and written != code:
            return ValidationIssue(
                code="currency_mismatch",
                severity=Severity.WARNING,
                message=f"The {field_words(name)} “{field.value}” is written in {written}, "
                f"but the document's currency is {code}.",
                field=name,
            )
    return None
