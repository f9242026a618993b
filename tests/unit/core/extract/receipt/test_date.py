"""When a receipt was issued: among all dates on the slip, the sale's."""

from __future__ import annotations

import pytest

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine


def _date_field(*lines: str) -> ExtractedField | None:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return extract_fields(text, DocType.RECEIPT).get("issue_date")


def _date(*lines: str) -> str | None:
    found = _date_field("SHOP SDN BHD", *lines, "TOTAL 5.00")
    return found.normalized if found else None


@pytest.mark.parametrize(
    ("lines", "issued"),
    [
        # a product code that reads like a date comes before the sale's date and time
        (("HD03-04-06 - 5/40/160", "WIPER 2PCS", "19-09-17 15:39 SH01 ZJ03"), "2017-09-19"),
        (("XE11-22 - 30", "24-01-16 11:44"), "2016-01-24"),
        # the date with a time next to it beats a promotion's date
        (("PROMO VALID TILL 31/12/2019", "DATE:", "25/12/2018", "8:13:39 PM"), "2018-12-25"),
        # under a date label, the compact form too
        (("DATE/TIME", ": 20180428/191204"), "2018-04-28"),
        (("21/05/2018TIME: 11:12",), "2018-05-21"),
        # German, French and ISO forms
        (("Datum: 12.03.2024 Uhrzeit: 14:22",), "2024-03-12"),
        (("Le 05/06/2023 à 18:45",), "2023-06-05"),
        (("2016-07-31 13:48:37",), "2016-07-31"),
        (("15 MAY 2018 18:43",), "2018-05-15"),
    ],
)  # fmt: skip
def test_the_sale_date_is_found(lines: tuple[str, ...], issued: str) -> None:
    assert _date(*lines) == issued


def test_a_number_run_without_a_date_label_is_no_date() -> None:
    assert _date("9556939040116", "20180428") is None


def test_dollar_receipts_read_slashed_dates_month_first() -> None:
    assert _date("TOTAL $3.78", "03/12/24 14:22:01") == "2024-03-12"
    assert _date("TOTAL RM3.78", "03/12/24 14:22:01") == "2024-12-03"


def test_a_labelled_date_with_a_time_is_surest() -> None:
    labelled = _date_field("SHOP", "DATE: 25/12/2018 8:13 PM", "TOTAL 1.00")
    bare = _date_field("SHOP", "REF 25/12/2018 X", "TOTAL 1.00")
    assert labelled is not None
    assert bare is not None
    assert labelled.confidence > bare.confidence
    assert labelled.provenance.line == 2
