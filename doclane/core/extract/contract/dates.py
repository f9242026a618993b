"""When a contract was made and when it takes effect.

The agreement date is the one its opening gives ("made as of June 1, 2020",
"this 5th day of May, 2006"); failing that, a letter's date line, or the date
the parties sign ("IN WITNESS WHEREOF … as of July 6, 2020", "Date: 8/11/08").
The effective date is, by strength of evidence: a date defined as the
"Effective Date"; one introduced by "effective as of", "commencing on"; the
agreement date itself, from which a contract runs unless it says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from doclane.core.extract.contract.text import ContractText

# Cue patterns are lower case: they are searched in `ContractText.lowered`, which is fast.
_OPENING_CUE = re.compile(
    r"\b(?:made|entered\s+into|executed|dated|concluded|signed|effective|as\s+of"
    r"|(?:ab)?geschlossen\s+am|unterzeichnet\s+am|fait(?:\s+à\s+[\w\-]+,?)?\s+le|conclu\s+le|signé\s+le)\b"
    r"(?:\s+and\s+(?:entered\s+into|effective|made))?[\s,]*(?:as\s+of|on|this|effective(?:\s+as\s+of)?)?"
)
_RECITALS = re.compile(r"\b(?:WHEREAS|RECITALS|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H)\b")
_DATE_LABEL = re.compile(r"\b(?:Effective\s+Date|Date)\s*:\s*", re.IGNORECASE)
_WITNESS = re.compile(r"\bin\s+witness\s+whereof\b[^.]{0,250}")
_SIGNED_DATE = re.compile(r"(?:dated?|signed\s+on|executed\s+on)\s*:*\s*")
_DEFINED_EFFECTIVE = re.compile(
    r"\(\s*(?:the\s+|this\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?[\"“”]\s*"
    r"(?:effective|commencement)\s+date"
)
_EFFECTIVE_MEANS = re.compile(
    r"(?:effective|commencement|start)\s+date\s*[\"“”]?\s*(?:of\s+this\s+agreement\s+)?"
    r"(?::|means|shall\s+mean|is|shall\s+be)\s*(?:the\s+date\s+of\s+)?"
)
_CONTRACT_START = re.compile(r"contract\s+start\s*:\s*")
_LAST_SIGNATURE = re.compile(r"[^.]{0,40}?\b(?:last|later)\b[^.]{0,40}?\b(?:execut|sign)")
_COMMENCING = re.compile(r"commenc\w*\s+(?:on|as\s+of)\s*")
_TERM_OR_AGREEMENT = re.compile(r"\b(?:term|agreement)\b[^.;]{0,80}$")
# One pattern per leading word: a literal start is searched much faster than an alternation.
_EFFECTIVE_CUES = tuple(
    re.compile(pattern)
    for pattern in (
        r"effective\s+(?:as\s+of|on|from|upon)?\s*",
        r"with\s+effect\s+from\s*",
        r"tritt\s+am\s*",
        r"in\s+kraft\s+(?:am|ab)?\s*",
        r"mit\s+wirkung\s+(?:zum|vom)\s*",
        r"gültig\s+ab\s*",
        r"en\s+vigueur\s+(?:le|à\s+compter\s+du)\s*",
        r"prend\s+effet\s+le\s*",
        r"à\s+compter\s+du\s*",
    )
)
_DATE_BELOW = re.compile(
    r"as\s+of\s+the\s+date\s+(?:set\s+forth|written|indicated|appearing)\s+below\b"
)
_OTHER_AGREEMENT = re.compile(
    r"\b(?<!this\s)(?:the|that\s+certain|an?|said|such|prior|previous)\s+(?:[\w\-]+\s+){0,5}agreement,?\s*$"
)
_FROM_LETTER_OR_SIGNATURE = 0.5
_PREAMBLE_CHARS = 6000
_DEFINITIONS_CHARS = 40_000
_SIGNATURE_SHARE = 0.6  # signature dates are looked for in the last 40 % of the text
_NEAR = 45
_SIGNATURE_LINES = 60
_PLACE_AND_DATE = re.compile(
    r"^(?:[A-Z][\w/.\- ]{1,30},\s*)?(?:the\s+)?(?:\d{1,2}\w{0,2}\s+)?[A-Z][a-z]+\.?\s+\d"
)


@dataclass(frozen=True, slots=True)
class DatedClause:
    """A date, the words that give it, where they are, and how sure the reading is."""

    value: date
    written: str
    offset: int
    confidence: float


def find_agreement_date(text: ContractText) -> DatedClause | None:
    """The date the contract was made."""
    recitals = _RECITALS.search(text.text, 200, _PREAMBLE_CHARS)
    opening = text.lowered[: recitals.start() if recitals else _PREAMBLE_CHARS]
    for cue in _OPENING_CUE.finditer(opening):
        if cue[0].startswith("dated") and _OTHER_AGREEMENT.search(opening, 0, cue.start()):
            continue  # "the Offer Letter Agreement dated …": another agreement's date
        found = _date_near(text, cue.end(), 0.7, cue.start())
        if found is not None:
            return found
    return _letter_date(text) or _signing_date(text)


def find_effective_date(text: ContractText, agreement: DatedClause | None) -> DatedClause | None:
    """The date the contract takes effect; the agreement date when it names none."""
    head = text.lowered[:_DEFINITIONS_CHARS]
    for finder in (_defined_effective, _effective_means, _effective_cue, _commencing, _date_below):
        found = finder(text, head)
        if found is not None:
            return found
    if agreement is None:
        return None
    if agreement.confidence <= _FROM_LETTER_OR_SIGNATURE:
        # A letter binds when it is countersigned: a later signature date is when it takes effect.
        latest = _last_signing_date(text, agreement.offset)
        if latest is not None and latest.value > agreement.value:
            return DatedClause(latest.value, latest.written, latest.offset, 0.45)
    return DatedClause(agreement.value, agreement.written, agreement.offset, 0.55)


def _defined_effective(text: ContractText, head: str) -> DatedClause | None:
    """June 1, 2020 (the "Effective Date")."""
    for defined in _DEFINED_EFFECTIVE.finditer(head):
        before = text.dates_in(max(0, defined.start() - _NEAR), defined.start())
        if before:
            value, offset = before[-1]
            return DatedClause(value, text.text[offset : defined.end()].strip(), offset, 0.9)
    return None


def _effective_means(text: ContractText, head: str) -> DatedClause | None:
    """ "Effective Date" means June 1, 2020; Effective Date: 6/1/20; … means the date of the
    last signature (then the latest date beside a signature)."""
    cues = [*_EFFECTIVE_MEANS.finditer(head), *_CONTRACT_START.finditer(head)]
    for means in sorted(cues, key=lambda cue: cue.start()):
        found = _date_near(text, means.end(), 0.85, means.start(), span=30)
        if found is None and _LAST_SIGNATURE.match(head, means.end()):
            found = _last_signing_date(text, means.start())
        if found is not None:
            return found
    return None


def _effective_cue(text: ContractText, head: str) -> DatedClause | None:
    """effective as of June 1, 2020; with effect from; mit Wirkung zum; en vigueur le."""
    window = head[: _PREAMBLE_CHARS * 4]
    cues = sorted(
        (cue for pattern in _EFFECTIVE_CUES for cue in pattern.finditer(window)), key=_start
    )
    for cue in cues:
        found = _date_near(text, cue.end(), 0.7, cue.start(), span=30)
        if found is not None:
            return found
    return None


def _commencing(text: ContractText, head: str) -> DatedClause | None:
    """The term of this Agreement shall commence on June 1, 2020 (not another period's start)."""
    for cue in _COMMENCING.finditer(head[: _PREAMBLE_CHARS * 4]):
        if _TERM_OR_AGREEMENT.search(head, max(0, cue.start() - 100), cue.start()):
            found = _date_near(text, cue.end(), 0.65, cue.start(), span=30)
            if found is not None:
                return found
    return None


def _date_below(text: ContractText, head: str) -> DatedClause | None:
    """… effective as of the date set forth below. Date: April 7, 2020."""
    below = _DATE_BELOW.search(text.lowered)
    if below is None:
        return None
    return _date_near(text, below.end(), 0.6, below.start(), span=150)


def _date_near(
    text: ContractText, start: int, confidence: float, cue: int, span: int = _NEAR
) -> DatedClause | None:
    found = text.dates_in(start, start + span)
    if not found:
        return None
    value, offset = found[0]
    return DatedClause(value, text.text[cue : offset + 20].strip(), cue, confidence)


def _letter_date(text: ContractText) -> DatedClause | None:
    """A letter agreement's date line, or a "Date:" label, near the top."""
    for located in text.lines[:15]:
        line = located.line.text.strip()
        label = _DATE_LABEL.match(line)
        if len(line) <= 40 or label is not None:
            offset = text.starts[located.index] if located.index < len(text.starts) else 0
            found = text.dates_in(offset, offset + min(len(line), 60))
            if found and (label is not None or _mostly_date(line)):
                return DatedClause(found[0][0], line, found[0][1], 0.5)
    return None


def _mostly_date(line: str) -> bool:
    """A date line has little else on it: "February 28, 2011", "New York, 1 March 2020"."""
    return sum(ch.isalpha() for ch in line) <= 25


def _start(match: re.Match[str]) -> int:
    return match.start()


def _starts_word(lowered: str, start: int) -> bool:
    """The cue patterns start without a word boundary (for speed); "update" is not "date"."""
    return start == 0 or not lowered[start - 1].isalpha()


def _last_signing_date(text: ContractText, cue: int) -> DatedClause | None:
    """The latest date beside a signature, for an effective date defined as the last signing."""
    tail_start = int(len(text.text) * _SIGNATURE_SHARE)
    dates = [
        found[0][0]
        for signed in _SIGNED_DATE.finditer(text.lowered, tail_start)
        if _starts_word(text.lowered, signed.start())
        and (found := text.dates_in(signed.end(), signed.end() + 25))
    ]
    if not dates:
        return None
    latest = max(dates)
    return DatedClause(latest, text.text[cue : cue + 80].strip(), cue, 0.6)


def _signing_date(text: ContractText) -> DatedClause | None:
    """The date given where the parties sign."""
    tail_start = int(len(text.text) * _SIGNATURE_SHARE)
    for witness in _WITNESS.finditer(text.lowered, tail_start):
        found = _date_near(text, witness.start(), 0.5, witness.start(), span=len(witness[0]) + 5)
        if found is not None:
            return found
    for signed in _SIGNED_DATE.finditer(text.lowered, tail_start):
        if not _starts_word(text.lowered, signed.start()):
            continue
        found = _date_near(text, signed.end(), 0.4, signed.start(), span=25)
        if found is not None:
            return found
    for located in text.lines[-_SIGNATURE_LINES:]:  # "Rome, 2 April 2020" above the signatures
        line = located.line.text.strip()
        if _PLACE_AND_DATE.match(line) and _mostly_date(line) and located.index < len(text.starts):
            offset = text.starts[located.index]
            found = text.dates_in(offset, offset + len(line))
            if found:
                return DatedClause(found[0][0], line, found[0][1], 0.35)
    return None
