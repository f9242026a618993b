"""A contract's title: the first heading near the top that names a kind of agreement.

"MASTER SERVICES AGREEMENT", "Geheimhaltungsvereinbarung", "Contrat de
prestation de services". A heading is short, capitalised and not a sentence.
What a text layer glues to it is cut: a date or "between" after the title
words, a company name with its legal form before them ("ACME INC. RESELLER
AGREEMENT"), an exhibit number.
"""

from __future__ import annotations

import re

from doclane.core.extract.contract.names import LEGAL_FORM
from doclane.core.extract.shared.lines import Located

_TITLE_WORD = re.compile(
    r"\b(?i:agreement|contract|lease|licen[cs]e|memorandum|addendum|amendment|contrat|convention"
    r"|accord|protocole|undertaking)\b|(?i:vertrag|vereinbarung)\b"
)
# Words that carry a title on after its title word: "AGREEMENT AND PLAN OF MERGER".
_CONTINUES = re.compile(
    r"[\s\-–:]*(?i:of|for|and|on|to|regarding|relating|concerning|with|über|zur|de|du|des|d'|sur"
    r"|pour)\b"
)
_EXHIBIT = re.compile(r"^(?i:exhibit|ex-|annex|schedule)\s*[\w.()\-]*\s+")
_FORM_BEFORE = re.compile(rf"^.*?\b{LEGAL_FORM}[,\s]+(?=\S)")
_SENTENCE_START = re.compile(r"^(?i:whereas|this|the|now|in|if|each|all)\b")
_JOINING = frozenset(
    {"of", "and", "for", "the", "to", "on", "de", "du", "des", "la", "le", "über", "zur"}
)
_GENERIC = frozenset({"agreement", "contract", "vertrag", "contrat", "accord", "amendment"})
_MAX_LINES = 40
_MAX_LENGTH = 100


def find_title(lines: tuple[Located, ...]) -> tuple[str, Located, float] | None:
    """The title as cut from its line, the line, and a confidence."""
    generic: tuple[str, Located, float] | None = None
    for located in [located for located in lines if located.page <= 2][:_MAX_LINES]:
        title = _title_on(located.line.text.strip())
        if title is None:
            continue
        confidence = 0.8 if title.isupper() else 0.6
        if title.casefold() not in _GENERIC:
            return title, located, confidence
        generic = generic or (title, located, 0.4)
    return generic


def _title_on(text: str) -> str | None:
    words = _TITLE_WORD.search(text)
    if words is None or len(text) > _MAX_LENGTH or text.endswith((".", ",", ";")):
        return None
    if _SENTENCE_START.match(text) and not text.isupper():
        return None
    last = None
    for last in _TITLE_WORD.finditer(text):  # noqa: B007 - the last title word is the one wanted
        pass
    end = last.end() if last is not None else len(text)
    if _CONTINUES.match(text, end):
        end = len(text)
    title = _EXHIBIT.sub("", text[:end]).strip(" -–:*")
    company = _FORM_BEFORE.match(title)
    if company is not None and _TITLE_WORD.search(title, company.end()):
        title = title[company.end() :]
    return title if _looks_like_heading(title) else None


def _looks_like_heading(title: str) -> bool:
    """Capital letters, or capitalised words: not a line of running text."""
    if title.isupper():
        return True
    words = [
        word for word in re.findall(r"[^\W\d_][\w'’\-]*", title) if word.lower() not in _JOINING
    ]
    capitalised = sum(word[0].isupper() for word in words)
    return bool(words) and (capitalised >= 0.75 * len(words) or bool(_TITLE_WORD.match(title)))
