"""The paid amount of OCR'd till slips: labels and amounts on separate lines."""

from __future__ import annotations

import pytest

from doclane.understanding.extract import extract_fields
from doclane.understanding.model import DocType, DocumentText, Page, TextLine


def _total(*lines: str) -> str | None:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    found = extract_fields(text, DocType.RECEIPT).get("total")
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
        # no label at all: the amount just before the cash line
        (("KOPI O", "2.50", "ROTI BAKAR", "3.00", "5.50", "CASH", "10.00"), "5.50"),
        # a net amount after service tax
        (("GROSS AMT :", "47.80", "SVR TAX :", "2.87", "NET AMT :", "53.55"), "53.55"),
        # German: decimal commas, cash (BAR) and change (RÜCKGELD)
        (("Laugenbrezel  15,48", "SUMME EUR 15,48", "MwSt 7 % 1,01", "BAR 50,00 €",
          "RÜCKGELD 34,52 €"), "15.48"),
        # French: total TTC
        (("Café  3,20", "TOTAL HT 2,91", "TOTAL TTC 3,20", "ESPÈCES 5,00", "RENDU 1,80"), "3.20"),
    ],
)  # fmt: skip
def test_the_paid_amount_is_found(lines: tuple[str, ...], paid: str) -> None:
    assert _total("SHOP SDN BHD", "TAX INVOICE", *lines, "THANK YOU") == paid


def test_a_receipt_without_amounts_has_no_total() -> None:
    assert _total("SHOP SDN BHD", "THANK YOU") is None
