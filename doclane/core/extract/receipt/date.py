"""When a receipt was issued: the date printed with the sale's time, or under a date label.

Till slips also print dates that are not the sale's (a promotion's end, a
product code such as ``HD03-04-06`` that reads like one), so every date on the
slip is a candidate and the evidence around it decides:

- a date label (DATE, TARIKH, DATUM, LE, ...) on its line or the line above;
- a time of day on its line or a neighbouring one;
- the date standing on its own rather than inside a longer token.

A date glued to a letter or digit before it (part of a code) is no candidate;
the compact form 20180428 only counts under a date label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import find_dates

_DATE_LABEL = re.compile(
    r"\b(?:DATE|DATED|TARIKH|DATUM|FECHA|DATA|BIZDATE|DT)\b|^\s*LE\b|\bDU\s+(?=\d)", re.I
)
_TIME = re.compile(
    r"(?<![\d.,])(?:[01]?\d|2[0-3])\s?[:h]\s?[0-5]\d(?:\s?:\s?[0-5]\d)?(?![\d.,])", re.I
)
_TIME_LABEL = re.compile(r"^\s*(?:TIME|ZEIT|HEURE|MASA)?\s*:?\s*|\s*(?:AM|PM)?\s*$", re.I)
_CODE_BEFORE = re.compile(r"[^\W_]")  # a letter or digit just before a date: part of a code
_MAYBE_DATE = re.compile(r"\d\s?[./-]\s?\d|\d\s?[^\W\d_]{3}|[^\W\d_]{3}\.?\s?\d|[12]\d{7}")
_BASIC_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_EVIDENCE = {"label": 3.0, "time": 2.0, "alone": 1.0}
_MIN_YEAR = 1990  # older dates on a till slip are misreadings or codes
CONFIDENCE_BY_SCORE = ((5.0, 0.9), (3.0, 0.8), (2.0, 0.7), (1.0, 0.55), (0.0, 0.4))


@dataclass(frozen=True)
class _Candidate:
    value: date
    written: str
    score: float
    position: int


def receipt_date(lines: tuple[Located, ...], *, month_first: bool = False) -> ExtractedField | None:
    """The best-supported date on the slip; the earliest wins a tie."""
    best: _Candidate | None = None
    for position in range(len(lines)):
        for candidate in _candidates(lines, position, month_first=month_first):
            if best is None or candidate.score > best.score:
                best = candidate
    if best is None:
        return None
    confidence = next(c for floor, c in CONFIDENCE_BY_SCORE if best.score >= floor)
    return ExtractedField(
        FieldName.ISSUE_DATE,
        best.written,
        best.value.isoformat(),
        confidence,
        lines[best.position].provenance(),
    )


def _candidates(
    lines: tuple[Located, ...], position: int, *, month_first: bool
) -> list[_Candidate]:
    text = lines[position].line.text
    if not _MAYBE_DATE.search(text):  # most lines hold none: skip the slower search
        return []
    above = lines[position - 1].line.text if position else ""
    spans = [(m.value, m.start, m.end) for m in find_dates(text, month_first=month_first)]
    spans += _basic_iso_dates(text) if not spans else []
    found = []
    for value, start, end in spans:
        if _CODE_BEFORE.match(text[start - 1 : start]) or text[end : end + 1].isdigit():
            continue
        if value.year < _MIN_YEAR:
            continue
        labelled = bool(_DATE_LABEL.search(text[:start])) or (
            bool(_DATE_LABEL.search(above)) and not find_dates(above)
        )
        if not labelled and (end - start) == 8 and text[start:end].isdigit():
            continue
        score = _EVIDENCE["label"] if labelled else 0.0
        if _has_time(lines, position, text[:start] + " " + text[end:]):
            score += _EVIDENCE["time"]
        if len(text.strip()) <= (end - start) + 2:
            score += _EVIDENCE["alone"]
        found.append(_Candidate(value, text[start:end], score, position))
    return found


def _basic_iso_dates(text: str) -> list[tuple[date, int, int]]:
    found = []
    for match in _BASIC_ISO.finditer(text):
        try:
            value = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        found.append((value, match.start(), match.end()))
    return found


def _has_time(lines: tuple[Located, ...], position: int, rest_of_line: str) -> bool:
    if _TIME.search(rest_of_line):
        return True
    neighbours = (lines[i].line.text for i in (position - 1, position + 1) if 0 <= i < len(lines))
    return any(_TIME.fullmatch(_TIME_LABEL.sub("", text)) for text in neighbours)
