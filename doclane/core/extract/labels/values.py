"""Values announced by labels: read right of the label, else below it in its column.

A reader turns a piece of text into the values of one kind it contains
(amounts, dates, identifiers), each with its span. `announced_values` applies
a reader where a label's value can be: the rest of the label's line up to the
next label, else the aligned cell of the lines below, else the start of the
next line. Every candidate carries a score: the label's weight times how
directly the value follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from doclane.core.extract.labels.hits import LabelHit
from doclane.core.extract.shared.layout import Cell, DocumentLayout
from doclane.core.extract.shared.lines import AMOUNT_TOKEN
from doclane.core.normalize import find_dates, format_amount, parse_amount

ADJACENT = 1.0  # the value follows the label with only separators between
SAME_LINE = 0.85  # other words sit between label and value
BELOW = (0.9, 0.75, 0.6, 0.5, 0.45)  # the value sits 1, 2, 3... lines below the label
NEXT_LINE_START = 0.6  # the label ends its line, the value starts the next

_FILLER = re.compile(
    r"^(?:[\s:#.\-=*|/()€$£]|n[°º]|\b(?:no|nr|number|nummer|num[ée]ro|vom|du|of|de|le|am|the"
    r"|eur|usd|gbp|chf|in)\b)*",
    re.IGNORECASE,
)
_ID_FILLER = re.compile(
    r"^(?:[\s:#.=*|]|n[°º]|\b(?:no|nr|number|nummer|num[ée]ro)\b\.?(?=[\s:]|$))*", re.IGNORECASE
)
_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]|\d")
_SPACED_DIGITS = re.compile(r"(?<=[\d./-])\s+(?=[\d./-])")
_DIGIT_GROUPS = re.compile(r"^\d{1,6}(?: \d{1,6}){1,4}$")
_WORDY = re.compile(r"[^\W\d_]{4,}")
_TOKEN = re.compile(r"\S+")
_WORD_AFTER = re.compile(r" [^\W\d_]{2,}")
_GAP = re.compile(r"\s{2,}")


@dataclass(frozen=True, slots=True)
class Found:
    """One value in a text: as written, canonical, and where."""

    raw: str
    normalized: str
    start: int
    end: int


Reader = Callable[[str], list[Found]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value for a field, where it was found and how much the layout vouches for it."""

    field: str
    raw: str
    normalized: str
    score: float
    position: int  # index of the line the value is on
    label: LabelHit | None = None


def read_amounts(text: str) -> list[Found]:
    found = []
    for match in AMOUNT_TOKEN.finditer(text):
        amount = parse_amount(match.group())
        if amount is not None:
            found.append(Found(match.group(), format_amount(amount), match.start(), match.end()))
    return found


_SHORT_AMOUNT = re.compile(r"(?<![\d.,/])\d{1,6}(?:\.\d)?(?![\d.,/])\s*$")


def read_charge_amounts(text: str) -> list[Found]:
    """Amounts as `read_amounts`, or a short number closing the line ("HANDLING   24",
    "SHIP/INS   73.7")."""
    found = read_amounts(text)
    if found:
        return found
    match = _SHORT_AMOUNT.search(text)
    if match is None:
        return []
    raw = match.group().strip()
    return [Found(raw, format_amount(Decimal(raw)), match.start(), match.start() + len(raw))]


def date_reader(*, month_first: bool) -> Reader:
    """Dates as the document writes them; digits split by stray spaces are rejoined."""

    def read_dates(text: str) -> list[Found]:
        found = [
            Found(text[m.start : m.end], m.value.isoformat(), m.start, m.end)
            for m in find_dates(text, month_first=month_first)
        ]
        if found or not any(map(str.isdigit, text)):
            return found
        joined = _SPACED_DIGITS.sub("", text)
        if joined == text:
            return []
        return [
            Found(joined[m.start : m.end], m.value.isoformat(), 0, len(text))
            for m in find_dates(joined, month_first=month_first)
        ][:1]

    return read_dates


def read_identifier(text: str) -> list[Found]:
    """The document number right at the start of `text` (after "No.", ":" and the like)."""
    skip = _ID_FILLER.match(text)
    offset = skip.end() if skip else 0
    rest = text[offset:]
    cell = rest.split("   ", 1)[0].strip()
    if _DIGIT_GROUPS.match(cell):
        token = cell.replace(" ", "")  # "1 90 122": digits the PDF spaced apart
        return [Found(token, token, offset, offset + len(cell))]
    match = _ID_TOKEN.match(rest)
    if match is None:
        return []
    token = match.group().rstrip(".")
    if not _plausible_identifier(token):
        return []
    if token.isdigit() and len(token) <= 5 and _WORD_AFTER.match(rest, match.end()):
        return []  # "101 High Street": a house number, not a document number
    return [Found(token, token, offset + match.start(), offset + match.start() + len(token))]


