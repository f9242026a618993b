"""The parties a contract's opening sentence names.

"This Agreement is made … by and between ACME, INC., a Delaware corporation
("Acme"), and Beta LLC ("Beta")": after an introducing word ("between",
"among", "PARTIES:", "zwischen", "entre") the clause runs to the end of the
sentence. Each party is a name followed by descriptors and, usually, a
defined term in parentheses; without defined terms the names are split on
"and". Names are checked by `contract_names.looks_like_name`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from doclane.core.extract.contract.jurisdictions import JURISDICTIONS
from doclane.core.extract.contract.names import (
    LEGAL_FORM,
    cut_descriptor,
    has_legal_form,
    looks_like_name,
    name_end,
    same_party,
    tidy_name,
)

_INTRO = re.compile(
    r"\b(?:(?:by\s+and\s+)?(?:between|among)\s*:?|zwischen|entre|parties\s*:"
    r"|(?:made|entered\s+into|executed|signed)\s+by(?!\s+and\b))\s+"
    r"|\b(?-i:(?:my|your|his|her)\s+employment\s+(?:with|by))\s+",
    re.IGNORECASE,
)
# Where the list of parties stops, when the sentence has not ended yet.
_CLAUSE_END = re.compile(
    r"\b(?:WHEREAS|RECITALS?|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|NOW,?\s+THEREFORE|BACKGROUND"
    r"|PREAMBLE)\b|\bDATED?\s*:"
    r"|\s(?:relating\s+to|in\s+connection\s+with|with\s+respect\s+to|concerning|regarding"
    r"|pursuant\s+to|for\s+the\s+purposes?\s+of|whereby|under\s+which|to\s+set\s+forth"
    r"|in\s+order\s+to|is\s+(?:made|entered)|agree|hereby|dated|effective\s+(?:as\s+of|on)"
    r"|as\s+of\s|on\s+the\s+date|witness|sets?\s+(?:out|forth)|shall|will|may)\b",
)
_ABBREVIATION = re.compile(
    rf"(?:{LEGAL_FORM}|\b(?i:No|St|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|Ave|Blvd|Ste|Rd|Nos|U\.S|Corp|Ul)\.?"
    r"|\b[A-Z]\.|\b(?:[A-Za-z]\.){2,})$"
)
_SENTENCE_START = re.compile(r"\s+(?:The|This|Each|In|Whereas|Now|Both|It|All|Such)\b")
_SPLIT_AND = re.compile(r"\s*[,;]?\s*\b(?:and|und|et)\b\s*|\s*;\s*", re.IGNORECASE)
_LEADING_AND = re.compile(r"^[\s,;:]*(?:and|und|et|&)\s+", re.IGNORECASE)
_AND_NEXT = re.compile(r"(?:^|\s)(?:and|und|et),?\s+(?=[A-Z0-9“\"ÄÖÜÉ])")
_COMMA_AND_NEXT = re.compile(r"[,;]\s*(?:and|und|et)\s+(?=[A-Z0-9“\"ÄÖÜÉ])")
# "Alpha Inc., a Delaware corporation, Beta LLC, a Texas limited liability company, and …":
# a comma, then a name with a legal form and its own descriptor, starts the next party.
_COMMA_NEXT_NAME = re.compile(
    rf",\s+(?=[A-Z0-9][^,;()]{{0,60}}?(?:,\s*)?{LEGAL_FORM},?\s+(?i:a|an)\s)"
)
# "ci-après dénommé(e) « le Client »", "nachfolgend „Lieferant“ genannt": a defined term
# without parentheses, rewritten as one so the clause is cut there like an English one.
_BARE_DEFINED_TERM = re.compile(
    r",?\s*\b(?:ci-après|ci-dessous|nachfolgend|im\s+Folgenden)\s+(?:\w+(?:\(e\))?\s+){0,2}"
    r"[«„“\"][^»“”\"]{1,60}[»“”\"](?:\s+genannt)?",
    re.IGNORECASE,
)
_FORM_ALONE = re.compile(rf"^{LEGAL_FORM}$", re.IGNORECASE)
_DEFINED_TERM = re.compile(r"\(\s*(?:the\s+|hereinafter\s+)?[\"“]\s*[A-Z]")
_TRAILING_DESCRIPTOR = re.compile(r",?\s+(?:a|an)\s+[^,()]{3,60}$|[,\s]+$")
# Capitalised words (with joining words, commas and legal forms) running up to the text's end.
_NAME_AT_END = re.compile(
    rf"(?:[A-Z0-9][\w'’&.\-]*(?:,?\s+(?:(?:of|and|&|the|de|für)\s+)?(?:[A-Z0-9][\w'’&.\-]*|{LEGAL_FORM}))*)$"
)
_ROLE_OF = re.compile(
    r"^(?:(?:the\s+)?Board\s+of\s+Directors|Members?|Shareholders?)\s+of\s+", re.I
)
_RELATIVE = re.compile(r"\b(?:each\s+of\s+whom|who|whom|which|whose)\b")
_DEFINED_COMPANY_CHARS = 2500
_TERM_MARK = re.compile(
    r"[\"“”‘’'«»„]|\b(?:hereinafter|referred|collectively|together|each|herein|nachfolgend|ci-après)\b",
    re.IGNORECASE,
)
_NAME_PARENTHESIS = 30
_PARTY_LABEL = re.compile(r"\b(?:Party\s+[A-Z1-9]|(?:First|Second|Third)\s+Party)\s*:\s*", re.I)
_PLACE_WITH_AND = re.compile(
    "|".join(re.escape(place) for place in JURISDICTIONS if " and " in place), re.IGNORECASE
)
_AND_IN_PLACE = re.compile(r"\s+and\s+", re.IGNORECASE)
_KEPT_AND = "\x00"
_MAX_CLAUSE = 1500
_FULL_NAME_TRIES = 40
_SHORT_NAME_WORDS = 1  # "Emerson", "Sears": a one-word name is a short form
_EXTRA_WORDS = 2  # "Emerson" -> "Emerson Electric Co.", not a person's name run into a firm's
_MAX_PARTIES = 8


@dataclass(frozen=True, slots=True)
class _Segment:
    """Text of the clause up to a parenthesis, and whether that parenthesis defines a term."""

    text: str
    defines_term: bool


def find_parties(text: str) -> list[str]:
    """Party names of the first opening clause in `text` (the document's start) that has any.

    The first clause naming two or more parties wins; else the first naming one.
    """
    single: list[str] = []
    for intro in _INTRO.finditer(text):
        names = _names_in(_clause(text, intro.end()))
        if len(names) >= 2:
            return names
        if names and not single:
            single = names
    return single


def find_defined_company(text: str) -> list[str]:
    """A one-sided undertaking names its company by a defined term, not after "between":
    "As an employee of Acme, Inc., a Delaware corporation (the "Company"), I agree …"."""
    for term in _DEFINED_TERM.finditer(text[:_DEFINED_COMPANY_CHARS]):
        before = _TRAILING_DESCRIPTOR.sub("", text[max(0, term.start() - 200) : term.start()])
        name = _NAME_AT_END.search(before)
        if name is not None and has_legal_form(name.group(0)):
            found = tidy_name(_ROLE_OF.sub("", name.group(0)))
            if looks_like_name(found):
                return [found]
    return []


def full_legal_name(name: str, text: str) -> str:
    """The full name a short one stands for when the text writes it out with a legal form:
    a letterhead's "Emerson" is the "Emerson Electric Co." of the release it attaches."""
    if has_legal_form(name) or len(name.split()) > _SHORT_NAME_WORDS:
        return name
    pattern = _full_name_pattern(name)
    start = text.find(name)
    for _ in range(_FULL_NAME_TRIES):  # a name written a thousand times is not looked up a
        if start < 0:  # thousand times: the full name comes early if at all
            break
        found = pattern.match(text, start)
        if found is not None and looks_like_name(candidate := tidy_name(found.group(0))):
            return candidate
        start = text.find(name, start + 1)
    return name


def _full_name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w&])(?-i:{re.escape(name)})(?:,?\s+(?:[A-Z][\w'’&.\-]*|&|of)){{0,{_EXTRA_WORDS}}}?"
        rf"(?:,?\s+and(?=\s+{LEGAL_FORM}))?,?\s+{LEGAL_FORM}"
    )


def _clause(text: str, start: int) -> str:
    """From `start` to the end of the sentence, outside parentheses, or to a stop word."""
    window = text[start : start + _MAX_CLAUSE]
    if len(window) == _MAX_CLAUSE:  # cut off mid-sentence: drop the word cut in two
        window = window[: window.rfind(" ")]
    depth = 0
    for index, char in enumerate(window):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "." and depth == 0 and _ends_sentence(window, index):
            window = window[:index]
            break
    end = _CLAUSE_END.search(window)
    return window[: end.start()] if end else window


def _ends_sentence(window: str, index: int) -> bool:
    """A full stop followed by a new sentence, not the one in "Inc." or "J. Smith"."""
    following = window[index + 1 : index + 3]
    if len(following) < 2 or not following[0].isspace():
        return False
    if not (following[1].isupper() or following[1].isdigit() or following[1] in '“"'):
        return False
    before = window[max(0, index - 12) : index + 1]
    if _ABBREVIATION.search(before) is None:
        return True
    return _SENTENCE_START.match(window, index + 1) is not None


def _names_in(clause: str) -> list[str]:
    segments = list(_segments(_BARE_DEFINED_TERM.sub(' ("defined")', clause)))
    if any(segment.defines_term for segment in segments):
        found = [name for segment in segments for name in _names_of_segment(segment.text)]
    else:
        found = _names_split_on_and(" ".join(segment.text for segment in segments))
    names: list[str] = []
    for name in found:
        if looks_like_name(name) and not any(same_party(name, other) for other in names):
            names.append(name)
    return names[:_MAX_PARTIES]


def _segments(clause: str) -> Iterator[_Segment]:
    """The clause cut at its top-level parentheses; a short one that defines nothing stays in
    the text, as part of a name ("Rise (Tianjin) Education Co., Ltd.")."""
    depth, start, opened = 0, 0, 0
    for index, char in enumerate(clause):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            inside = clause[opened + 1 : index]
            if depth == 0 and (_defines_term(inside) or len(inside) > _NAME_PARENTHESIS):
                yield _Segment(clause[start:opened], _defines_term(inside))
                start = index + 1
    yield _Segment(clause[start:] if depth == 0 else clause[start:opened], False)


def _defines_term(inside: str) -> bool:
    return _TERM_MARK.search(inside) is not None


def _names_of_segment(text: str) -> list[str]:
    """The names in the text before one defined term: usually one, sometimes "X, a …, and Y"."""
    text = _LEADING_AND.sub("", text.strip(" ,;:"))
    labels = list(_PARTY_LABEL.finditer(text))
    if labels:  # "Party A: Acme Ltd.", or the last party's address, then "Party B: Beta Ltd."
        text = text[labels[-1].end() :]
    if text[:1].islower():  # the previous party's descriptors run on to "…, and Beta"
        relative = _RELATIVE.search(text)
        joined = _AND_NEXT.search(text, 0, relative.start() if relative else len(text))
        if joined is None:
            return []
        text = text[joined.end() :]
    names = []
    while text:
        end = name_end(text)
        names.append(tidy_name(text[:end]))
        joined = _next_party(text, end)
        if joined is None or len(names) >= _MAX_PARTIES:
            break
        text = text[joined.end() :]
    return names


def _next_party(text: str, end: int) -> re.Match[str] | None:
    """Where the party after the one ending at `end` starts: after ", and", or after a comma
    that closes the descriptors ("…, a Delaware corporation, Beta LLC, a …")."""
    found = [
        match
        for match in (_COMMA_AND_NEXT.search(text, end), _COMMA_NEXT_NAME.search(text, end))
        if match is not None
    ]
    return min(found, key=_match_start) if found else None


def _match_start(match: re.Match[str]) -> int:
    return match.start()


def _keep_and_in_places(clause: str) -> str:
    """The clause with the "and" inside a jurisdiction's name masked, so it is not split."""
    return _PLACE_WITH_AND.sub(lambda place: _AND_IN_PLACE.sub(_KEPT_AND, place.group(0)), clause)


def _names_split_on_and(clause: str) -> list[str]:
    """Names listed without defined terms: "between Acme Inc. and Beta LLC"; the "and" of a
    place in a descriptor ("organised under the laws of England and Wales") splits nothing."""
    pieces = [
        listed.replace(_KEPT_AND, " and ")
        for piece in _SPLIT_AND.split(_keep_and_in_places(clause))
        if piece and piece.strip()
        for listed in _COMMA_NEXT_NAME.split(piece)
    ]
    merged: list[str] = []
    for piece in pieces:  # "Sears, Roebuck and Co.": a legal form alone belongs to the name before
        if merged and _FORM_ALONE.match(cut_descriptor(piece).strip(" ,.")):
            merged[-1] = f"{merged[-1]} and {piece}"
        else:
            merged.append(piece)
    return [tidy_name(cut_descriptor(piece)) for piece in merged]
