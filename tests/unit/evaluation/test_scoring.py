"""Metric functions on hand-made cases: the rules a reader of the report relies on."""

from __future__ import annotations

import pytest

from doclane.evaluation.fields import FIELD_KINDS, FUZZY_FIELDS, PARTIES, normalize_value
from doclane.evaluation.scoring import (
    Counts,
    compare_document,
    compare_field,
    compare_parties,
    score_classification,
    score_fields,
)

# The canonical names of the corpus README.
CANONICAL = (
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total",
    "net_total",
    "tax_total",
    "vendor_name",
    "vendor_vat_id",
    "vendor_address",
    "customer_name",
    "purchase_order_number",
    "title",
    "agreement_date",
    "effective_date",
    "expiration_date",
    "governing_law",
    "term",
)


def test_every_canonical_field_has_a_kind_and_fuzzy_fields_are_names() -> None:
    assert sorted(FIELD_KINDS) == sorted(CANONICAL)
    names_and_addresses = {"vendor_name", "vendor_address", "customer_name", PARTIES, "title"}
    assert names_and_addresses == FUZZY_FIELDS


@pytest.mark.parametrize(
    ("name", "label", "predicted"),
    [
        ("issue_date", "2013-08-06", "06.08.2013"),
        ("total", "1234.50", "1.234,5"),
        ("tax_total", "70.00", "70"),
        ("currency", "EUR", "€"),
        ("vendor_name", "MUSTERLIEFERANT GMBH", "Musterlieferant  GmbH."),
        ("invoice_number", "RE-2024/0815", "re 2024 0815"),
        ("vendor_vat_id", "DE123456789", "DE 123 456 789"),
    ],
)
def test_equal_after_normalisation_is_a_true_positive(
    name: str, label: str, predicted: str
) -> None:
    assert compare_field(name, label, predicted).exact == Counts(tp=1)


def test_a_wrong_value_is_a_false_positive_and_a_false_negative() -> None:
    assert compare_field("total", "9.00", "90.00").exact == Counts(fp=1, fn=1)
    assert compare_field("issue_date", "2018-12-25", "2018-12-26").exact == Counts(fp=1, fn=1)


def test_a_missing_value_is_only_a_false_negative() -> None:
    match = compare_field("vendor_name", "ACME SDN BHD", None)
    assert match.exact == Counts(fn=1)
    assert match.fuzzy == Counts(fn=1)


def test_unreadable_dates_and_amounts_still_count_as_predictions() -> None:
    assert normalize_value("issue_date", "sometime soon") == "sometime soon"
    assert compare_field("issue_date", "2020-01-01", "sometime soon").exact == Counts(fp=1, fn=1)


def test_fuzzy_score_sits_beside_the_exact_one_for_names_only() -> None:
    address = compare_field(
        "vendor_address",
        "NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR.",
        "NO 53 55 57 59 JALAN SAGU 18 TAMAN DAYA 81100 JOHOR BAHRU JOHOR",
    )
    assert address.exact == Counts(tp=1)
    near = compare_field(
        "vendor_name", "BOOK TA .K (TAMAN DAYA) SDN BHD", "BOOK TA K TAMAN DAYA SDN BND"
    )
    assert near.exact == Counts(fp=1, fn=1)
    assert near.fuzzy == Counts(tp=1)
    far = compare_field("vendor_name", "BOOK TA .K (TAMAN DAYA) SDN BHD", "TESCO STORES")
    assert far.fuzzy == Counts(fp=1, fn=1)
    assert compare_field("total", "9.00", "9.01").fuzzy is None


def test_unlabelled_fields_are_unknown_and_not_scored() -> None:
    matches = compare_document(
        {"total": "9.00"},
        None,
        {"total": "9.00", "vendor_name": "anything", "issue_date": "2020-01-01"},
        ("Somebody Inc.",),
    )
    assert [(m.name, m.exact) for m in matches] == [("total", Counts(tp=1))]


def test_parties_are_a_set_of_names_without_defined_terms() -> None:
    label = [
        'I-ESCROW, INC.  ("i-Escrow" )',
        '2THEMART.COM, INC. ("2TheMart")',
        '(together "Parties")',
    ]
    both = compare_parties(label, ["2TheMart.com, Inc.", "i-Escrow, Inc."])
    assert both.exact == Counts(tp=2)
    one = compare_parties(label, ["i-Escrow Inc", "Someone Else LLC", "2THEMART COM"])
    assert one.exact == Counts(tp=1, fp=2, fn=1)
    assert one.fuzzy == Counts(tp=2, fp=1)
    assert compare_parties(label, []).exact == Counts(fn=2)


