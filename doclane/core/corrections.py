"""A reviewer's typed value, normalised the way extraction normalises the field.

Reviewers type "1.234,50" or "3 March 2026" like the document does; the stored
normalised value must be comparable with what extraction produces, so amounts
become two-decimal strings, dates ISO 8601 and currencies ISO 4217 codes. A
value that cannot be read as its field's kind is refused with a sentence.
"""

from __future__ import annotations

from doclane.core.exceptions import CorrectionRefusedError
from doclane.core.fields import FieldName
from doclane.core.normalize import (
    format_amount,
    normalize_currency,
    normalize_name,
    parse_amount,
    parse_date,
)

AMOUNT_FIELDS = frozenset(
    {
        FieldName.TOTAL,
        FieldName.NET_TOTAL,
        FieldName.TAX_TOTAL,
        FieldName.CHARGES_TOTAL,
        FieldName.ALLOWANCES_TOTAL,
        FieldName.LINES_TOTAL,
    }
)
DATE_FIELDS = frozenset(
    {
        FieldName.ISSUE_DATE,
        FieldName.ORDER_DATE,
        FieldName.DUE_DATE,
        FieldName.AGREEMENT_DATE,
        FieldName.EFFECTIVE_DATE,
        FieldName.EXPIRATION_DATE,
    }
)


def normalize_corrected_value(field: str, raw: str) -> str:
    """The normalised form of a reviewer's value for `field`; raises `CorrectionRefusedError`."""
    text = " ".join(raw.split())
    if not text:
        raise CorrectionRefusedError(f"The value for {field} is empty.", reason_code="empty_value")
    if field in AMOUNT_FIELDS:
        amount = parse_amount(text)
        if amount is None:
            raise CorrectionRefusedError(
                f"{text!r} is not an amount (for {field}).", reason_code="not_an_amount"
            )
        return format_amount(amount)
    if field in DATE_FIELDS:
        day = parse_date(text)
        if day is None:
            raise CorrectionRefusedError(
                f"{text!r} is not a date (for {field}).", reason_code="not_a_date"
            )
        return day.isoformat()
    if field == FieldName.CURRENCY:
        code = normalize_currency(text)
        if code is None:
            raise CorrectionRefusedError(
                f"{text!r} is not a currency code or symbol.", reason_code="not_a_currency"
            )
        return code
    return normalize_name(text) or text
