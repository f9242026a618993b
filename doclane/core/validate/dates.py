"""Dates that must be in order and not far in the future."""

from __future__ import annotations

from datetime import date, timedelta

from doclane.core.fields import FieldName
from doclane.core.model import Extraction, Severity, ValidationIssue
from doclane.core.validate.values import date_of, field_words

MAX_DAYS_IN_FUTURE = 366
# (earlier, later): the later date must not come before the earlier one.
_ORDERED = (
    (FieldName.ISSUE_DATE, FieldName.DUE_DATE),
    (FieldName.EFFECTIVE_DATE, FieldName.EXPIRATION_DATE),
)
_NOT_IN_FUTURE = (FieldName.ISSUE_DATE, FieldName.AGREEMENT_DATE, FieldName.EFFECTIVE_DATE)


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


def future_dates(extraction: Extraction, today: date) -> list[ValidationIssue]:
    limit = today + timedelta(days=MAX_DAYS_IN_FUTURE)
    return [
        ValidationIssue(
            code="date_in_future",
            severity=Severity.WARNING,
            message=f"The {field_words(name)} {found} is more than a year in the future.",
            field=name,
        )
        for name in _NOT_IN_FUTURE
        if (found := date_of(extraction, name)) is not None and found > limit
    ]
