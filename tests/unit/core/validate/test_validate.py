from __future__ import annotations

from datetime import date

from doclane.core.model import (
    DocType,
    ExtractedField,
    Extraction,
    LineItem,
    Provenance,
    Severity,
)
from doclane.core.validate import validate_extraction

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
    return [issue.code for issue in validate_extraction(doc_type, extraction, received=TODAY)]


def test_complete_consistent_invoice_has_no_issues() -> None:
    assert _codes(DocType.INVOICE, _complete()) == []


def test_missing_required_field_is_an_error_a_clerk_understands() -> None:
    fields = tuple(f for f in _complete().fields if f.name != "total")
    (issue,) = validate_extraction(DocType.INVOICE, Extraction(fields=fields), received=TODAY)
    assert issue.code == "missing_total"
    assert issue.severity is Severity.ERROR
    assert issue.message == "The invoice total is missing."


def test_required_fields_depend_on_type() -> None:
    assert _codes(DocType.RECEIPT, Extraction()) == [
        "missing_total",
        "missing_issue_date",
        "missing_vendor_name",
    ]
    assert _codes(DocType.CONTRACT, Extraction()) == ["missing_title", "missing_party"]
    assert _codes(DocType.OTHER, Extraction()) == []


def test_unparseable_amount() -> None:
    assert "unparseable_amount" in _codes(DocType.INVOICE, _complete(total=None))


def test_totals_must_add_up_within_two_cents() -> None:
    assert _codes(DocType.INVOICE, _complete(total="119.02")) == []
    assert _codes(DocType.INVOICE, _complete(total="120.00")) == ["totals_do_not_add_up"]


def test_due_date_before_issue_date_is_a_warning() -> None:
    issues = validate_extraction(DocType.INVOICE, _complete(due_date="2024-04-01"), received=TODAY)
    assert [(i.code, i.severity) for i in issues] == [
        ("due_date_before_issue_date", Severity.WARNING)
    ]


def test_an_invoice_issued_after_it_arrived_is_an_error() -> None:
    issues = validate_extraction(
        DocType.INVOICE, _complete(issue_date="2025-07-01", due_date="2025-08-01"), received=TODAY
    )
    assert [(i.code, i.severity) for i in issues] == [("issued_after_receipt", Severity.ERROR)]
    assert "2025-07-01" in issues[0].message
    # A few days ahead is a post-dated invoice, not a misread.
    assert _codes(DocType.INVOICE, _complete(issue_date="2024-06-20", due_date="2024-07-20")) == []


def test_a_2031_issue_date_on_a_2014_invoice_is_found() -> None:
    codes = _codes(DocType.INVOICE, _complete(issue_date="2031-07-01", due_date="2014-08-01"))
    assert codes == ["due_date_before_issue_date", "dates_years_apart", "issued_after_receipt"]


def test_a_contract_effective_far_ahead_is_a_warning() -> None:
    contract = Extraction(
        fields=(
            _field("title", "lease"),
            _field("party", "a"),
            _field("effective_date", "2026-01-01"),
        )
    )
    issues = validate_extraction(DocType.CONTRACT, contract, received=TODAY)
    assert [(i.code, i.severity) for i in issues] == [("date_in_future", Severity.WARNING)]


def test_a_zero_total_on_an_invoice_with_amounts_is_an_error() -> None:
    zero = _complete(total="0.00", net_total=None, tax_total=None)
    extraction = _with_items(zero, ("1", "144.00", "144.00"))
    issues = validate_extraction(DocType.INVOICE, extraction, received=TODAY)
    (issue,) = [i for i in issues if i.code == "zero_total"]
    assert issue.severity is Severity.ERROR
    assert "144.00" in issue.message
    # A zero total with nothing owed (a free sample, a fully credited order) is fine.
    assert "zero_total" not in _codes(
        DocType.INVOICE, _complete(total="0.00", net_total="0.00", tax_total="0.00")
    )


def _with_items(
    extraction: Extraction, *items: tuple[str | None, str | None, str | None]
) -> Extraction:
    line_items = tuple(
        LineItem("item", quantity, price, amount, 0.9, Provenance("text", 1, 1))
        for quantity, price, amount in items
    )
    return Extraction(fields=extraction.fields, line_items=line_items)


