from __future__ import annotations

from doclane.core.enrich.vendors import VendorMaster
from doclane.core.model import (
    Classification,
    DocType,
    ExtractedField,
    Extraction,
    Provenance,
    Severity,
    ValidationIssue,
)
from doclane.core.review import ReviewPolicy, review_reasons
from tests.paths import BUNDLED_VENDORS

VENDORS = VendorMaster.from_csv(BUNDLED_VENDORS)


def _invoice_fields(confidence: float) -> Extraction:
    names = ("invoice_number", "issue_date", "total", "currency", "vendor_name")
    return Extraction(
        fields=tuple(ExtractedField(n, "v", "v", confidence, Provenance("text")) for n in names)
    )


def test_confident_clean_document_is_accepted() -> None:
    classification = Classification(DocType.INVOICE, 0.95)
    assert (
        review_reasons(
            classification,
            _invoice_fields(0.9),
            (),
        )
        == ()
    )


def test_review_reasons_explain_themselves() -> None:
    classification = Classification(DocType.INVOICE, 0.5)
    issue = ValidationIssue(
        "missing_total", Severity.ERROR, "The invoice total is missing.", "total"
    )
    warning = ValidationIssue("date_in_future", Severity.WARNING, "later", "issue_date")
    reasons = review_reasons(
        classification,
        _invoice_fields(0.4),
        (issue, warning),
    )
    assert reasons[0].startswith("The document type (invoice) is uncertain")
    assert "The invoice total is missing." in reasons
    assert "later" not in reasons
    assert any("invoice number" in reason and "uncertain" in reason for reason in reasons)


def test_other_documents_always_go_to_review() -> None:
    reasons = review_reasons(
        Classification(DocType.OTHER, 0.99),
        Extraction(),
        (),
    )
    assert reasons == ("The document type could not be recognised.",)


def test_the_policy_sets_each_threshold_and_whether_warnings_route() -> None:
    classification = Classification(DocType.INVOICE, 0.7)
    warning = ValidationIssue(
        "vat_id_check_digit", Severity.WARNING, "check digit", "vendor_vat_id"
    )
    lenient = ReviewPolicy(type_confidence=0.6, field_confidence=0.3)
    assert review_reasons(classification, _invoice_fields(0.4), (warning,), lenient) == ()
    strict = ReviewPolicy(type_confidence=0.8, field_confidence=0.5, on_warnings=True)
    reasons = review_reasons(classification, _invoice_fields(0.4), (warning,), strict)
    assert reasons[0] == "The document type (invoice) is uncertain (confidence 0.70 < 0.80)."
    assert "check digit" in reasons
    assert sum("uncertain (confidence 0.40 < 0.50)" in reason for reason in reasons) == 5
