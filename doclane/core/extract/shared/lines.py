"""Lines with their place in the document, and the amount pattern every extractor shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from doclane.core.model import DocumentText, Provenance, TextLine

# Amounts with exactly two decimals; thousands grouped by . , ' or a (no-break) space.
# A plain space only groups thousands before a decimal comma ("1 234,56"): before a
# decimal point it more often separates a quantity from a price.
AMOUNT_TOKEN = re.compile(
    r"(?<![\w.,])[-(]?(?:\d{1,3}(?:[.,'’]\d{3})+[.,]\d{2}|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}"
    r"|\d{1,3}(?:[\u00a0\u202f]\d{3})+\.\d{2}|\d+[.,]\d{2})\)?-?(?![\d%]|[.,]\d|\s?%)"
)


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
