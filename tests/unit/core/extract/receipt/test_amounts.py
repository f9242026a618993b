"""The label table of till-slip summaries, tested as data, and the amounts read from lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doclane.core.extract.receipt.amounts import (
    ROLE_PATTERNS,
    Role,
    SlipLine,
    line_role,
    read_slip,
)
from doclane.core.extract.shared.lines import locate_lines
from doclane.core.model import DocumentText, Page, TextLine

ROLE_EXAMPLES: dict[Role, tuple[str, ...]] = {
    Role.TOTAL_DUE: (
        "ROUNDED TOTAL (RM):", "TOTAL ROUNDED", "GRAND TOTAL", "TOTAL PAYABLE:", "AMOUNT DUE",
        "NETT TOTAL", "TOTAL AFTER ROUNDING", "Zu zahlen", "NET À PAYER", "Gesamtbetrag",
        "BALANCE DUE", "FINAL TOTAL", "TTL AFT RND", "TOTAL A PAGAR", "Totaal te betalen",
    ),
    Role.TOTAL_WITH_TAX: (
        "TOTAL INCL. GST@6%", "TOTAL (INCLUSIVE OF GST) :", "TOTAL SALES", "TOTAL TTC",
        "AMOUNT INCL. GST", "Total brutto",
    ),
    Role.TOTAL: (
        "TOTAL", "TOTAL:", "SUMME", "JUMLAH", "TOTAL (RM) :", "Montant", "NET AMT :", "Totale",
        "IMPORTE",
    ),
    Role.SUBTOTAL: (
        "SUB TOTAL", "SUBTOTAL :", "TOTAL (EXCLUDING GST):", "TOTAL SALES (EXCL GST)",
        "GROSS AMT :", "Zwischensumme", "TOTAL HT", "TOTAL 6% SUPPLIES (EXCL. GST):",
    ),
    Role.TAX: (
        "GST @6% INCLUDED IN TOTAL", "TOTAL GST :", "SERVICE CHARGE 10%", "MwSt 7 %", "TVA",
        "GST PAYABLE (6%):", "10% SRV CHG:", "VAT 20%", "IVA 10%", "BTW 9%",
    ),
    Role.DISCOUNT: ("DISCOUNT :", "DISC", "TOTAL SAVINGS", "COUPON DISCOUNT", "Rabatt"),
    Role.ROUNDING: ("ROUNDING ADJ", "ROUNDING :", "CASH ROUNDING", "Rundung"),
    Role.QUANTITY: ("TOTAL QTY:", "TOTAL ITEMS", "QTY(S) : 13", "NO. OF ITEMS"),
    Role.TENDER: (
        "CASH", "CASH TENDERED", "PAID AMOUNT :", "VISA", "CREDIT CARD", "Geg. BAR", "ESPÈCES",
        "CASH RECEIVED :", "CB", "EFECTIVO", "Girocard", "Contanti",
    ),
    Role.CHANGE: ("CHANGE", "CHANGE DUE", "BALANCE", "Rückgeld", "Zurück", "RENDU", "CAMBIO"),
    Role.COLUMN: ("GST SUMMARY", "AMOUNT (RM)", "TAX (RM)", "TAX CODE", "PRICE", "AMT"),
    Role.FILLER: (":", "RM", "(RM)", "  ", "EUR"),
    Role.NONE: ("KF MODELLING CLAY KIDDY FISH", "THANK YOU", "9556939040116", "Brötchen"),
}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLE_EXAMPLES))
def test_every_example_label_gets_its_role(role: Role) -> None:
    assert {text: line_role(text) for text in ROLE_EXAMPLES[role]} == dict.fromkeys(
        ROLE_EXAMPLES[role], role
    )


def test_the_word_stems_never_hide_a_role_the_patterns_would_give() -> None:
    """Roles are tried only on lines with a word starting with one of their stems."""
    for text in (text for examples in ROLE_EXAMPLES.values() for text in examples):
        expected = next((role for role, _, pattern in ROLE_PATTERNS if pattern.search(text)), None)
        if expected is not None and line_role(text) is not Role.FILLER:
            assert line_role(text) is expected, text


def _slip(*lines: str) -> tuple[SlipLine, ...]:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return read_slip(locate_lines(text))


@pytest.mark.parametrize(
    ("line", "amounts"),
    [
        ("TOTAL 12.50", ["12.50"]),
        ("RM3.20", ["3.20"]),
        ("RM.50", ["0.50"]),  # OCR drops the leading zero
        ("-0.01", ["-0.01"]),
        ("RM-0.01", ["-0.01"]),
        ("0.29-", ["-0.29"]),  # a discount with its minus behind
        ("SUMME EUR 15,48", ["15.48"]),
        ("Total 1.234,56 €", ["1234.56"]),
        ("TOTAL 1,234.56", ["1234.56"]),
        ("25/12/2018 8:13:39 PM", []),  # dates and times are no money
        ("12.03.2024", []),
        ("GST 6%", []),
        ("2.200 LITRE", []),  # three decimals: a quantity
        ("9556939040116", []),
    ],
)
def test_amounts_are_read_from_a_line(line: str, amounts: list[str]) -> None:
    (slip_line,) = _slip(line)
    assert [str(amount.value) for amount in slip_line.amounts] == amounts


def test_a_lone_amount_and_a_counted_label_are_told_apart() -> None:
    lone, counted, labelled = _slip("RM 9.00", "QTY(S) : 13", "TOTAL 9.00")
    assert lone.amounts[0].alone
    assert lone.amounts[0].value == Decimal("9.00")
    assert counted.counted
    assert counted.has_value
    assert not counted.amounts
    assert not labelled.amounts[0].alone
    assert labelled.role is Role.TOTAL
