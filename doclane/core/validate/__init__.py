"""Business checks on extracted fields: what is missing, unreadable, inconsistent or malformed.

Each check is a function from plain data to `ValidationIssue`s with a stable
code, a severity and a sentence a clerk understands. Errors send a document to
review; warnings travel with it.
"""

from __future__ import annotations

from datetime import date

from doclane.core.model import DocType, Extraction, ValidationIssue
from doclane.core.validate.arithmetic import (
    line_item_arithmetic,
    line_items_against_net,
    lines_against_net,
    totals_mismatch,
    zero_total,
)
from doclane.core.validate.currency import currency_issues
from doclane.core.validate.dates import date_order, dates_apart, future_dates
from doclane.core.validate.registrations import iban_issues, vat_id_issues
from doclane.core.validate.required import REQUIRED_FIELDS, missing, unparseable

__all__ = ["REQUIRED_FIELDS", "validate_extraction"]


def validate_extraction(
    doc_type: DocType, extraction: Extraction, *, received: date | None = None
) -> tuple[ValidationIssue, ...]:
    """Issues in a stable order: missing fields, unreadable values, consistency, identifiers.

    `received` is the day the document arrived (today when not given).
    """
    received = received or date.today()
    return (
        *missing(doc_type, extraction),
        *unparseable(extraction),
        *totals_mismatch(extraction),
        *zero_total(extraction),
        *lines_against_net(extraction),
        *line_items_against_net(extraction),
        *line_item_arithmetic(extraction),
        *date_order(extraction),
        *dates_apart(extraction),
        *future_dates(extraction, received),
        *currency_issues(extraction),
        *vat_id_issues(extraction),
        *iban_issues(extraction),
    )
