"""How long a contract, or the confidentiality it imposes, lasts: "2 years", "18 months".

A contract writes many periods (notice, standstill, non-solicitation, cure);
each duration is scored by the sentence around it. The agreement's own term
("This Agreement shall expire two (2) years from the date hereof", "the term
of this Agreement shall continue for one (1) year") and the end of the
confidentiality obligations score highest; restrictive covenants, notices and
payments score below zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}
_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|ninety)(?:[\s-](?:one|two|three|four|five|six"
    r"|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
# Units are found first (in the lower-case text, which is fast), then the number before them:
# "two (2) years", "18 months", and in German or French "fünf (5) Jahre", "douze (12) mois".
_UNIT_WORD = re.compile(
    r"(?:years?|months?|days?|jahre?n?|monate?n?|tage?n?|années?|mois|jours?)\b"
)
_FRENCH_YEAR = re.compile(r" ans?\b")  # "un (1) an", "2 ans"; only after a number
_NUMBER_BEFORE = re.compile(
    rf"(?:\b(?P<word>{_NUMBER_WORD})\s*(?:\(\s*(?P<both>\d{{1,3}})\s*\)\s*)?"
    r"|\b[^\W\d_][\w\-]*\s*\(\s*(?P<spelled>\d{1,3})\s*\)\s*|\b(?P<digits>\d{1,3})\s*)"
    r"-?(?:full\s+|calendar\s+|consecutive\s+)?$"  # "five-year", "three (3)-year"
)
_NUMBER_REACH = 45
_ADJECTIVE_DAYS = re.compile(r"-\s*days?$", re.IGNORECASE)
_UNIT_OF = (("year", "jahr", "an"), ("month", "monat", "mois"), ("day", "tag", "jour"))
_ANNIVERSARY = re.compile("anniversary")
_ORDINAL_BEFORE = re.compile(
    r"\b(?:(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s*"
    r"(?:\(\s*\d{1,2}(?:st|nd|rd|th)\s*\)\s*)?|(?P<digits>\d{1,2})(?:st|nd|rd|th)\s+)(?:year\s+)?$"
)
_ORDINAL_REACH = 24  # "fifth (5th) year anniversary"
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_OWN_TERM = re.compile(
    r"\b(?:(?:this|the)\s+(?:letter\s+)?(?:agreement|nda)|term\s+of\s+this|(?:the\s+)?initial\s+term"
    r"|the\s+term)\b[^.;]{0,80}\b(?:terminat|expir|remain|continue|end|be\s+in\s+effect"
    r"|in\s+full\s+force|(?:be\s+)?effective|commenc|(?:be\s+)?for\s+(?:a|an|the)\s+(?:initial\s+)?(?:term|period)"
    r"|have\s+an?\s+(?:initial\s+)?term|run|mean)"
    r"|\bterm\s*[.:]\s|\b(?:laufzeit|durée)\s+(?:von|de|d')"
)
# "The term of this Agreement shall be five (5) years", "… shall have an initial five-year
# term": the verb right before the duration.
_TERM_SHALL_BE = re.compile(
    r"\b(?:term|this\s+agreement)\b[^.;]{0,40}?\b(?:(?:shall|will)\s+(?:be|have)|is|has)\s+"
    r"(?:for\s+)?(?:an?\s+(?:initial\s+)?(?:(?:period|term)\s+of\s+)?)?$"
)
_OBLIGATIONS_END = re.compile(
    r"\b(?:obligations?|confidential\w*|non-?disclosure|restrictions?)\b[^.;]{0,250}?"
    r"\b(?:terminat|expir|surviv|continue|remain|lapse|cease|period)"
)
_FROM_START = re.compile(r"^\s*(?:\(\s*\d+\s*\)\s*)?(?:from|after|following|of|commencing)\b")
_OTHER_PERIOD = re.compile(
    r"standstill|solicit|hire|employ|non-?compet|notice|cure|within|payment|invoice|pay\b|royalt"
    r"|payable|advance|renew|warrant|audit|insurance|records|books"
)
_SURVIVAL = re.compile(
    r"\bsurviv|\s*(?:\(\s*\d+\s*\)\s*)?(?:after|following|from\s+the\s+date\s+of)\s+(?:the\s+)?(?:any\s+)?"
    r"(?:termination|expiration)"
)
_EARLIER_OF = re.compile(r"\b(?:earlier|later|earliest|latest)\s+(?:to\s+occur\s+)?of\b")
_OTHER_AFTER = re.compile(
    r"\W*(?:\w+\s+){0,2}(?:(?:prior\s+)?written\s+)?notice|\W*(?:prior\s+to|in\s+advance|before)\b"
)
_VERB_TO_DURATION = 60
_KEEP_CONFIDENTIAL = re.compile(r"confidential|disclos")
_SENTENCE_BEFORE = 300
_SENTENCE_AFTER = 80
_MIN_SCORE = 2


@dataclass(frozen=True, slots=True)
class Duration:
    """A period as written and normalised ("two (2) years" -> "2 years"), where it is, and
    whether it is the agreement's own term (from which an expiration date follows)."""

    written: str
    normalized: str
    count: int
    unit: str
    offset: int
    own_term: bool
    confidence: float


