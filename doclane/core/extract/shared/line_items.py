"""Table rows: a description followed by quantity, unit price and amount (best effort)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from doclane.core.extract.labels.table import ATTACHED_UNITS, LABELS, TABLE_COLUMNS, UNIT_WORDS
from doclane.core.extract.shared.lines import Located, compiled
from doclane.core.fields import FieldName
from doclane.core.model import LineItem
from doclane.core.normalize import format_amount, parse_amount, parse_date

LINE_ITEM_CONFIDENCE = 0.5
_TWO_DECIMALS = re.compile(r"^-?\d{1,3}(?:[.,'’]\d{3})*[.,]\d{2}-?$|^-?\d+[.,]\d{2}-?$")
_QUANTITY = re.compile(r"^\d+(?:[.,]\d{1,4})?$")
_SKIPPABLE = re.compile(
    r"^(?:x|stk\.?|st\.?|pcs?\.?|pce|units?|h|kg|m|€|\$|£|eur|usd|rm|%|\*)$", re.IGNORECASE
)
_SUMMARY_LABELS = tuple(
    pattern
    for field in (FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL)
    for pattern, _ in LABELS[field]
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
    if sum(map(str.isalpha, description)) < 3:
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


# ---- item tables of invoices, credit notes and orders ----

TABLE_ITEM_CONFIDENCE = 0.8  # quantity x unit price = amount holds
LOOSE_ITEM_CONFIDENCE = 0.45  # an amount and a description, nothing to check them against
# A quantity may carry its unit without a space ("8h", "3x", "10Stk"); other letters after
# digits make a code ("ZS997", "250g" of a description), not a figure.
_NUMBER = re.compile(
    r"(?<![\w.,/-])-?(?:\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,4})?|\d{1,3}(?: \d{3})+,\d{1,4}"
    r"|\d+(?:[.,]\d{1,4})?)"
    rf"(?:(?![\w%]|[.,]\d|\s?%)|(?=(?:{ATTACHED_UNITS})\.?(?![\w%])))",
    re.IGNORECASE,
)
_CARRIED = re.compile(
    r"\b(?:carried|brought)\s+forward\b|\bübertrag\b|\breport\b|\bà\s+reporter\b",
    re.IGNORECASE,
)
_UNIT_GAP = re.compile(r"(?:\s+|\s*(?:[%€$£x*]|[^\W\d_]{1,4}\.?)\s*)+$|\s*$")
_CELL_GAP = re.compile(r"\s{2,}")
# A word of a description: not a unit ("Stk.", "h") nor a code holding digits ("ZS997").
_UNIT_OR_CODE = re.compile(rf"^(?:(?:{UNIT_WORDS})\.?|\S*\d\S*)$", re.IGNORECASE)
_QUANTITY_COLUMN = re.compile(TABLE_COLUMNS[1], re.IGNORECASE)
_PRICE_COLUMN = re.compile(TABLE_COLUMNS[2], re.IGNORECASE)
_THREE_DECIMALS = re.compile(r"^-?[1-9]\d{0,2}[.,]\d{3}$")
_CENT = Decimal("0.01")  # quantity x price may miss the amount by a cent plus rounding
_HALF_PERCENT = Decimal("0.005")
_TABLE_END = re.compile(
    r"^(?:payment|zahlung|paiement|bank|iban|thank|vielen\s+dank|merci|bitte|please|conditions)",
    re.IGNORECASE,
)


class _Number(NamedTuple):
    raw: str
    value: Decimal
    decimals: int
    start: int
    end: int


def extract_table_items(
    lines: tuple[Located, ...], headers: list[int], stops: frozenset[int]
) -> tuple[LineItem, ...]:
    """Rows under item-table headers (`headers`, line indexes) until a totals line (`stops`).

    Tables continue across pages: every header starts a stretch of rows. A row
    is a line with an amount and some description; quantity and unit price
    are the numbers before the amount whose product is the amount.
    """
    if not headers:
        return _rows_without_header(lines, stops)
    tables: list[list[LineItem]] = []
    for number, header in enumerate(headers):
        items: list[LineItem] = []
        tables.append(items)
        end = headers[number + 1] if number + 1 < len(headers) else len(lines)
        price_first = _price_before_quantity(lines[header].line.text)
        for position in range(header + 1, end):
            if position in stops:
                break
            text = lines[position].line.text
            if _TABLE_END.match(text):
                break
            if _CARRIED.search(text):
                continue
            nearby = _Nearby(lines[header + 1 : position], lines[position + 1 : end])
            item = _table_row(lines[position], nearby, price_first)
            if item is not None:
                items.append(_with_continuation(item, lines[position], nearby.below, stops))
    return tuple(item for table in tables for item in _checked_rows(table))


def _with_continuation(
    item: LineItem, row: Located, below: tuple[Located, ...], stops: frozenset[int]
) -> LineItem:
    """The row's description with the lines that continue it under the figures.

    A continuation line carries no amount, starts no further left than the row
    and ends before the row's figures do; the last such line before a row
    printed without a description of its own belongs to that row instead.
    """
    if item.description is None or item.description not in row.line.text:
        return item
    parts = [item.description]
    for number, located in enumerate(below[:_CONTINUATION_LINES]):
        text = located.line.text
        if located.index in stops or _TABLE_END.match(text) or _CARRIED.search(text):
            break
        if any(n.decimals == 2 for n in _numbers(text)) or not _within(row, located):
            break
        following = below[number + 1] if number + 1 < len(below) else None
        if following is not None and _is_bare_row(following.line.text):
            break
        description = _description(text)
        if description is None:
            break
        parts.append(description)
    if len(parts) == 1:
        return item
    return replace(item, description=" ".join(parts))


def _within(row: Located, located: Located) -> bool:
    """`located` lies under the row's text, not left of it nor past its figures."""
    row_box, box = row.line.bbox, located.line.bbox
    if row_box is None or box is None:
        return True
    height = max(row_box.y1 - row_box.y0, 1.0)
    return box.x0 >= row_box.x0 - height and box.x1 < row_box.x1 - height


