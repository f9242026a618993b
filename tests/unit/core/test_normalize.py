from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.core.normalize import (
    format_amount,
    normalize_currency,
    normalize_text,
    parse_amount,
    parse_date,
)
from doclane.core.standards.currencies import CURRENCY_SYMBOLS, ISO_4217_CODES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("€ 12,50", "12.50"),
        ("12,50 EUR", "12.50"),
        ("RM 9.00", "9.00"),
        ("-12.00", "-12.00"),
        ("12.50-", "-12.50"),
        ("(12.00)", "-12.00"),
        ("1.234.567,89", "1234567.89"),
        ("0.50", "0.50"),
        ("42", "42.00"),
    ],
)
def test_parse_amount(raw: str, expected: str) -> None:
    amount = parse_amount(raw)
    assert amount is not None
    assert format_amount(amount) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "12 50", "1,23,4.00", "12.50 km", "--5"])
def test_parse_amount_rejects_non_amounts(raw: str) -> None:
    assert parse_amount(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2013-08-06", date(2013, 8, 6)),
        ("06.08.2013", date(2013, 8, 6)),
        ("06/08/2013", date(2013, 8, 6)),
        ("08/25/2013", date(2013, 8, 25)),
        ("06-08-13", date(2013, 8, 6)),
        ("6 August 2013", date(2013, 8, 6)),
        ("August 6, 2013", date(2013, 8, 6)),
        ("06. August 2013", date(2013, 8, 6)),
        ("3. März 2021", date(2021, 3, 3)),
        ("12 mars 2020", date(2020, 3, 12)),
        ("1er août 2013", date(2013, 8, 1)),
        ("24. Dezember 2020", date(2020, 12, 24)),
        ("5 déc. 2019", date(2019, 12, 5)),
        ("15 JAN 18", date(2018, 1, 15)),
        ("Date: 25/12/2018 8:13 PM", date(2018, 12, 25)),
    ],
)
def test_parse_date(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "12.50", "31.02.2020", "1.234,56", "Total 12"])
def test_parse_date_rejects_non_dates(raw: str) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("€", "EUR"),
        ("$", "USD"),
        ("£", "GBP"),
        ("CHF", "CHF"),
        ("Fr.", "CHF"),
        ("RM", "MYR"),
        ("eur", "EUR"),
        ("XYZ", None),
    ],
)
def test_normalize_currency(raw: str, expected: str | None) -> None:
    assert normalize_currency(raw) == expected


def test_currency_table_maps_to_known_iso_codes() -> None:
    assert set(CURRENCY_SYMBOLS.values()) <= ISO_4217_CODES
    assert all(key == key.casefold() for key in CURRENCY_SYMBOLS)


def test_normalize_text() -> None:
    assert normalize_text("  MUSTER-Lieferant   GmbH.\n") == "muster lieferant gmbh"


_amounts = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


def _grouped(value: Decimal, thousands: str, decimal_mark: str) -> str:
    integer, fraction = f"{abs(value):.2f}".split(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return ("-" if value < 0 else "") + thousands.join(groups) + decimal_mark + fraction


@given(
    value=_amounts,
    style=st.sampled_from([(",", "."), (".", ","), (" ", ","), ("'", "."), ("", ".")]),
)
def test_amount_round_trip(value: Decimal, style: tuple[str, str]) -> None:
    assert parse_amount(_grouped(value, *style)) == value
    assert parse_amount(format_amount(value)) == value


@given(day=st.dates(min_value=date(1970, 1, 1), max_value=date(2150, 12, 31)))
def test_date_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(f"{day.day} {day.strftime('%B')} {day.year}") == day


@given(raw=st.text(max_size=80))
def test_normalizers_never_raise(raw: str) -> None:
    amount = parse_amount(raw)
    assert amount is None or isinstance(amount, Decimal)
    assert parse_date(raw) is None or isinstance(parse_date(raw), date)
    assert normalize_currency(raw) is None or len(normalize_currency(raw) or "") == 3
    assert isinstance(normalize_text(raw), str)
