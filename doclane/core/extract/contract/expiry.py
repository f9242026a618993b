"""When a contract expires: the date it states, or its start plus its term.

A stated date: "shall terminate June 1, 2000", "continue until July 31, 2019
(the "Initial Term")", "… 2023 (the "Expiration Date")". Otherwise, when the
agreement's own term runs from its start ("five (5) years from the Effective
Date", "for the term of one year"), the expiration is the effective date plus
that term, at lower confidence; a term counted from another event ("one year
following the Launch Date") gives no date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from doclane.core.extract.contract.dates import DatedClause
from doclane.core.extract.contract.term import Duration
from doclane.core.extract.contract.text import ContractText
from doclane.core.normalize import parse_date

# Cue patterns are lower case: they are searched in `ContractText.lowered`, which is fast.
_DEFINED_EXPIRATION = re.compile(
    r"\([^()]{0,40}?[\"“”]\s*(?:(?:scheduled\s+)?(?:expiration|expiry|termination)\s+date|initial\s+term)"
)
_LAST_DAY_OF = re.compile(
    r"\blast\s+day\s+(?:of|in)\s+(?P<month>[A-Za-z]+),?\s+(?P<year>\d{4})", re.IGNORECASE
)
# "until the close of business on", "until 5:00 p.m. (New York time) on"
_HOUR_OF_DAY = (
    r"(?:the\s+)?(?:close\s+of\s+business|end\s+of\s+business|midnight|\d{1,2}:\d{2}\s*[ap]\.?m\.?)"
    r"[^,;]{0,25}?\s+on\s+"
)
# One pattern per leading word: a literal start is searched much faster than an alternation.
_ENDS_ON = tuple(
    re.compile(pattern)
    for pattern in (
        r"expir\w*\s+(?:on\s+|at\s+[\w:.\s]{0,25}?\s+on\s+)?",
        r"(?:expiration|expiry)\s+date[\"”]?\s+(?:means|shall\s+mean|is|shall\s+be)\s+",
        r"terminat\w*\s+(?:on\s+|at\s+[^.]{0,30}?\s+on\s+)?",
        r"end\s+(?:on\s+)?",
        r"ending\s+(?:on\s+)?",
        r"\d{4},?\s+(?:to|through)\s+",  # "from January 1, 2018 to December 31, 2020"
        r"until\s+(?:and\s+including\s+|" + _HOUR_OF_DAY + r")?",
        r"through\s+(?:and\s+including\s+)?",
        r"endet\s+(?:am|mit\s+ablauf\s+des)\s+",
        r"expire(?:ra)?\s+le\s+",
        r"se\s+termine(?:ra)?\s+le\s+",
        r"läuft\s+am\s+",
        r"prend\s+fin\s+le\s+",
        r"bis\s+(?:zum\s+)?",
        r"jusqu'au\s+",
    )
)
_ABOUT_THE_TERM = re.compile(
    r"\bterm\b|\bagreement\b|\bexpir|\bvertrag|\blaufzeit|\bcontrat\b|\bdurée\b"
)
_ABOUT_ANOTHER = re.compile(
    r"\b(?:previous|prior|original|existing|former|quarter|calendar\s+year|fiscal\s+year)\b"
)
_COUNTED_FROM = re.compile(
    r"\s*(?:\(\s*\d+\s*\)\s*)?(?:years?|months?|days?)?\s*"
    r"(?:from|after|following|commencing\s+on|beginning\s+on)\s+(?:and\s+after\s+)?(?P<anchor>[^,.;]{0,40})",
    re.IGNORECASE,
)
_START_ANCHOR = re.compile(
    r"\b(?:effective|execution|commencement|signing)\b|date\s+(?:hereof|of\s+this|first)|\bhereof\b",
    re.IGNORECASE,
)
_SCAN_CHARS = 36_000
_NEAR = 40


def find_expiration_date(
    text: ContractText, effective: DatedClause | None, term: Duration | None
) -> DatedClause | None:
    return _stated_expiration(text) or _computed_expiration(text, effective, term)


def _stated_expiration(text: ContractText) -> DatedClause | None:
    head = text.lowered[:_SCAN_CHARS]
    for defined in _DEFINED_EXPIRATION.finditer(head):
        before = _dates_before(text, defined.start())
        if before:
            value, offset = before[-1]
            return DatedClause(value, text.text[offset : defined.end()].strip(), offset, 0.8)
    cues = sorted((cue for pattern in _ENDS_ON for cue in pattern.finditer(head)), key=_start)
    for cue in cues:
        if cue.start() and head[cue.start() - 1].isalpha():  # "amend", "depend": not a cue
            continue
        context = head[max(0, cue.start() - 120) : cue.start()]
        if not _ABOUT_THE_TERM.search(context) or _ABOUT_ANOTHER.search(context):
            continue
        found = text.dates_in(cue.end(), cue.end() + 25)
        if found and found[0][1] - cue.end() <= 2:
            written = text.text[cue.start() : found[0][1] + 20].strip()
            return DatedClause(found[0][0], written, cue.start(), 0.6)
    return None


def _start(match: re.Match[str]) -> int:
    return match.start()


def _dates_before(text: ContractText, end: int) -> list[tuple[date, int]]:
    """Dates just before `end`, "the last day in February, 2023" among them."""
    start = max(0, end - _NEAR)
    found = text.dates_in(start, end)
    for last in _LAST_DAY_OF.finditer(text.text, start, end):
        first = parse_date(f"1 {last['month']} {last['year']}")
        if first is not None:
            days = calendar.monthrange(first.year, first.month)[1]
            found.append((first.replace(day=days), last.start()))
    return sorted(found, key=lambda item: item[1])


def _computed_expiration(
    text: ContractText, effective: DatedClause | None, term: Duration | None
) -> DatedClause | None:
    if effective is None or term is None or not term.own_term:
        return None
    counted = _COUNTED_FROM.match(text.text, term.offset + len(term.written))
    if counted is not None and not _START_ANCHOR.search(counted["anchor"]):
        return None
    months = term.count * 12 if term.unit == "year" else term.count if term.unit == "month" else 0
    if not months:
        return None
    value = _add_months(effective.value, months)
    confidence = min(effective.confidence, term.confidence) * 0.6
    written = f"{term.written} from {effective.value.isoformat()}"
    return DatedClause(value, written, term.offset, confidence)


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)
