"""The amount a receipt's customer paid.

OCR'd till slips print labels and amounts on separate lines, show a subtotal,
tax, a rounding adjustment and a rounded total, then the cash tendered and the
change. In order of trust:

1. tender arithmetic: cash tendered minus change given, when that amount is
   printed on the receipt too;
2. a total label ("ROUNDED TOTAL", "TOTAL INCL. GST", "GRAND TOTAL", "TOTAL")
   with its amount on the same or a following line; the later and more final
   of them wins ("ROUNDED" over plain "TOTAL");
3. the amount printed just before the cash line;
4. the largest amount in the lower half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from doclane.understanding.extract.candidates import Located
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import format_amount, parse_amount

_MONEY = re.compile(
    r"(?<![\d.,])(?:RM|\$|S\$|€|£)?\s?(\d{1,3}(?:[.,]\d{3})+[.,]\d{2}|\d+[.,]\d{2})(?![\d%]|[.,]\d)"
)
_EXCLUDED = re.compile(
    r"SUB\s*-?\s*TOTAL|TOTAL\s*(?:QTY|QUANTITY|ITEMS?|DISC|DISCOUNT|SAVING|GST|TAX|EXCL|EXCLUDING"
    r"|BEFORE|NO\.?\s+OF)|GST\s*SUMMARY|TOTAL\s+EXCL|AMOUNT\s*\(?EXCL|EXCLUDING\s+GST|W/O\s+GST"
    r"|@\s*\d+\s*%|(?:GST|TAX)\s*\(RM\)|TAX\s+CODE",
    re.IGNORECASE,
)
_TOTAL_KINDS = (  # (pattern, rank): higher rank = more final
    (
        re.compile(
            r"ROUN\w*\s*\w?\s*TOTAL|TOTAL\s*(?:AFTER\s+)?ROUND|NETT?\s*(?:TOTAL|AMT|AMOUNT)|NETT\b",
            re.I,
        ),
        4,
    ),
    (
        re.compile(
            r"GRAND\s*TOTAL|TOTAL\s*(?:AMOUNT\s*)?(?:PAYABLE|DUE)|AMOUNT\s+(?:DUE|PAYABLE)", re.I
        ),
        3,
    ),
    (re.compile(r"TOTAL\s*(?:SALES?\s*)?\(?\s*INCL|INCLUSIVE\s+OF\s+GST|TOTAL\s+SALES", re.I), 3),
    (
        re.compile(
            r"ZU\s+ZAHLEN|[ÀA]\s+PAYER|TOTAL\s+TTC|\bGESAMT\w*|\bMONTANT\s+(?:TOTAL|D[UÛ])", re.I
        ),
        3,
    ),
    (re.compile(r"\bTOTAL\b|\bJUMLAH\b|\bSUMME\b|\bMONTANT\b", re.I), 1),
)
_TENDER = re.compile(
    r"\b(?:CASH|TENDER\w*|PAID|PAYMENT|VISA|MASTER\w*|CREDIT\s*CARD|DEBIT|BAR|GEGEBEN"
    r"|ESP[EÈ]CES|CARTE|EC-?KARTE)\b",
    re.I,
)
_CHANGE = re.compile(r"\b(?:CHANGE|BALANCE|R[UÜ]CKGELD|WECHSELGELD|RENDU|MONNAIE)\b", re.I)
_VALUE_LINES = 3  # a label's amount may stand up to this many lines below it
CONFIDENCE = {"tender": 0.85, "label": 0.75, "before_cash": 0.55, "largest": 0.35}


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    raw: str
    position: int


def receipt_total(lines: tuple[Located, ...]) -> ExtractedField | None:
    amounts = _amounts(lines)
    if not amounts:
        return None
    printed = {a.value for a in amounts}
    tendered = _labelled_value(lines, amounts, _TENDER)
    change = _labelled_value(lines, amounts, _CHANGE)
    if tendered is not None and change is not None:
        paid = tendered.value - change.value
        match = next((a for a in amounts if a.value == paid and paid > 0), None)
        if match is not None and paid in printed:
            return _field(lines, match, "tender")
    labelled = _best_total_label(lines, amounts)
    if labelled is not None:
        return _field(lines, labelled, "label")
    if tendered is not None:
        before = [a for a in amounts if a.position < tendered.position]
        if before:
            return _field(lines, before[-1], "before_cash")
    lower = [a for a in amounts if a.position >= len(lines) // 2] or amounts
    return _field(lines, max(lower, key=lambda a: a.value), "largest")


def _amounts(lines: tuple[Located, ...]) -> list[_Amount]:
    found = []
    for position, located in enumerate(lines):
        for match in _MONEY.finditer(located.line.text):
            value = parse_amount(match.group(1))
            if value is not None:
                found.append(_Amount(value, match.group(1), position))
    return found


def _value_for(
    label_position: int, amounts: list[_Amount], lines: tuple[Located, ...]
) -> _Amount | None:
    """The amount on the label's line, else the first on the next lines before another label."""
    same = [a for a in amounts if a.position == label_position]
    if same:
        return same[-1]
    for position in range(label_position + 1, min(label_position + 1 + _VALUE_LINES, len(lines))):
        here = [a for a in amounts if a.position == position]
        if here:
            return here[0]
    return None


def _labelled_value(
    lines: tuple[Located, ...], amounts: list[_Amount], label: re.Pattern[str]
) -> _Amount | None:
    for position, located in enumerate(lines):
        if label.search(located.line.text):
            value = _value_for(position, amounts, lines)
            if value is not None:
                return value
    return None


def _best_total_label(lines: tuple[Located, ...], amounts: list[_Amount]) -> _Amount | None:
    best: tuple[int, int, _Amount] | None = None
    for position, located in enumerate(lines):
        text = located.line.text
        if _EXCLUDED.search(text):
            continue
        rank = next((rank for pattern, rank in _TOTAL_KINDS if pattern.search(text)), 0)
        if not rank:
            continue
        value = _value_for(position, amounts, lines)
        if value is None or value.value <= 0:
            continue
        if best is None or (rank, position) >= (best[0], best[1]):
            best = (rank, position, value)
    return best[2] if best else None


def _field(lines: tuple[Located, ...], amount: _Amount, how: str) -> ExtractedField:
    return ExtractedField(
        "total",
        amount.raw,
        format_amount(amount.value),
        CONFIDENCE[how],
        lines[amount.position].provenance(),
    )
