"""The document currency comes from codes and symbols that stand for money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doclane.core.enrich.fx import FxRate, FxRates
from doclane.core.extract.shared.currency import CONFLICTING, SURE, extract_currency
from doclane.core.extract.shared.lines import locate_lines
from doclane.core.model import DocType
from doclane.core.pipeline import Knowledge, understand
from doclane.core.read import read_document
from doclane.core.review import ReviewPolicy


def _currency(*lines: str) -> tuple[str | None, float]:
    found = extract_currency(
        locate_lines(read_document("\n".join(lines).encode(), filename="x.txt"))
    )
    return (found.normalized, found.confidence) if found else (None, 0.0)


@pytest.mark.parametrize("identifier", ["AUD-2024-0042", "REF/USD/77", "INV#GBP9", "PO-CHF"])
def test_a_code_inside_an_identifier_is_no_evidence(identifier: str) -> None:
    code, confidence = _currency(f"Invoice {identifier}", "Total due: EUR 339.15")
    assert code == "EUR"
    assert confidence == SURE


def test_codes_and_symbols_beside_amounts_count() -> None:
    assert _currency("Total 339,15 €") == ("EUR", SURE)
    assert _currency("Amounts in GBP", "Total 12.00") == ("GBP", 0.6)


def test_dollar_signs_support_the_dollar_the_document_names() -> None:
    assert _currency("All prices in AUD", "Total $ 120.00", "Paid $120.00")[0] == "AUD"
    assert _currency("Total $ 120.00")[0] == "USD"


def test_two_currencies_beside_amounts_fall_below_the_review_threshold() -> None:
    code, confidence = _currency("Subtotal USD 100.00", "Total due: EUR 339.15", "EUR 339.15")
    assert code == "EUR"
    assert confidence == CONFLICTING < ReviewPolicy().field_confidence


def test_a_stray_code_in_running_text_only_lowers_confidence() -> None:
    code, confidence = _currency("Ship via SEK depot", "Total RM 12.00", "Cash RM 20.00")
    assert code == "MYR"
    assert ReviewPolicy().field_confidence <= confidence < SURE


INVOICE = """ACME Pty Ltd
12 George Street, Sydney
Invoice AUD-2024-0042
Invoice date: 02.03.2024
Bill to: Nordwind GmbH
Consulting 1 300.00 300.00
Net: 300.00
VAT 13%: 39.15
Total due: EUR 339.15
"""


def test_an_identifier_does_not_make_an_invoice_australian() -> None:
    rates = FxRates("EUR", (FxRate("AUD", "EUR", Decimal("0.6"), "2024-01-01"),))
    result = understand(INVOICE.encode(), Knowledge(fx_rates=rates), filename="invoice.txt")
    assert result.classification.doc_type is DocType.INVOICE
    currency = result.extraction.get("currency")
    assert currency is not None
    assert currency.normalized == "EUR"
    converted = {e.name: e.value for e in result.enriched.enrichments}
    assert converted.get("total_in_base_currency") == "339.15"  # EUR is the base: no conversion


def test_conflicting_currencies_send_the_invoice_to_review() -> None:
    text = INVOICE.replace("Net: 300.00", "Net: USD 300.00")
    result = understand(text.encode(), Knowledge(), filename="invoice.txt")
    assert result.extraction.get("currency").confidence < ReviewPolicy().field_confidence  # type: ignore[union-attr]
    assert any("currency" in reason for reason in result.review_reasons)
