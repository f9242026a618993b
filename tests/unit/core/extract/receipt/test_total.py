"""The paid amount of OCR'd till slips: labels and amounts on the same, the next or later lines.

Every case runs twice: with the hand-set rule weights and with the shipped learned weights.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from doclane.core.extract import extract_fields
from doclane.core.extract.receipt.total import RULE_WEIGHTS
from doclane.core.extract.receipt.total_evidence import FEATURE_NAMES
from doclane.core.extract.receipt.total_model import (
    MODEL_PATH,
    TotalModel,
    model_from_json,
    shipped_total_model,
    using_total_model,
)
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine


@pytest.fixture(params=["rules", "learned"])
def weights(request: pytest.FixtureRequest) -> Iterator[str]:
    model = None if request.param == "rules" else shipped_total_model()
    with using_total_model(model):
        yield request.param


def _field(*lines: str) -> ExtractedField | None:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return extract_fields(text, DocType.RECEIPT).get("total")


def _total(*lines: str) -> str | None:
    found = _field(*lines)
    return found.normalized if found else None


@pytest.mark.parametrize(
    ("lines", "paid"),
    [
        # cash minus change, when that amount is printed
        (("SUB TOTAL", "56.89", "TOTAL INCL GST", "60.31", "ROUNDING", "-0.01",
          "ROUNDED TOTAL", "60.30", "CASH", "100.00", "CHANGE", "39.70"), "60.30"),
        # the most final total label wins over the subtotal and tax lines below it
        (("SUBTOTAL :", "68.87", "TOTAL (RM) :", "73.00", "GST SUMMARY", "AMOUNT (RM) GST (RM)",
          "SR @ 6%", "68.87", "4.13"), "73.00"),
        # no label at all: the amount just before cash and change that add up
        (("KOPI O", "2.50", "ROTI BAKAR", "3.00", "5.50", "10.00", "4.50"), "5.50"),
        # a net amount after service tax
        (("GROSS AMT :", "47.80", "SVR TAX :", "2.87", "NET AMT :", "53.55"), "53.55"),
        # German: decimal commas, cash (BAR) and change (RÜCKGELD)
        (("Laugenbrezel  15,48", "SUMME EUR 15,48", "MwSt 7 % 1,01", "BAR 50,00 €",
          "RÜCKGELD 34,52 €"), "15.48"),
        # French: total TTC
        (("Café  3,20", "TOTAL HT 2,91", "TOTAL TTC 3,20", "ESPÈCES 5,00", "RENDU 1,80"), "3.20"),
        # labels in a column, then their amounts in the same order
        (("SUB-TOTAL", "DISC", "ROUNDING", "TOTAL", "CASH", "CHANGE",
          "4.00", "0.00", "0.00", "4.00", "20.00", "16.00"), "4.00"),
        # a rounding adjustment after the total with tax: the rounded amount was paid
        (("TOTAL (INCLUSIVE OF GST):", "23.26", "ROUNDING ADJ:", "-0.01", "TOTAL:", "23.25"),
         "23.25"),
        # English till: label and amount on one line, card payment
        (("Flat white  3.40", "Croissant  2.10", "SUBTOTAL 5.50", "VAT 20% 0.92",
          "TOTAL £5.50", "VISA £5.50"), "5.50"),
    ],
)  # fmt: skip
def test_the_paid_amount_is_found(weights: str, lines: tuple[str, ...], paid: str) -> None:
    assert _total("SHOP SDN BHD", "TAX INVOICE", *lines, "THANK YOU") == paid


def test_a_receipt_without_amounts_has_no_total(weights: str) -> None:
    assert _total("SHOP SDN BHD", "THANK YOU") is None


def test_weak_evidence_gives_a_lower_confidence_than_a_checked_total(weights: str) -> None:
    checked = _field("SHOP", "TOTAL", "9.00", "CASH", "10.00", "CHANGE", "1.00")
    guessed = _field("SHOP", "ITEM A", "3.00", "ITEM B", "4.00")
    assert checked is not None
    assert guessed is not None
    assert checked.confidence > 0.9 > guessed.confidence
    assert checked.provenance.line == 3  # the line where the total is printed


def test_the_rule_weights_cover_every_feature_and_point_the_right_way() -> None:
    assert set(RULE_WEIGHTS) == set(FEATURE_NAMES)
    for tie in ("same_line", "aligned", "next_line"):
        due, with_tax, plain = (RULE_WEIGHTS[f"{tie}:{role}"] for role in
                                ("total_due", "total_with_tax", "total"))  # fmt: skip
        assert due >= with_tax >= plain > 0
        for role in ("tax", "discount", "rounding", "quantity", "tender", "change", "subtotal"):
            assert RULE_WEIGHTS[f"{tie}:{role}"] < 0, role
    assert RULE_WEIGHTS["cash_minus_change"] > 0 > RULE_WEIGHTS["negative_or_zero"]


def test_the_shipped_model_is_small_fits_the_features_and_loads_once() -> None:
    assert MODEL_PATH.stat().st_size < 64_000
    model = shipped_total_model()
    assert model is not None
    assert set(model.weights) == set(FEATURE_NAMES)
    assert shipped_total_model() is model


def test_a_model_file_that_does_not_fit_the_features_is_refused() -> None:
    fitting = TotalModel(weights=dict.fromkeys(FEATURE_NAMES, 0.5)).to_json()
    assert model_from_json(json.loads(json.dumps(fitting))) is not None
    stale = fitting | {"weights": {"an_old_feature": 1.0}}
    assert model_from_json(stale) is None
    assert model_from_json({"kind": "something else"}) is None
    assert model_from_json([]) is None