def find_term(text: str, lowered: str) -> Duration | None:
    """`lowered` is `text` in lower case, offset for offset: the sentences are read there."""
    best: tuple[int, Duration] | None = None
    for written, count, unit, start, end in _durations(text, lowered):
        before = _sentence_before(lowered, start)
        after = lowered[end : end + _SENTENCE_AFTER].split(". ", maxsplit=1)[0]
        own = _is_own_term(before, after)
        if unit == "day" and (not own or _ADJECTIVE_DAYS.search(written)):
            continue  # "a seven-day revocation period" is a window, never the term
        score = 3 * own + 2 * bool(_OBLIGATIONS_END.search(before))
        score += bool(_FROM_START.match(after)) + bool(_KEEP_CONFIDENTIAL.search(after))
        if _OTHER_PERIOD.search(before[-120:]) or _OTHER_AFTER.match(after):
            score -= 4
        if score >= _MIN_SCORE and (best is None or score > best[0]):
            normalized = f"{count} {unit}{'s' if count != 1 else ''}"
            confidence = 0.7 if score >= 4 else 0.5
            best = (score, Duration(written, normalized, count, unit, start, own, confidence))
    return best[1] if best else None


def _is_own_term(before: str, after: str) -> bool:
    """The agreement's own term: "This Agreement shall continue for …", "… shall terminate on
    the earlier of (i) … and (ii) two years from the date hereof"; not a survival period."""
    last = None
    for last in _OWN_TERM.finditer(before):  # noqa: B007 - the last match is the one wanted
        pass
    if last is None:
        return _TERM_SHALL_BE.search(before) is not None and not _SURVIVAL.match(after)
    close = last.end() >= len(before) - _VERB_TO_DURATION
    if not close and not _EARLIER_OF.search(before, last.start()):
        return False
    return not (_SURVIVAL.search(before[-80:]) or _SURVIVAL.match(after))


def _durations(text: str, lowered: str) -> Iterator[tuple[str, int, str, int, int]]:
    """(as written, count, unit, start, end) of every period the text states."""
    french = (
        unit
        for unit in _FRENCH_YEAR.finditer(lowered)
        if lowered[unit.start() - 1] in "0123456789)"
    )
    for unit in (*_UNIT_WORD.finditer(lowered), *french):
        if unit.start() and lowered[unit.start() - 1].isalpha():  # "today", "holiday"
            continue
        reach = max(0, unit.start() - _NUMBER_REACH)
        number = _NUMBER_BEFORE.search(lowered, reach, unit.start())
        count = _count(number) if number is not None else None
        if number is not None and count:
            yield (
                text[number.start() : unit.end()],
                count,
                _unit(unit[0].strip()),
                number.start(),
                unit.end(),
            )
    for anniversary in _ANNIVERSARY.finditer(lowered):
        ordinal = _ORDINAL_BEFORE.search(
            lowered, max(0, anniversary.start() - _ORDINAL_REACH), anniversary.start()
        )
        if ordinal is not None:
            start = ordinal.start()
            yield (
                text[start : anniversary.end()],
                _ORDINALS[ordinal["ordinal"]] if ordinal["ordinal"] else int(ordinal["digits"]),
                "year",
                start,
                anniversary.end(),
            )


def _unit(written: str) -> str:
    lowered = written.lower()
    for unit, *spellings in _UNIT_OF:
        if lowered.startswith((unit, *spellings)):
            return unit
    return "day"


def _count(match: re.Match[str]) -> int | None:
    if match["both"] or match["spelled"]:
        return int(match["both"] or match["spelled"])
    if match["digits"]:
        return int(match["digits"])
    words = re.split(r"[\s-]+", match["word"].lower())
    total = 0
    for word in words:
        total += _TENS.get(word, _UNITS.get(word, 0))
    return total or None


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - _SENTENCE_BEFORE) : start]
    cut = max(window.rfind(". "), window.rfind("; "))
    return window[cut + 2 :] if cut >= 0 else window
