"""A whole receipt: every field with value, normalised value, confidence and provenance; and
hostile lines that must not make the patterns crawl."""

from __future__ import annotations

import time

import pytest

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, Extraction, Page, TextLine

SLIP = (
    "ALICE TAN",
    "GOLDEN LEAF TRADING SDN BHD",
    "(CO.REG : 933109-X)",
    "NO 12 JALAN MERANTI 3",
    "81100 JOHOR BAHRU",
    "JOHOR",
    "TEL: 07-3507405",
    "CASH BILL",
    "DATE:",
    "25/12/2018 8:13:39 PM",
    "KOPI O 2 X 1.50 3.00",
    "TOTAL:",
    "ROUNDING ADJUSTMENT:",
    "0.00",
    "ROUNDED TOTAL (RM):",
    "3.00",
    "CASH",
    "RM 10.00",
    "CHANGE",
    "RM 7.00",
)


def _extract(*lines: str) -> Extraction:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return extract_fields(text, DocType.RECEIPT)


def test_every_field_says_where_it_was_read_and_how_sure() -> None:
    fields = {f.name: f for f in _extract(*SLIP).fields}
    expected = {
        "vendor_name": ("GOLDEN LEAF TRADING SDN BHD", 2),
        "vendor_address": ("NO 12 JALAN MERANTI 3 81100 JOHOR BAHRU JOHOR", 4),
        "issue_date": ("2018-12-25", 10),
        "total": ("3.00", 16),
        "currency": ("MYR", 15),  # first seen in "(RM)"
    }
    assert {name: (f.normalized, f.provenance.line) for name, f in fields.items()} == expected
    assert all(0 < f.confidence <= 1 and f.value for f in fields.values())


@pytest.mark.parametrize(
    "line",
    [" " * 5000 + "1.00", "1" * 5000, "9" * 300 + "-X", "1.00 " * 1000, "TOTAL " * 800, "(" * 5000],
)
def test_hostile_lines_are_read_quickly(line: str) -> None:
    started = time.process_time()  # this process's CPU: other processes do not stretch it
    _extract("SHOP SDN BHD", *([line] * 20), "TOTAL 1.00")
    assert time.process_time() - started < 5.0  # linear patterns: milliseconds; a runaway: minutes
