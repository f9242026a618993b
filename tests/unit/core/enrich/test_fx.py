"""Currency conversion and duplicate keys: plain functions over plain data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from doclane.core.enrich.fx import FxRate, FxRates
from doclane.core.exceptions import UnderstandingError
from tests.paths import BUNDLED_FX_RATES


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
    rates = FxRates.from_csv(BUNDLED_FX_RATES, "EUR")
    assert len(rates) >= 10
    assert rates.convert("100", "USD") is not None


def test_a_broken_rates_file_is_a_typed_error(tmp_path: Path) -> None:
    bad = tmp_path / "rates.csv"
    bad.write_text("currency,base,rate,as_of\nUSD,EUR,lots,2026-01-01\n")
    with pytest.raises(UnderstandingError):
        FxRates.from_csv(bad, "EUR")
