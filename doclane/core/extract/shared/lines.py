"""Value patterns and the label-then-value search shared by the field extractors."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from doclane.core.model import DocumentText, ExtractedField, Provenance, TextLine
from doclane.core.normalize import parse_date

# Amounts with exactly two decimals; thousands grouped by . , ' or a (no-break) space.
# A plain space only groups thousands before a decimal comma ("1 234,56"): before a
# decimal point it more often separates a quantity from a price.
AMOUNT_TOKEN = re.compile(
    r"(?<![\w.,])[-(]?(?:\d{1,3}(?:[.,'’]\d{3})+[.,]\d{2}|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}"
    r"|\d{1,3}(?:[\u00a0\u202f]\d{3})+\.\d{2}|\d+[.,]\d{2})\)?-?(?![\d%]|[.,]\d|\s?%)"
)
_SEPARATORS = " \t:#.-=*|"

SAME_LINE_CONFIDENCE = 0.85
NEXT_LINE_CONFIDENCE = 0.7


@dataclass(frozen=True, slots=True)
class Located:
    """A line of the document with its position, for provenance and ordering."""

    page: int
    number: int  # 1-based within the page
    index: int  # 0-based across the document
    line: TextLine

    def provenance(self) -> Provenance:
        return Provenance(source="text", page=self.page, line=self.number, bbox=self.line.bbox)


def locate_lines(text: DocumentText) -> tuple[Located, ...]:
    return tuple(
        Located(page, number, index, line)
        for index, (page, number, line) in enumerate(text.iter_lines())
    )


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ValueReader = Callable[[str], tuple[str, str] | None]  # rest of line -> (as written, normalized)


def read_date(rest: str) -> tuple[str, str] | None:
    found = parse_date(rest[:60])
    if found is None:
        return None
    return rest.strip(_SEPARATORS).split("   ")[0][:40], found.isoformat()


def search_labelled(
    lines: tuple[Located, ...],
    name: str,
    labels: tuple[tuple[str, float], ...],
    reader: ValueReader,
    *,
    prefer_last: bool = False,
) -> ExtractedField | None:
    """Best value announced by one of `labels`: same line first, else the next line."""
    best: tuple[float, int, ExtractedField] | None = None
    for position, located in enumerate(lines):
        for pattern, weight in labels:
            match = compiled(pattern).search(located.line.text)
            if match is None:
                continue
            found = _value_after(lines, position, match.end(), reader)
            if found is None:
                continue
            value, normalized, where, base = found
            confidence = round(base * (0.8 + 0.2 * weight), 3)
            order = located.index if prefer_last else -located.index
            field = ExtractedField(name, value, normalized, confidence, where.provenance())
            if best is None or (confidence, order) > best[:2]:
                best = (confidence, order, field)
            break
    return best[2] if best else None


def _value_after(
    lines: tuple[Located, ...], position: int, label_end: int, reader: ValueReader
) -> tuple[str, str, Located, float] | None:
    located = lines[position]
    found = reader(located.line.text[label_end:])
    if found is not None:
        return (*found, located, SAME_LINE_CONFIDENCE)
    rest = located.line.text[label_end:]
    if position + 1 < len(lines) and not any(map(str.isdigit, rest)):
        following = lines[position + 1]
        found = reader(following.line.text)
        if found is not None:
            return (*found, following, NEXT_LINE_CONFIDENCE)
    return None