def test_line_items_adding_up_to_the_net_raise_nothing() -> None:
    extraction = _with_items(_complete(), ("2", "30.00", "60.00"), ("1", "40.00", "40.00"))
    assert _codes(DocType.INVOICE, extraction) == []


def test_line_items_that_do_not_add_up_to_the_net_are_a_warning() -> None:
    extraction = _with_items(_complete(), ("2", "30.00", "60.00"))
    (issue,) = validate_extraction(DocType.INVOICE, extraction, received=TODAY)
    assert (issue.code, issue.severity) == ("line_items_do_not_add_up", Severity.WARNING)
    assert "add up to 60.00, not the net amount 100.00" in issue.message


def test_quantity_times_price_must_be_the_amount_within_the_price_rounding() -> None:
    rounded = _with_items(_complete(), ("50", "1.45", "72.25"), ("1", "27.75", "27.75"))
    assert _codes(DocType.INVOICE, rounded) == []  # 1.445 printed as 1.45
    wrong = _with_items(_complete(), ("3", "20.00", "80.00"), ("1", "20.00", "20.00"))
    issues = validate_extraction(DocType.INVOICE, wrong, received=TODAY)
    assert [(i.code, i.message) for i in issues] == [
        ("line_item_amount_mismatch", "On line item 1 quantity times unit price is not the amount.")
    ]


def test_vat_id_with_a_wrong_check_digit_is_a_warning() -> None:
    extraction = _complete(vendor_vat_id="DE136695977")
    (issue,) = validate_extraction(DocType.INVOICE, extraction, received=TODAY)
    assert (issue.code, issue.severity, issue.field) == (
        "vat_id_check_digit",
        Severity.WARNING,
        "vendor_vat_id",
    )
    assert _codes(DocType.INVOICE, _complete(vendor_vat_id="DE136695976")) == []


def test_iban_failing_mod_97_is_an_error() -> None:
    extraction = _complete(iban="DE89370400440532013001")
    (issue,) = validate_extraction(DocType.INVOICE, extraction, received=TODAY)
    assert (issue.code, issue.severity) == ("iban_bad_checksum", Severity.ERROR)
    assert _codes(DocType.INVOICE, _complete(iban="DE89370400440532013000")) == []


def test_currency_must_be_iso_4217_and_match_the_amounts() -> None:
    assert _codes(DocType.INVOICE, _complete(currency="XYZ")) == ["unknown_currency"]
    assert _codes(DocType.INVOICE, _complete(currency="KES")) == []
    fields = tuple(
        _field("total", "119.00", "$119.00") if f.name == "total" else f for f in _complete().fields
    )
    (issue,) = validate_extraction(DocType.INVOICE, Extraction(fields=fields), received=TODAY)
    assert issue.code == "currency_mismatch"
    assert "written in USD, but the document's currency is EUR" in issue.message


def test_contract_expiring_before_it_takes_effect_is_a_warning() -> None:
    extraction = Extraction(
        fields=(
            _field("title", "x"),
            _field("party", "A"),
            _field("effective_date", "2024-01-01"),
            _field("expiration_date", "2023-12-31"),
        )
    )
    assert _codes(DocType.CONTRACT, extraction) == ["expiration_date_before_effective_date"]


def test_charges_after_tax_are_part_of_the_total() -> None:
    extraction = _complete(total="131.50", charges_total="12.50")
    assert _codes(DocType.INVOICE, extraction) == []
    assert _codes(DocType.INVOICE, _complete(total="131.50")) == ["totals_do_not_add_up"]


def test_e_invoice_lines_charges_and_allowances_must_give_the_net() -> None:
    consistent = _complete(lines_total="95.00", charges_total="10.00", allowances_total="5.00")
    assert _codes(DocType.INVOICE, consistent) == []
    wrong = _complete(lines_total="90.00")
    (issue,) = validate_extraction(DocType.INVOICE, wrong, received=TODAY)
    assert (issue.code, issue.severity) == ("net_does_not_match_lines", Severity.ERROR)


def test_items_are_compared_with_the_stated_sum_of_the_lines() -> None:
    extraction = _with_items(
        _complete(lines_total="95.00", charges_total="5.00"), ("1", "95.00", "95.00")
    )
    assert _codes(DocType.INVOICE, extraction) == []