def _is_bare_row(text: str) -> bool:
    """A line with an amount and no description of its own: its description is nearby."""
    numbers = _numbers(text)
    money = [n for n in numbers if n.decimals == 2]
    if not money:
        return False
    before = [n for n in numbers if n.end <= money[-1].start]
    return _description(text[: _figures_start(text, before, money[-1])]) is None


def _rows_without_header(lines: tuple[Located, ...], stops: frozenset[int]) -> tuple[LineItem, ...]:
    """Without a table header only rows whose quantity x unit price = amount are items."""
    items = []
    for position, located in enumerate(lines):
        if position in stops or _CARRIED.search(located.line.text):
            continue
        item = _table_row(located, _NO_NEIGHBOURS)
        if item is not None and item.quantity is not None:
            items.append(item)
    return tuple(items)


def _checked_rows(rows: list[LineItem]) -> list[LineItem]:
    """Rows whose figures multiply out; unchecked rows only from a table that has no checked one
    (remarks under an item, "Discount -2.00", carry no quantity and price)."""
    checked = [row for row in rows if row.quantity is not None]
    return checked or rows


class _Nearby(NamedTuple):
    """The table lines over a row (nearest last) and under it (nearest first)."""

    above: tuple[Located, ...]
    below: tuple[Located, ...]


_NO_NEIGHBOURS = _Nearby((), ())
_NEARBY_LINES = 3  # how far from its figures a description may be printed
_CONTINUATION_LINES = 3  # lines a description may wrap onto under its row


def _price_before_quantity(header: str) -> bool:
    """The header names the unit price's column left of the quantity's ("Price  Qty")."""
    price = _PRICE_COLUMN.search(header)
    if price is None:
        return False
    quantities = (  # "Unit" of "Unit Price" is the price's column, not a quantity's
        match.start()
        for match in _QUANTITY_COLUMN.finditer(header)
        if not price.start() <= match.start() < price.end()
    )
    quantity = next(quantities, None)
    return quantity is not None and price.start() < quantity


def _table_row(located: Located, nearby: _Nearby, price_first: bool = False) -> LineItem | None:
    text = located.line.text
    numbers = _numbers(text)
    money = [n for n in numbers if n.decimals == 2]
    if not money:
        return None
    amount = money[-1]
    before = [n for n in numbers if n.end <= amount.start]
    pair = _pair_for_amount(before, amount.value, price_first=price_first)
    if pair is None:
        description = _description(text[: _figures_start(text, before, amount)])
    else:
        description = _description(_blank(text[: amount.start], pair))
    if description is None and pair is not None:
        description = _nearby_description(nearby) or _description(text[: amount.start], codes=True)
    if description is None:
        return None
    if pair is None:
        return LineItem(
            description, None, None, format_amount(amount.value), LOOSE_ITEM_CONFIDENCE,
            located.provenance(),
        )  # fmt: skip
    quantity, price = pair
    return LineItem(
        description,
        _plain(quantity.value),
        format_amount(price.value),
        format_amount(amount.value),
        TABLE_ITEM_CONFIDENCE,
        located.provenance(),
    )


