"""The law a contract chooses: "governed by the laws of the State of New York".

A "laws of X" counts only beside a governing cue ("governed", "construed",
"shall govern"), never beside a company's formation ("organized under the
laws of Delaware"). Strong cues win over weak ones ("subject to the laws of
the United States" is usually about export rules). A nationality ("Italian
law", "deutsches Recht", "droit français") names the country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACE = r"[A-Z][A-Za-z\-]+(?:\s+(?:[A-Z][A-Za-z\-]+|and\s+[A-Z][a-z]+|AND\s+[A-Z]+)){0,2}"
_LAWS_OF = re.compile(
    r"(?<![\w-])(?i:laws?(?:\s*,?\s+(?:and|rules|regulations|public\s+policies|not\s+by|internal)"
    r"[^.;()]{0,60}?)?,?\s+of)\s+(?i:the\s+)?"
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
    re.compile(
        r"(?P<place>deutsche[mn]?|französische[mn]?|schweizer(?:ische[mn]?)?|österreichische[mn]?)\s+recht"
        r"|droit\s+(?P<country>français|belge|suisse|luxembourgeois|allemand)",
        re.IGNORECASE,
    ),
)
_NOT_PLACES = frozenset(("company", "parties", "party", "agreement", "such", "any", "said", "this"))
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
        place = _NOT_A_PLACE.sub("", match["place"]).strip()
        if not strength or not place or place.casefold() in _NOT_PLACES:
            continue
        if strength == 2:
            return ChosenLaw(place, match.start(), 0.8)
        weak = weak or ChosenLaw(place, match.start(), 0.55)
    return weak or _national_law(text)


def _cue_strength(text: str, start: int, end: int) -> int:
    """2 for a governing cue, 1 for a weak one, 0 for none or a place of formation."""
    sentence = re.split(r"[.;]\s", text[max(0, start - _LOOK_BEHIND) : start])[-1]
    if _FORMATION_CUE.search(sentence[-60:]):
        return 0
    if _STRONG_CUE.search(sentence) or _CUE_AFTER.match(text, end):
        return 2
    return 1 if _WEAK_CUE.search(sentence) else 0


def _national_law(text: str) -> ChosenLaw | None:
    for match in _NATIONAL_LAW.finditer(text):
        sentence = re.split(r"[.;]\s", text[max(0, match.start() - _LOOK_BEHIND) : match.start()])[
            -1
        ]
        if _STRONG_CUE.search(sentence) or _WEAK_CUE.search(sentence):
            return ChosenLaw(_COUNTRY_OF[match["adjective"]], match.start(), 0.6)
    for pattern in _LOCAL_LAW:
        found = pattern.search(text)
        if found is not None:
            return ChosenLaw(found["place"] or found["country"], found.start(), 0.65)
    return None
