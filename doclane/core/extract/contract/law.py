"""The law a contract chooses: "governed by the laws of the State of New York".

A "laws of X" counts only beside a governing cue ("governed", "construed",
"shall govern"), never beside a company's formation ("organized under the
laws of Delaware"). Strong cues win over weak ones ("subject to the laws of
the United States" is usually about export rules). A nationality ("Italian
law", "deutsches Recht", "droit français") names the country. The place is
looked up in `contract.jurisdictions` first, so a clause read badly ("the
Siate of Texas") still gives the state, a function word ("at", "People" of
"People's Republic") is never the answer, and "New York law" is read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from doclane.core.extract.contract.jurisdictions import (
    JURISDICTION,
    JURISDICTIONS,
    US_STATES,
    alternation,
    find_jurisdiction,
)

_PLACE = r"[A-Z][A-Za-z\-]+(?:\s+(?:[A-Z][A-Za-z\-]+|and\s+[A-Z][a-z]+|AND\s+[A-Z]+)){0,2}"
_LAWS_OF = re.compile(
    r"(?<![\w-])(?i:laws?(?:\s*,?\s+(?:and|rules|regulations|public\s+policies|not\s+by|internal)"
    r"[^.;()]{0,60}?)?,?\s+(?:of|(?:in\s+(?:force|effect)\s+|applicable\s+)?in))\s+(?i:the\s+)?"
    r"(?:(?i:State|Commonwealth|Province|Republic|Federal\s+Republic|Kingdom|Canton)\s+(?i:of)\s+)?"
    rf"(?i:the\s+)?(?P<place>{_PLACE})"
)
_LAW_WORD = re.compile("law")  # a literal is searched fastest; _LAWS_OF checks the boundary
_STRONG_CUE = re.compile(r"govern|constru|interpret", re.IGNORECASE)
_WEAK_CUE = re.compile(
    r"enforc|choice\s+of\s+law|applicable\s+law|subject\s+to|in\s+accordance\s+with", re.IGNORECASE
)
_CUE_AFTER = re.compile(r"[^.;]{0,80}?\bshall\s+(?:govern|apply|control)", re.IGNORECASE)
_FORMATION_CUE = re.compile(
    r"\b(?:organi[sz]ed|incorporated|existing|formed|good\s+standing|qualified|registered"
    r"|securities|compliance|comply|applicable\s+laws\s+of|its\s+state|export)\b",
    re.IGNORECASE,
)
_NOT_A_PLACE = re.compile(
    r"\s+(?:Without|Applicable|Excluding|Except|Including|As|In|The|Shall|Exclusive|Regardless"
    r"|Notwithstanding|State|Law|Laws)\b.*$",
    re.IGNORECASE,
)
_NATIONAL_LAW = re.compile(
    r"\b(?P<adjective>English|Italian|German|French|Swiss|Dutch|Spanish|Irish|Japanese|Chinese"
    r"|Canadian|Israeli|Swedish|Danish|Norwegian|Austrian|Belgian|Luxembourg)\s+(?i:law)\b"
)
_COUNTRY_OF = {
    "English": "England", "Italian": "Italy", "German": "Germany", "French": "France",
    "Swiss": "Switzerland", "Dutch": "Netherlands", "Spanish": "Spain", "Irish": "Ireland",
    "Japanese": "Japan", "Chinese": "China", "Canadian": "Canada", "Israeli": "Israel",
    "Swedish": "Sweden", "Danish": "Denmark", "Norwegian": "Norway", "Austrian": "Austria",
    "Belgian": "Belgium", "Luxembourg": "Luxembourg",
}  # fmt: skip
# "governed by New York law", "Delaware law shall govern"
_PLACE_BEFORE_LAW = re.compile(rf"(?<![\w'’])(?P<place>{JURISDICTION})\s+$", re.IGNORECASE)
_LAW_AFTER_PLACE = re.compile(r" law\b")  # a literal start is searched fastest
_LONGEST = max(JURISDICTIONS, key=len)
# "the laws of the United States and the State of California": the state is the choice.
_FEDERAL = re.compile(r"United\s+States|U\.?S\.?A\.?", re.IGNORECASE)
_US_STATE_AFTER = re.compile(
    rf"(?:\s+of\s+America)?,?\s+and\s+(?:of\s+)?(?:the\s+)?(?:laws\s+of\s+)?(?:the\s+)?"
    rf"(?:(?i:State|Commonwealth)\s+of\s+)?(?P<state>{alternation(US_STATES)})\b",
    re.IGNORECASE,
)
_LOCAL_LAW = (
    # "unterliegt dem in der Schweiz geltenden Recht", "dem Recht der Bundesrepublik Deutschland"
    re.compile(
        r"\b(?:unterliegt|unterliegen|gilt)\s+(?:dem|das|den)\s+(?:in\s+(?:der\s+|den\s+)?)?"
        r"(?P<place>[A-ZÄÖÜ][\wäöüß]+)\s+geltende[mn]?\s+Recht"
        r"|\bRecht\s+der\s+(?:Bundesrepublik\s+|Republik\s+)?(?P<country>[A-ZÄÖÜ][\wäöüß]+)"
    ),
    # "régi par les lois en vigueur en France", "soumis au droit de la Belgique"
    re.compile(
        r"\b(?:régie?s?|soumise?s?|gouverné)\s+(?:par|au|à)\s+(?:le\s+|la\s+|les\s+)?(?:droit|lois?|législation)"
        r"\s+(?:en\s+vigueur\s+)?(?:en|au|aux|de\s+la|du|de\s+l'|de)\s*(?P<place>[A-ZÉ][\wéèêàçû\-]+)"
    ),
)
# "es gilt deutsches Recht", "unterliegt schweizerischem Recht", "soumis au droit français",
# "régi par la loi belge": the adjective names the country, written in the contract's language.
_GERMAN_COUNTRY = {
    "deutsch": "Deutschland", "österreichisch": "Österreich", "schweizerisch": "Schweiz",
    "schweizer": "Schweiz", "englisch": "England", "französisch": "Frankreich",
    "italienisch": "Italien", "niederländisch": "Niederlande", "luxemburgisch": "Luxemburg",
    "spanisch": "Spanien",
}  # fmt: skip
_FRENCH_COUNTRY = {
    "français": "France", "française": "France", "belge": "Belgique", "suisse": "Suisse",
    "luxembourgeois": "Luxembourg", "luxembourgeoise": "Luxembourg", "allemand": "Allemagne",
    "allemande": "Allemagne", "anglais": "Angleterre", "anglaise": "Angleterre",
    "italien": "Italie", "italienne": "Italie", "espagnol": "Espagne", "espagnole": "Espagne",
    "néerlandais": "Pays-Bas", "néerlandaise": "Pays-Bas",
}  # fmt: skip
_ADJECTIVE_LAW = re.compile(
    rf"\b(?P<german>{alternation(tuple(_GERMAN_COUNTRY))})(?:e[mnrs]?)?\s+recht\b"
    rf"|\b(?:droit|loi|lois|législation)\s+(?P<french>{alternation(tuple(_FRENCH_COUNTRY))})\b",
    re.IGNORECASE,
)
# "eine nach deutschem Recht gegründete GmbH", "société de droit français": a formation.
_FORMED_UNDER = re.compile(r"\b(?:gegründet|errichtet|eingetragen|organisiert)", re.IGNORECASE)
_FRENCH_FORMATION = re.compile(r"\bde\s+$", re.IGNORECASE)
# Words the place pattern can catch in a badly read clause; none of them is a place.
_NOT_PLACES = frozenset(
    (
        *("company", "parties", "party", "agreement", "such", "any", "said", "this", "that"),
        *("these", "those", "the", "a", "an", "at", "in", "on", "of", "by", "to", "for", "from"),
        *("with", "as", "its", "their", "his", "her", "which", "each", "all", "force", "effect"),
        "people",
    )
)
_JURISDICTION_REACH = 24  # "Siate of Texas": a known place this far into the capture wins
_LOOK_BEHIND = 160


@dataclass(frozen=True, slots=True)
class ChosenLaw:
    """The place as written, where it is, and how sure the reading is."""

    place: str
    offset: int
    confidence: float


def find_governing_law(text: str, lowered: str) -> ChosenLaw | None:
    """`lowered` is `text` in lower case, offset for offset (searched for "law", which is fast)."""
    weak: ChosenLaw | None = None
    for law in _LAW_WORD.finditer(lowered):
        match = _LAWS_OF.match(text, law.start())
        if match is None:
            continue
        strength = _cue_strength(text, match.start(), match.end())
        place = _place(text, match)
        if not strength or not place:
            continue
        if strength == 2:
            return ChosenLaw(place, match.start(), 0.8)
        weak = weak or ChosenLaw(place, match.start(), 0.55)
    return weak or _national_law(text, lowered)


def _place(text: str, match: re.Match[str]) -> str:
    """A known jurisdiction at the capture's start ("People's Republic of China", "Texas" in
    "Siate of Texas"), else the capture itself unless it is a function word."""
    start = match.start("place")
    known = find_jurisdiction(text, start, start + _JURISDICTION_REACH + len(_LONGEST))
    if known is not None and known.start() - start <= _JURISDICTION_REACH:
        state = _US_STATE_AFTER.match(text, known.end()) if _FEDERAL.fullmatch(known[0]) else None
        return " ".join((state["state"] if state else known.group(0)).split())
    place = _NOT_A_PLACE.sub("", match["place"]).strip()
    return "" if place.split(" ", 1)[0].casefold() in _NOT_PLACES else place


def _cue_strength(text: str, start: int, end: int) -> int:
    """2 for a governing cue, 1 for a weak one, 0 for none or a place of formation."""
    sentence = re.split(r"[.;]\s", text[max(0, start - _LOOK_BEHIND) : start])[-1]
    if _FORMATION_CUE.search(sentence[-60:]):
        return 0
    if _STRONG_CUE.search(sentence) or _CUE_AFTER.match(text, end):
        return 2
    return 1 if _WEAK_CUE.search(sentence) else 0


def _national_law(text: str, lowered: str) -> ChosenLaw | None:
    for match in _NATIONAL_LAW.finditer(text):
        if _cue_strength(text, match.start(), match.end()):
            return ChosenLaw(_COUNTRY_OF[match["adjective"]], match.start(), 0.6)
    for law in _LAW_AFTER_PLACE.finditer(lowered):
        before = _PLACE_BEFORE_LAW.search(
            text, max(0, law.start() - len(_LONGEST)), law.start() + 1
        )
        if before is not None and _cue_strength(text, before.start(), law.end()):
            return ChosenLaw(" ".join(before["place"].split()), before.start(), 0.6)
    for pattern in _LOCAL_LAW:
        found = pattern.search(text)
        if found is not None:
            return ChosenLaw(found["place"] or found["country"], found.start(), 0.65)
    return _adjective_law(text)


def _adjective_law(text: str) -> ChosenLaw | None:
    for found in _ADJECTIVE_LAW.finditer(text):
        after = text[found.end() : found.end() + 30]
        before = text[max(0, found.start() - 4) : found.start()]
        if _FORMED_UNDER.search(after) or (found["french"] and _FRENCH_FORMATION.search(before)):
            continue
        country = (
            _GERMAN_COUNTRY[found["german"].lower()]
            if found["german"]
            else _FRENCH_COUNTRY[found["french"].lower()]
        )
        return ChosenLaw(country, found.start(), 0.6)
    return None
