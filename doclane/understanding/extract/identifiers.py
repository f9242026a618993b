"""Document numbers and dates announced by labels."""

from __future__ import annotations

from doclane.understanding.extract.candidates import (
    Located,
    read_date,
    read_identifier,
    search_labelled,
)
from doclane.understanding.extract.labels import LABELS
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import parse_date

FALLBACK_DATE_CONFIDENCE = 0.4


def extract_invoice_number(lines: tuple[Located, ...]) -> ExtractedField | None:
    return search_labelled(lines, "invoice_number", LABELS["invoice_number"], read_identifier)


def extract_purchase_order_number(lines: tuple[Located, ...]) -> ExtractedField | None:
    return search_labelled(
        lines, "purchase_order_number", LABELS["purchase_order_number"], read_identifier
    )


def extract_issue_date(lines: tuple[Located, ...]) -> ExtractedField | None:
    labelled = search_labelled(lines, "issue_date", LABELS["issue_date"], read_date)
    return labelled or _first_date(lines)


def extract_due_date(lines: tuple[Located, ...]) -> ExtractedField | None:
    return search_labelled(lines, "due_date", LABELS["due_date"], read_date)


def _first_date(lines: tuple[Located, ...]) -> ExtractedField | None:
    for located in lines:
        found = parse_date(located.line.text)
        if found is not None:
            return ExtractedField(
                "issue_date",
                located.line.text.strip()[:40],
                found.isoformat(),
                FALLBACK_DATE_CONFIDENCE,
                located.provenance(),
            )
    return None
