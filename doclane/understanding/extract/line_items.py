"""Table rows: a description followed by quantity, unit price and amount (best effort)."""

from __future__ import annotations

import re

from doclane.understanding.extract.candidates import Located, compiled
from doclane.understanding.extract.labels import LABELS
from doclane.understanding.model import LineItem
from doclane.understanding.normalize import parse_amount, parse_date

LINE_ITEM_CONFIDENCE = 0.5
_TWO_DECIMALS = re.compile(r"^-?\d{1,3}(?:[.,'’]\d{3})*[.,]\d{2}-?$|^-?\d+[.,]\d{2}-?$")
_QUANTITY = re.compile(r"^\d+(?:[.,]\d{1,4})?$")
_SKIPPABLE = re.compile(
    r"^(?:x|stk\.?|st\.?|pcs?\.?|pce|units?|h|kg|m|€|\$|£|eur|usd|rm|%|\*)$", re.IGNORECASE
)
_SUMMARY_LABELS = tuple(
    pattern for field in ("total", "net_total", "tax_total") for pattern, _ in LABELS[field]
)


def extract_line_items(lines: tuple[Located, ...]) -> tuple[LineItem, ...]:
    return tuple(item for located in lines if (item := _read_row(located)) is not None)


def _read_row(located: Located) -> LineItem | None:
    text = located.line.text
    if _is_summary_or_dated(text):
        return None
    tokens = text.split()
    amounts = [i for i, token in enumerate(tokens) if _TWO_DECIMALS.match(token)]
    if not amounts or parse_amount(tokens[amounts[-1]]) is None:
        return None
    amount_at = amounts[-1]
    numbers_before = [
        i for i in range(amount_at) if _QUANTITY.match(tokens[i]) or _TWO_DECIMALS.match(tokens[i])
    ]
    trailing = _trailing_numbers(tokens, amount_at, numbers_before)
    description = " ".join(tokens[: trailing[0]]).strip(" -:*") if trailing else ""
    if sum(ch.isalpha() for ch in description) < 3:
        return None
    quantity, unit_price = _quantity_and_price([tokens[i] for i in trailing])
    return LineItem(
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        amount=tokens[amount_at],
        confidence=LINE_ITEM_CONFIDENCE,
        provenance=located.provenance(),
    )


def _is_summary_or_dated(text: str) -> bool:
    if any(compiled(pattern).search(text) for pattern in _SUMMARY_LABELS):
        return True
    return parse_date(text) is not None


def _quantity_and_price(numbers: list[str]) -> tuple[str | None, str | None]:
    """Two numbers are quantity and unit price; one is a price if it has cents."""
    if len(numbers) == 2:
        return numbers[0], numbers[1]
    if _TWO_DECIMALS.match(numbers[0]):
        return None, numbers[0]
    return numbers[0], None


def _trailing_numbers(tokens: list[str], amount_at: int, numbers: list[int]) -> list[int]:
    """Indexes of the (up to two) numbers directly before the amount, ignoring unit words."""
    found: list[int] = []
    index = amount_at - 1
    while index >= 0 and len(found) < 2:
        if index in numbers:
            found.insert(0, index)
        elif not _SKIPPABLE.match(tokens[index]):
            break
        index -= 1
    return found
