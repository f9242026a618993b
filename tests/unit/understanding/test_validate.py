from __future__ import annotations

from datetime import date

from doclane.understanding.model import DocType, ExtractedField, Extraction, Provenance, Severity
from doclane.understanding.validate import validate_extraction

TODAY = date(2024, 6, 1)


def _field(name: str, normalized: str | None, value: str = "x") -> ExtractedField:
    return ExtractedField(name, value, normalized, 0.9, Provenance("text", 1, 1))


def _complete(**overrides: str | None) -> Extraction:
    values = {
        "invoice_number": "A-1",
        "issue_date": "2024-05-01",
        "due_date": "2024-05-31",
        "total": "119.00",
        "net_total": "100.00",
        "tax_total": "19.00",
        "currency": "EUR",
        "vendor_name": "Muster GmbH",
    } | overrides
    return Extraction(fields=tuple(_field(k, v) for k, v in values.items()))


def _codes(doc_type: DocType, extraction: Extraction) -> list[str]:
    return [issue.code for issue in validate_extraction(doc_type, extraction, today=TODAY)]


def test_complete_consistent_invoice_has_no_issues() -> None:
    assert _codes(DocType.INVOICE, _complete()) == []


def test_missing_required_field_is_an_error_a_clerk_understands() -> None:
    fields = tuple(f for f in _complete().fields if f.name != "total")
    (issue,) = validate_extraction(DocType.INVOICE, Extraction(fields=fields), today=TODAY)
    assert issue.code == "missing_total"
    assert issue.severity is Severity.ERROR
    assert issue.message == "The invoice total is missing."


def test_required_fields_depend_on_type() -> None:
    assert _codes(DocType.RECEIPT, Extraction()) == [
        "missing_total",
        "missing_issue_date",
        "missing_vendor_name",
    ]
    assert _codes(DocType.CONTRACT, Extraction()) == ["missing_title"]
    assert _codes(DocType.OTHER, Extraction()) == []


def test_unparseable_amount() -> None:
    assert "unparseable_amount" in _codes(DocType.INVOICE, _complete(total=None))


def test_totals_must_add_up_within_two_cents() -> None:
    assert _codes(DocType.INVOICE, _complete(total="119.02")) == []
    assert _codes(DocType.INVOICE, _complete(total="120.00")) == ["totals_do_not_add_up"]


def test_due_date_before_issue_date_is_a_warning() -> None:
    issues = validate_extraction(DocType.INVOICE, _complete(due_date="2024-04-01"), today=TODAY)
    assert [(i.code, i.severity) for i in issues] == [
        ("due_date_before_issue_date", Severity.WARNING)
    ]


def test_date_far_in_future() -> None:
    assert _codes(DocType.INVOICE, _complete(issue_date="2025-07-01", due_date="2025-08-01")) == [
        "date_in_future"
    ]
