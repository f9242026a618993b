"""Currency conversion and duplicate keys: plain functions over plain data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from doclane.understanding.duplicates import business_key, duplicate_issues
from doclane.understanding.exceptions import UnderstandingError
from doclane.understanding.fx import FxRate, FxRates
from doclane.understanding.model import DocType, ExtractedField, Extraction, Provenance

BUNDLED_RATES = Path(__file__).resolve().parents[3] / "doclane" / "data" / "fx_rates.csv"


def _extraction(**values: str) -> Extraction:
    return Extraction(
        fields=tuple(
            ExtractedField(name, value, value, 0.9, Provenance("text", 1, 0))
            for name, value in values.items()
        )
    )


class DictRegistry:
    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}

    def first_seen(self, kind: str, key: str, document_id: str) -> str:
        return self.first.setdefault((kind, key), document_id)


def test_conversion_rounds_half_up_to_cents_and_names_the_rate() -> None:
    rates = FxRates("EUR", (FxRate("USD", "EUR", Decimal("0.92"), "2026-01-02"),))
    amount, rate = rates.convert("1190.00", "usd")
    assert amount == Decimal("1094.80")
    assert rate is not None
    assert rate.as_of == "2026-01-02"
    assert rates.convert("10.005", "EUR") == (Decimal("10.01"), None)


def test_unknown_currencies_and_bad_amounts_do_not_convert() -> None:
    rates = FxRates("EUR", (FxRate("USD", "GBP", Decimal("0.8"), "2026-01-02"),))
    assert rates.convert("10", "USD") is None  # a rate for another base is ignored
    assert rates.convert("ten", "EUR") is None
    assert rates.convert("NaN", "EUR") is None


def test_the_bundled_rates_load() -> None:
    rates = FxRates.from_csv(BUNDLED_RATES, "EUR")
    assert len(rates) >= 10
    assert rates.convert("100", "USD") is not None


def test_a_broken_rates_file_is_a_typed_error(tmp_path: Path) -> None:
    bad = tmp_path / "rates.csv"
    bad.write_text("currency,base,rate,as_of\nUSD,EUR,lots,2026-01-01\n")
    with pytest.raises(UnderstandingError):
        FxRates.from_csv(bad, "EUR")


def test_business_key_ignores_case_spacing_and_legal_form() -> None:
    one = business_key(
        DocType.INVOICE,
        _extraction(vendor_name="ACME GmbH", invoice_number="inv 42", total="10.00"),
    )
    two = business_key(
        DocType.INVOICE,
        _extraction(vendor_name="Acme", invoice_number="INV42", total="10.00"),
    )
    assert one is not None
    assert one == two
    assert business_key(DocType.INVOICE, _extraction(vendor_name="Acme", total="10.00")) is None
    assert (
        business_key(
            DocType.CONTRACT, _extraction(vendor_name="Acme", invoice_number="1", total="1.00")
        )
        is None
    )


def test_duplicates_name_the_first_document_and_a_replay_is_not_one() -> None:
    registry = DictRegistry()
    invoice = _extraction(vendor_name="Acme", invoice_number="7", total="5.00")
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="a", sha256="h1", registry=registry
    )
    assert (issues, duplicate_of) == ((), None)
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="a", sha256="h1", registry=registry
    )
    assert (issues, duplicate_of) == ((), None)  # the same document again: a retry, not a duplicate
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="b", sha256="h2", registry=registry
    )
    assert duplicate_of == "a"
    assert [i.code for i in issues] == ["duplicate_document"]
    assert "a" in issues[0].message
