"""Business checks on extracted fields: what is missing, unreadable or inconsistent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from doclane.understanding.model import DocType, Extraction, Severity, ValidationIssue

REQUIRED_FIELDS: MappingProxyType[DocType, tuple[str, ...]] = MappingProxyType(
    {
        DocType.INVOICE: ("invoice_number", "issue_date", "total", "currency", "vendor_name"),
        DocType.CREDIT_NOTE: ("invoice_number", "issue_date", "total", "currency", "vendor_name"),
        DocType.RECEIPT: ("total", "issue_date", "vendor_name"),
        DocType.PURCHASE_ORDER: ("purchase_order_number", "total"),
        DocType.CONTRACT: ("title",),
    }
)
_FIELD_WORDS = {
    "invoice_number": "invoice number",
    "issue_date": "document date",
    "due_date": "due date",
    "total": "total",
    "net_total": "net amount",
    "tax_total": "tax amount",
    "currency": "currency",
    "vendor_name": "vendor name",
    "purchase_order_number": "purchase order number",
    "title": "title",
    "effective_date": "effective date",
}
_AMOUNTS = ("total", "net_total", "tax_total")
_DATES = ("issue_date", "due_date", "effective_date")
TOTALS_TOLERANCE = Decimal("0.02")
MAX_DAYS_IN_FUTURE = 366


def validate_extraction(
    doc_type: DocType, extraction: Extraction, *, today: date | None = None
) -> tuple[ValidationIssue, ...]:
    """Issues in a stable order: missing fields, unreadable values, then consistency."""
    today = today or date.today()
    issues = [*_missing(doc_type, extraction), *_unparseable(extraction)]
    issues += _totals_mismatch(extraction)
    issues += _date_order(extraction)
    issues += _future_dates(extraction, today)
    return tuple(issues)


def _noun(doc_type: DocType) -> str:
    return str(doc_type).replace("_", " ")


def _missing(doc_type: DocType, extraction: Extraction) -> list[ValidationIssue]:
    return [
        ValidationIssue(
            code=f"missing_{name}",
            severity=Severity.ERROR,
            message=f"The {_noun(doc_type)} {_FIELD_WORDS.get(name, name)} is missing.",
            field=name,
        )
        for name in REQUIRED_FIELDS.get(doc_type, ())
        if extraction.get(name) is None
    ]


def _unparseable(extraction: Extraction) -> list[ValidationIssue]:
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
                message=f"The {_FIELD_WORDS.get(field.name, field.name)} “{field.value}” is not a readable {what}.",
                field=field.name,
            )
        )
    return issues


def _amount(extraction: Extraction, name: str) -> Decimal | None:
    field = extraction.get(name)
    if field is None or field.normalized is None:
        return None
    try:
        return Decimal(field.normalized)
    except InvalidOperation:
        return None


def _totals_mismatch(extraction: Extraction) -> list[ValidationIssue]:
    total, net, tax = (_amount(extraction, name) for name in _AMOUNTS)
    if total is None or net is None or tax is None:
        return []
    if abs(net + tax - total) <= TOTALS_TOLERANCE:
        return []
    return [
        ValidationIssue(
            code="totals_do_not_add_up",
            severity=Severity.ERROR,
            message=f"Net amount {net} plus tax {tax} does not equal the total {total}.",
            field="total",
        )
    ]


def _date(extraction: Extraction, name: str) -> date | None:
    field = extraction.get(name)
    if field is None or field.normalized is None:
        return None
    try:
        return date.fromisoformat(field.normalized)
    except ValueError:
        return None


def _date_order(extraction: Extraction) -> list[ValidationIssue]:
    issued, due = _date(extraction, "issue_date"), _date(extraction, "due_date")
    if issued is None or due is None or issued <= due:
        return []
    return [
        ValidationIssue(
            code="due_date_before_issue_date",
            severity=Severity.WARNING,
            message=f"The due date {due} is before the document date {issued}.",
            field="due_date",
        )
    ]


def _future_dates(extraction: Extraction, today: date) -> list[ValidationIssue]:
    limit = today + timedelta(days=MAX_DAYS_IN_FUTURE)
    return [
        ValidationIssue(
            code="date_in_future",
            severity=Severity.WARNING,
            message=f"The {_FIELD_WORDS[name]} {found} is more than a year in the future.",
            field=name,
        )
        for name in ("issue_date", "effective_date")
        if (found := _date(extraction, name)) is not None and found > limit
    ]