def _figures_start(text: str, before: list[_Number], amount: _Number) -> int:
    """Where the row's trailing figures begin: numbers separated only by units or signs."""
    start = amount.start
    for number in reversed(before):
        if not _UNIT_GAP.match(text, number.end, start):
            break
        start = number.start
    return start


def _blank(text: str, numbers: tuple[_Number, ...]) -> str:
    """`text` with the given numbers cut out, leaving a column gap in their place."""
    for number in sorted(numbers, key=lambda n: -n.start):
        text = f"{text[: number.start]}   {text[number.end :]}"
    return text


def _description(text: str, *, codes: bool = False) -> str | None:
    """The cell with the most letters left of the figures (not the position or article number).

    Letters of unit words and article codes do not count: a cell reading "Stk. 1" or
    "4123456000014 ZS997" leaves the description to the line under or over the figures.
    """
    best, letters = "", 0
    for raw_cell in _CELL_GAP.split(text):
        cell = raw_cell.strip(" -:*|")
        count = sum(_letters(word, codes=codes) for word in cell.split())
        if count > letters:
            best, letters = cell, count
    return best if letters >= 3 else None


def _letters(word: str, *, codes: bool) -> int:
    if not codes and _UNIT_OR_CODE.match(word.strip("()[],;")):
        return 0
    return sum(map(str.isalpha, word))


def _nearby_description(nearby: _Nearby) -> str | None:
    """The description printed under its figures, or else over them.

    Lines of a few stray letters (text set sideways in the margin) are passed
    over; a line with an amount is another row and ends the search.
    """
    for side in (nearby.below[:_NEARBY_LINES], tuple(reversed(nearby.above))[:_NEARBY_LINES]):
        for located in side:
            text = located.line.text
            if any(n.decimals == 2 for n in _numbers(text)) or _TABLE_END.match(text):
                break
            description = _description(text)
            if description is not None:
                return description
    return None


def _numbers(text: str) -> list[_Number]:
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group()
        value, decimals = _read_number(raw)
        found.append(_Number(raw, value, decimals, match.start(), match.end()))
    return found


def _read_number(raw: str) -> tuple[Decimal, int]:
    """A number `_NUMBER` matched, and its count of decimals: the last separator is the
    decimal mark unless three digits follow it and it groups thousands ("1,000", "12.500")."""
    negative = raw.startswith("-")
    digits = raw.lstrip("-")
    separator = max(digits.rfind(","), digits.rfind("."))
    tail = len(digits) - separator - 1 if separator != -1 else 0
    grouped = separator != -1 and tail == 3 and not digits.startswith("0")
    if separator == -1 or grouped:
        integer, fraction = digits, ""
    else:
        integer, fraction = digits[:separator], digits[separator + 1 :]
    number = integer if integer.isdigit() else "".join(filter(str.isdigit, integer))
    value = Decimal(f"{number}.{fraction}" if fraction else number)
    return (-value if negative else value), len(fraction)


def _pair_for_amount(
    before: list[_Number], amount: Decimal, *, price_first: bool = False
) -> tuple[_Number, _Number] | None:
    """The (quantity, unit price) pair before the amount whose product is the amount.

    Either order is possible ("Qty Price" or "Nettopreis Menge"); a price with
    cents, the order the table's header gives (quantity first without one),
    and figures close to the amount rank higher.
    """
    best: tuple[tuple[int, int, int], tuple[_Number, _Number]] | None = None
    for j, price in enumerate(before):
        if price.value == 0 and amount != 0:
            continue
        for i, printed in enumerate(before):
            if i == j:
                continue
            for quantity in _quantity_readings(printed):
                tolerance = _CENT + abs(quantity.value) * _HALF_PERCENT
                if abs(quantity.value * price.value - amount) > tolerance:
                    continue
                rank = (1 if price.decimals >= 2 else 0, 1 if (i < j) != price_first else 0, i + j)
                if best is None or rank > best[0]:
                    best = (rank, (quantity, price))
    return best[1] if best else None


def _quantity_readings(number: _Number) -> tuple[_Number, ...]:
    """A quantity as read, and "1,000" / "2.500" also as three decimals (1 and 2.5), which
    quantity columns print as often as thousands."""
    if number.decimals or not _THREE_DECIMALS.search(number.raw):
        return (number,)
    return number, number._replace(value=number.value / 1000, decimals=3)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
