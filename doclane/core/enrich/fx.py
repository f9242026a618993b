"""Currency conversion to one base currency, from a table of rates."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from doclane.core.exceptions import UnderstandingError
from doclane.core.fields import FieldName
from doclane.core.model import Enrichment, Extraction

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class FxRate:
    currency: str  # ISO 4217
    base: str  # ISO 4217 of the base currency
    rate: Decimal  # units of `base` for one unit of `currency`
    as_of: str  # ISO date the rate was published for


class FxRates:
    """Rates into one base currency; the base itself converts at 1."""

    def __init__(self, base: str, rates: tuple[FxRate, ...] = ()) -> None:
        self.base = base.upper()
        self._rates = {r.currency: r for r in rates if r.base == self.base and r.rate > 0}

    def __len__(self) -> int:
        return len(self._rates)

    @classmethod
    def from_csv(cls, path: Path, base: str) -> FxRates:
        """Rows of `currency,base,rate,as_of`; rows for other bases are ignored."""
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rates = tuple(parse_rate(row) for row in csv.DictReader(handle))
        except (OSError, KeyError, UnicodeDecodeError, csv.Error) as exc:
            raise UnderstandingError(
                f"The FX rates file {path} cannot be read ({exc}).",
                reason_code="bad_fx_rates",
                stage="enrich",
            ) from exc
        return cls(base, rates)

    def convert(self, amount: str | Decimal, currency: str) -> tuple[Decimal, FxRate | None] | None:
        """`amount` in the base currency, two decimals, with the rate used (None for the base)."""
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError):
            return None
        if not value.is_finite():
            return None
        code = currency.upper()
        if code == self.base:
            return value.quantize(CENT, rounding=ROUND_HALF_UP), None
        rate = self._rates.get(code)
        if rate is None:
            return None
        return (value * rate.rate).quantize(CENT, rounding=ROUND_HALF_UP), rate


def parse_rate(row: dict[str, str]) -> FxRate:
    try:
        rate = Decimal(row["rate"].strip())
    except InvalidOperation as exc:
        raise UnderstandingError(
            f"FX rate {row.get('rate')!r} for {row.get('currency')} is not a number.",
            reason_code="bad_fx_rates",
            stage="enrich",
        ) from exc
    return FxRate(
        currency=row[FieldName.CURRENCY].strip().upper(),
        base=row["base"].strip().upper(),
        rate=rate,
        as_of=row["as_of"].strip(),
    )


def total_in_base_currency(extraction: Extraction, fx: FxRates) -> list[Enrichment]:
    """The total converted into the base currency, naming the rate used."""
    total = extraction.get(FieldName.TOTAL)
    currency = extraction.get(FieldName.CURRENCY)
    if total is None or currency is None or not total.normalized or not currency.normalized:
        return []
    converted = fx.convert(total.normalized, currency.normalized)
    if converted is None:
        return []
    amount, rate = converted
    source = f"fx:{fx.base}" + (f"@{rate.as_of}:{rate.rate}" if rate is not None else "")
    return [Enrichment("total_in_base_currency", str(amount), None, source)]
