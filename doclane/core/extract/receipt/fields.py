"""Receipts (the SROIE task): vendor name, vendor address, date and total from OCR-like lines."""

from __future__ import annotations

from dataclasses import replace

from doclane.core.extract.receipt.address import receipt_address
from doclane.core.extract.receipt.date import receipt_date
from doclane.core.extract.receipt.total import receipt_total
from doclane.core.extract.receipt.vendor import receipt_vendor
from doclane.core.extract.shared.currency import extract_currency
from doclane.core.extract.shared.line_items import extract_line_items
from doclane.core.extract.shared.lines import Located
from doclane.core.model import Extraction

_MONTH_FIRST_CURRENCIES = frozenset({"USD"})  # slashed dates there are month/day/year
_LONGEST_LINE = 200  # a till slip prints ~40 characters a line; more is noise


def extract_receipt(located_lines: tuple[Located, ...]) -> Extraction:
    lines = tidy_receipt_lines(located_lines)
    vendor = receipt_vendor(lines)
    currency = extract_currency(lines)
    month_first = currency is not None and currency.normalized in _MONTH_FIRST_CURRENCIES
    vendor_lines = range(vendor.first_line, vendor.last_line + 1) if vendor else range(0)
    found = [
        vendor.field if vendor else None,
        receipt_address(lines, vendor_lines),
        receipt_date(lines, month_first=month_first),
        receipt_total(lines),
        currency,
    ]
    fields = tuple(field for field in found if field is not None)
    return Extraction(fields=fields, line_items=extract_line_items(located_lines))


def tidy_receipt_lines(lines: tuple[Located, ...]) -> tuple[Located, ...]:
    """The lines with runs of spaces collapsed and cut to a sane length.

    The receipt patterns may then assume single spaces, which keeps them linear
    on hostile input (a run of 5,000 spaces or digits). Training reads lines so too.
    """
    return tuple(_tidied(located) for located in lines)


def _tidied(located: Located) -> Located:
    text = " ".join(located.line.text.split())[:_LONGEST_LINE]
    if text == located.line.text:
        return located
    return replace(located, line=replace(located.line, text=text))