def test_labelled_parties_are_scored_per_document_even_if_none_predicted() -> None:
    matches = compare_document({}, ["Nike Inc.", "Eric Dean Sprunk"], {}, ())
    assert [(m.name, m.exact) for m in matches] == [(PARTIES, Counts(fn=2))]
    assert compare_document({}, None, {}, ("Nike Inc.",)) == ()


def test_counts_give_precision_recall_f1_and_none_when_undefined() -> None:
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.6)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert (counts.labelled, counts.predicted) == (5, 4)
    assert Counts(fn=4).precision is None
    assert Counts().f1 is None


def test_field_scores_sum_over_documents_in_report_order() -> None:
    matches = [
        *compare_document({"total": "1.00", "vendor_name": "A"}, None, {"total": "1.00"}, ()),
        *compare_document({"total": "2.00", "vendor_name": "B"}, None, {"total": "3.00"}, ()),
    ]
    scores = score_fields(matches)
    assert [score.name for score in scores] == ["total", "vendor_name"]
    assert scores[0].exact == Counts(tp=1, fp=1, fn=1)
    assert scores[1].exact == Counts(fn=2)
    assert scores[0].fuzzy is None
    assert scores[1].fuzzy == Counts(fn=2)


def test_classification_accuracy_macro_f1_and_confusion_matrix() -> None:
    pairs = [
        ("invoice", "invoice"),
        ("invoice", "invoice"),
        ("invoice", "receipt"),
        ("receipt", "receipt"),
        ("contract", "other"),
    ]
    scores = score_classification(pairs)
    assert scores.labels == ("contract", "invoice", "other", "receipt")
    assert scores.confusion == (
        (0, 0, 1, 0),
        (0, 2, 0, 1),
        (0, 0, 0, 0),
        (0, 0, 0, 1),
    )
    assert scores.accuracy == pytest.approx(3 / 5)
    by_class = {score.label: score for score in scores.per_class}
    assert by_class["invoice"].counts == Counts(tp=2, fn=1)
    assert by_class["receipt"].counts == Counts(tp=1, fp=1)
    assert by_class["contract"].support == 1
    assert by_class["other"].support == 0
    invoice_f1, receipt_f1 = 0.8, 2 / 3
    assert scores.macro_f1 == pytest.approx((0 + invoice_f1 + 0 + receipt_f1) / 4)
    assert scores.macro_f1_true == pytest.approx((0 + invoice_f1 + receipt_f1) / 3)


def test_classification_of_nothing_is_undefined_not_zero() -> None:
    scores = score_classification([])
    assert (scores.accuracy, scores.macro_f1, scores.labels) == (None, None, ())


def test_label_types_outside_the_taxonomy_are_scored_as_other() -> None:
    from doclane.evaluation.scoring import score_classification

    pairs = [("invoice", "invoice"), ("trade_confirmation", "other"), ("letter", "invoice")]
    scores = score_classification(pairs, taxonomy={"invoice", "other"})
    assert scores.labels == ("invoice", "other")
    assert scores.scored_as_other == (("letter", 1), ("trade_confirmation", 1))
    assert scores.accuracy == 2 / 3


def test_line_items_are_scored_per_row() -> None:
    label = [
        {
            "description": "Gelierzucker Extra 250g",
            "quantity": "50.0000",
            "unit_price": "1.45",
            "amount": "72.50",
        },
        {
            "description": "Joghurt Banane",
            "quantity": "10",
            "unit_price": "5.00",
            "amount": "50.00",
        },
        {"description": "Freight", "amount": "12.00"},
    ]
    predicted = [
        {
            "description": "GELIERZUCKER EXTRA 250 g",
            "quantity": "50",
            "unit_price": "1,45",
            "amount": "72,50",
        },
        {
            "description": "Joghurt Banane",
            "quantity": "11",
            "unit_price": "5.00",
            "amount": "50.00",
        },
        {"description": "Something else", "amount": "9.99"},
    ]
    (match,) = compare_document(
        {}, None, {}, (), label_line_items=label, predicted_line_items=predicted
    )
    assert match.name == "line_items"
    assert (match.exact.tp, match.exact.fp, match.exact.fn) == (1, 2, 2)
    assert match.fuzzy is not None
    assert (match.fuzzy.tp, match.fuzzy.fp, match.fuzzy.fn) == (2, 1, 1)  # the amount alone


def test_documents_without_labelled_items_do_not_score_predicted_ones() -> None:
    items = [{"description": "x", "amount": "1.00"}]
    assert (
        compare_document({}, None, {}, (), label_line_items=None, predicted_line_items=items) == ()
    )
