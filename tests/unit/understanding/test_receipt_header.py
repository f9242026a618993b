"""The shop's name and address at the top of a till slip."""

from __future__ import annotations

from doclane.understanding.extract import extract_fields
from doclane.understanding.model import DocType, DocumentText, Page, TextLine


def _fields(*lines: str) -> dict[str, str]:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return {f.name: f.normalized for f in extract_fields(text, DocType.RECEIPT).fields}


def test_the_vendor_is_the_line_with_a_business_word_and_its_address_follows() -> None:
    fields = _fields(
        "ALICE TAN",  # a name written on the slip above the shop's
        "GOLDEN LEAF TRADING SDN BHD (123456-K)",
        "(CO.REG : 933109-X)",
        "NO 12, JALAN MERANTI 3",
        "81100 JOHOR BAHRU",
        "JOHOR",
        "TEL: 07-3507405",
        "CASH BILL",
        "TOTAL 12.00",
    )
    assert fields["vendor_name"] == "GOLDEN LEAF TRADING SDN BHD"
    assert fields["vendor_address"] == "NO 12, JALAN MERANTI 3 81100 JOHOR BAHRU JOHOR"


def test_without_a_business_word_the_first_plausible_line_names_the_shop() -> None:
    fields = _fields("KOPITIAM AH WAH", "12 LORONG 5", "TOTAL 5.50")
    assert fields["vendor_name"] == "KOPITIAM AH WAH"
