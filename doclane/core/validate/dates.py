"""Dates that must be in order, near each other, and not after the document arrived.

`received` is the day the document reached doclane (its submission time in the
pipeline, today elsewhere). An invoice issued more than a month after it was
received, or whose issue and due dates lie more than a year apart, carries a
misread date: those are errors a person must look at. A due date merely before
the issue date, and contract dates far ahead, are warnings.
"""

from __future__ import annotations

from datetime import date, timedelta

from doclane.core.fields import FieldName
from doclane.core.model import Extraction, Severity, ValidationIssue
from doclane.core.validate.values import date_of, field_words

MAX_DAYS_IN_FUTURE = 366
MAX_DAYS_ISSUED_AFTER_RECEIPT = 31  # post-dated invoices and time zones, not years
MAX_DAYS_BETWEEN_ISSUE_AND_DUE = 366
# (earlier, later): the later date must not come before the earlier one.
_ORDERED = (
    (FieldName.ISSUE_DATE, FieldName.DUE_DATE),
    (FieldName.EFFECTIVE_DATE, FieldName.EXPIRATION_DATE),
)
_NOT_IN_FUTURE = (FieldName.AGREEMENT_DATE, FieldName.EFFECTIVE_DATE)


def date_order(extraction: Extraction) -> list[ValidationIssue]:
    issues = []
    for earlier_name, later_name in _ORDERED:
        earlier, later = date_of(extraction, earlier_name), date_of(extraction, later_name)
        if earlier is None or later is None or earlier <= later:
            continue
        code = f"{later_name.removesuffix('_date')}_date_before_{earlier_name}"
        issues.append(
            ValidationIssue(
                code=code,
                severity=Severity.WARNING,
                message=f"The {field_words(later_name)} {later} is before the {field_words(earlier_name)} {earlier}.",
                field=later_name,
            )
        )
    return issues


def dates_apart(extraction: Extraction) -> list[ValidationIssue]:
    """Issue and due date more than a year apart: one of them was misread."""
    issued = date_of(extraction, FieldName.ISSUE_DATE)
    due = date_of(extraction, FieldName.DUE_DATE)
    if issued is None or due is None or abs((due - issued).days) <= MAX_DAYS_BETWEEN_ISSUE_AND_DUE:
        return []
    return [
        ValidationIssue(
            code="dates_years_apart",
            severity=Severity.ERROR,
            message=f"The issue date {issued} and the due date {due} are more than a year "
            "apart; one of them is probably misread.",
            field=FieldName.ISSUE_DATE,
        )
    ]


def future_dates(extraction: Extraction, received: date) -> list[ValidationIssue]:
    issues = []
    issued = date_of(extraction, FieldName.ISSUE_DATE)
    if issued is not None and issued > received + timedelta(days=MAX_DAYS_ISSUED_AFTER_RECEIPT):
        issues.append(
            ValidationIssue(
                code="issued_after_receipt",
                severity=Severity.ERROR,
                message=f"The issue date {issued} is after the document was received "
                f"({received}); the date is probably misread.",
                field=FieldName.ISSUE_DATE,
            )
        )
    limit = received + timedelta(days=MAX_DAYS_IN_FUTURE)
    issues += [
        ValidationIssue(
            code="date_in_future",
            severity=Severity.WARNING,
            message=f"The {field_words(name)} {found} is more than a year in the future.",
            field=name,
        )
        for name in _NOT_IN_FUTURE
        if (found := date_of(extraction, name)) is not None and found > limit
    ]
    return issues
