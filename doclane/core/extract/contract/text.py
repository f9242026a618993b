"""A contract's lines joined into one text, so clauses broken across lines still match.

Every offset in the joined text maps back to the line it came from, for
provenance. Dates are read month first in English contracts (US filings) and
day first in German and French ones.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from doclane.core.extract.shared.lines import Located
from doclane.core.language import detect_language
from doclane.core.model import ExtractedField
from doclane.core.normalize import find_dates

_SCAN_CHARS = 400_000
# "the 5th day of May, 2006", "this 6th of February 1999" -> "5 May 2006"
_DAY_OF = re.compile(
    r"(\d{1,2})\s?(?:st|nd|rd|th)?\s+(?:day\s+)?of\s+([A-Za-zäéû]+),?\s+(?:in\s+the\s+year\s+)?(\d{4})",
    re.IGNORECASE,
)
_SPACE_BEFORE_COMMA = re.compile(r"\s+,")
_ORDINAL_SPACE = re.compile(r"(\d)\s+(st|nd|rd|th)\b")
_DASHED_US_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})\b")


@dataclass(frozen=True)
class ContractText:
    """The lines joined by spaces, and where each line starts in the joined text."""

    text: str
    lowered: str  # the text in lower case, offset for offset: cue words are searched here
    starts: list[int]
    lines: tuple[Located, ...]
    month_first: bool

    def at(self, offset: int) -> Located:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def dates_in(self, start: int, end: int) -> list[tuple[date, int]]:
        """Calendar dates written in text[start:end], each with its offset in the text."""
        window = self.text[start:end]
        window = _ORDINAL_SPACE.sub(r"\1\2", _SPACE_BEFORE_COMMA.sub(",", window))
        window = _DAY_OF.sub(r"\1 \2 \3", window)
        if self.month_first:
            window = _DASHED_US_DATE.sub(r"\1/\2/\3", window)
        # The rewrites only shorten the window, so offsets stay close enough for provenance.
        return [
            (found.value, start + found.start)
            for found in find_dates(window, month_first=self.month_first)
        ]

    def date_after(self, offset: int, span: int = 60) -> date | None:
        found = self.dates_in(offset, offset + span)
        return found[0][0] if found else None

    def field(
        self, name: str, value: str, normalized: str, offset: int, confidence: float
    ) -> ExtractedField:
        return ExtractedField(name, value, normalized, confidence, self.at(offset).provenance())


def join_lines(lines: tuple[Located, ...]) -> ContractText:
    starts, parts, length = [], [], 0
    for located in lines:
        starts.append(length)
        parts.append(located.line.text)
        length += len(located.line.text) + 1
        if length > _SCAN_CHARS:
            break
    text = " ".join(parts)
    language = detect_language(text[:5000])
    month_first = language is None or language[0] == "en"
    return ContractText(text, _lower_in_place(text), starts, lines, month_first)


def _lower_in_place(text: str) -> str:
    """`text.lower()`, unless a character lowers to two ("İ"): then that one is kept as is."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)