def _plausible_identifier(token: str) -> bool:
    digits = sum(map(str.isdigit, token))
    if digits == 0 or len(token) > 40 or (_WORDY.search(token) and digits < 2):
        return False
    return not find_dates(token)


def announced_values(
    layout: DocumentLayout,
    hit: LabelHit,
    reader: Reader,
    line_hits: list[LabelHit],
    *,
    take_last: bool = False,
    max_below: int = 1,
) -> list[Candidate]:
    """Candidates for the field of `hit`: same line first, else below, else next line start.

    `line_hits` are all label hits of the hit's line (any field), to know where
    the label's own stretch of text ends. `take_last` picks the last value of
    that stretch (amounts: "VAT 19% of 100.00   19.00"); `max_below` lets a
    column yield values from several lines below (a totals row per rate).
    """
    text = layout.lines[hit.position].line.text
    stop = min((h.start for h in line_hits if h.start >= hit.end), default=len(text))
    stretch = text[hit.end : stop]
    values = reader(stretch)
    if values:
        value = values[-1] if take_last else values[0]
        gap = stretch[: value.start]
        filler = _FILLER.match(gap)
        placement = ADJACENT if filler is not None and filler.end() == len(gap) else SAME_LINE
        return [_candidate(hit, value, hit.weight * placement, hit.position)]
    own_cell = _GAP.split(stretch.lstrip(":"), maxsplit=1)[0]
    if any(map(str.isalnum, own_cell)) and not _is_filler(own_cell):
        return []  # words follow the label in its own cell: it is prose, not a heading
    below = _below(layout, hit, reader, max_below)
    if below:
        return below
    return _next_line_start(layout, hit, reader, stop == len(text))


def _below(layout: DocumentLayout, hit: LabelHit, reader: Reader, limit: int) -> list[Candidate]:
    """Values under the label; with `limit` > 1 (a column of figures) every row counts alike."""
    x0, x1 = layout.span_x(hit.position, hit.start, hit.end)
    centre = (x0 + x1) / 2
    header = layout.cell_at(hit.position, hit.start)
    columns_right = len(header.text[hit.end - header.start :].split()) if header else 0
    found: list[Candidate] = []
    for below in layout.below(hit.position, x0, x1, chained=limit > 1):
        values = reader(below.cell.text)
        if not values:
            continue
        placement = BELOW[0] if limit > 1 else BELOW[min(below.rank, len(BELOW)) - 1]
        value = _same_column_from_right(below.cell.text, values, columns_right)
        if value is None:
            value = min(values, key=lambda v: abs(_value_centre(below.cell, v) - centre))
        found.append(_candidate(hit, value, hit.weight * placement, below.position))
        if len(found) >= limit:
            break
    return found


def _same_column_from_right(text: str, values: list[Found], columns_right: int) -> Found | None:
    """In a row of figures under a row of headings, the figure as far from the right as its heading.

    Only for rows of at least three figures printed as one run, where position
    estimates are too coarse: "Nettobetrag MwSt-Betrag MwSt-% Endbetrag" over
    "448,99 70,00 EUR 518,99".
    """
    if len(values) < 2 or columns_right < 1:
        return None
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if len(tokens) < 3 or len(tokens) <= columns_right:
        return None
    start, end = tokens[len(tokens) - 1 - columns_right]
    return next((v for v in values if v.start <= start and end <= v.end + 1), None)


def _next_line_start(
    layout: DocumentLayout, hit: LabelHit, reader: Reader, label_ends_line: bool
) -> list[Candidate]:
    following = hit.position + 1
    if not label_ends_line or following >= len(layout.lines):
        return []
    if layout.lines[following].page != layout.lines[hit.position].page:
        return []
    cells = layout.cells(following)
    if not cells:
        return []
    values = reader(cells[0].text)
    if not values or values[0].start > 3:
        return []
    return [_candidate(hit, values[0], hit.weight * NEXT_LINE_START, following)]


def _value_centre(cell: Cell, value: Found) -> float:
    return (cell.x_of(cell.start + value.start) + cell.x_of(cell.start + value.end)) / 2


def _is_filler(text: str) -> bool:
    filler = _FILLER.match(text)
    return filler is not None and filler.end() == len(text)


def _candidate(hit: LabelHit, value: Found, score: float, position: int) -> Candidate:
    return Candidate(hit.field, value.raw, value.normalized, round(score, 4), position, hit)
