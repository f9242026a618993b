"""What a contract party's name looks like, and how to cut it from the words around it.

A name is a short run of capitalised words ("Acme Holdings, Inc.", "Jane Q.
Public"), perhaps with a few joining words ("Bank of America", "Sears,
Roebuck and Co."). What follows it is a descriptor (", a Delaware
corporation", " having its office at …", an address after "Inc.") and is cut.
A role alone ("the Company", "Employee", "you") is not a name.
"""

from __future__ import annotations

import re

# Spelled out or abbreviated in any case; the short all-capital ones ("AG", "SA") only so.
LEGAL_FORM = (
    r"(?:(?i:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Pte|Limited|LLC|L\.\s?L\.\s?C|LP"
    r"|L\.\s?P|LLP|L\.L\.P|PLC|P\.L\.C|N\.\s?A|GmbH|S\.\s?A|S\.p\.A|S\.r\.l|S\.\s?R\.\s?L|B\.\s?V"
    r"|N\.\s?V|Pty|K\.K|ULC|SARL|S\.à\s?r\.l|Sàrl|e\.\s?K|e\.\s?V|mbH)|AG|KG|OHG|GbR|UG|SE|SA|SAS"
    r"|SASU|EURL|SNC|BV|NV|AB|ASA|A/S)\b\.?"
)
_DESCRIPTOR = re.compile(
    r",?\s+(?:a|an)\s+(?=\S)"  # ", a Delaware corporation"
    r"|,?\s+(?i:having|whose|located\s+at|residing\s+at|organi[sz]ed|existing\s+under"
    r"|incorporated\s+(?:in|under)|with\s+(?:its|offices|an?\s+(?:office|place|principal|address))"
    r"|hereinafter|doing\s+business|d/b/a|dba|individually|personally|acting|on\s+behalf"
    r"|together\s+with|and\s+its\s|and\s+all\s+of\s+its|its\s|their\s|duly|being\s|formerly"
    r"|through\s+its|by\s+its|as\s+(?:agent|trustee|representative)|which\s|who\s)"
    r"|,\s+(?i:with|of|at|in|for|as|by)\s|\s+(?i:address|registered\s+office|domicile)\s*:"
    r"|,?\s+(?i:dont|domicilié|ayant\s+son|sis|représenté|mit\s+Sitz|wohnhaft|vertreten\s+durch"
    r"|eingetragen)\b"
    r"|,\s*(?:M\.\s?D|Ph\.\s?D|Esq|J\.\s?D|CPA)\b",  # a degree after a person's name
)
# A legal form written before the quoted name, as in Russian and Central Asian filings:
# 'Open Joint Stock Company "Vimpel-Communications"', 'LLC "Romashka"'.
_FORM_THEN_QUOTED_NAME = re.compile(
    r"(?i:(?:open|closed|public|private|non-public)\s+)?"
    r"(?i:joint[\s-]+stock\s+company|limited\s+liability\s+company|[OZP]?JSC|OAO|ZAO|OOO|TOO|LLC)"
    r"\s*[“\"«„][^”\"»“]{2,60}[”\"»“]"
)
# Legal forms end a name: what follows them is an address or a description.
_FORM_RUN = re.compile(rf"\b{LEGAL_FORM}(?:,?\s+(?:&\s+)?{LEGAL_FORM})*")
_FORM_ONLY = re.compile(LEGAL_FORM)
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'))


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_JOINING_WORDS = _word_set(
    "of and the de du des la le les der die das von van für et y for & on upon in at am zu und"
    " d' l' del della di e"
)
# Words that name a role or a thing, not a party: a name made only of these is none.
_ROLE_WORDS = _word_set(
    """
    the a an this that such each any all our your its their we us you i me my he she they
    company companies corporation party parties buyer buyers seller sellers purchaser
    employee employer executive consultant contractor recipient discloser disclosing receiving
    licensor licensee client customer supplier vendor distributor agent affiliate affiliates
    representative representatives agreement contract undersigned holder holders investor
    investors member members shareholder shareholders stockholder stockholders bank trust
    owner lessor lessee landlord tenant provider manufacturer reseller partner partners
    subsidiary subsidiaries sponsor sponsors counterparty individual officer director first
    second associate service services recipient
    directors board securities exchange commission section exhibit schedule annex appendix
    confidential information evaluation material materials transaction business
    """
)
# Words of a signature block that are not a party: titles, captions, closings.
_TITLE_WORDS = _word_set(
    """
    president vice ceo cfo coo cto evp svp vp chief officer director managing secretary
    treasurer manager general counsel chairman chair authorized authorised signatory title
    name date witness witnesses sincerely signature attest accepted agreed acknowledged yours
    truly very faithfully print printed position initials address street telephone source
    page advisor founder senior principal human resources finance legal operations sales
    development marketing technology chairperson assistant head duly
    """
)
# Words that make a sentence, never a name ("AND AGREE THAT THEY WILL NOT ASSERT").
_SENTENCE_WORDS = _word_set(
    """
    is are was were be been shall will would may must can not no that they them these those
    which who whom whether or otherwise hereby herein hereof hereto thereby therein thereof
    than if any such our your his her its their agree agrees agreed
    """
)
_REFERENCE = re.compile(r"\d[\-./]\d")  # "8.1", "NC1-023", "6/3/2019": a number, not a name
_WORD = re.compile(r"[^\W_][\w'’&.\-/]*|&")
_MAX_WORDS = 12


def name_end(piece: str) -> int:
    """Where the name at the start of `piece` ends and its descriptors begin."""
    form_first = _FORM_THEN_QUOTED_NAME.match(piece)
    if form_first is not None:
        return form_first.end()
    end = len(piece)
    described = _DESCRIPTOR.search(piece)
    if described is not None:
        end = described.start()
    for form in _FORM_RUN.finditer(piece, 0, end):
        if form.start() > 0:
            return form.end()
    return end


def cut_descriptor(piece: str) -> str:
    """The name at the start of `piece`, without what describes it."""
    return tidy_name(piece[: name_end(piece)])


def tidy_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;:\"“”'‘’*_-")
    name = name[:-1] if name.endswith((",", ";")) else name
    for opening, closing in _QUOTE_PAIRS:  # 'Company “Vimpel”' keeps the quote it closes
        if name.count(opening) > name.count(closing) or (
            opening == closing and name.count(opening) % 2
        ):
            return name + closing
    return name


def looks_like_name(name: str) -> bool:
    """Capitalised words, few joining words, not only a role ("the Company", "you")."""
    if not 2 <= len(name) <= 90 or sum(ch.isalpha() for ch in name) < 2 or ":" in name:
        return False
    if not (name[:1].isupper() or name[:1].isdigit()):
        return False
    words = _WORD.findall(name)
    if not words or len(words) > _MAX_WORDS or _REFERENCE.search(name):
        return False
    if sum(any(ch.isdigit() for ch in word) for word in words) > 1:
        return False
    lowered = [_bare(word) for word in words]
    for word, low in zip(words, lowered, strict=True):
        lowercase = word[:1].islower() and not _FORM_ONLY.fullmatch(word)
        if (lowercase and low not in _JOINING_WORDS) or low in _SENTENCE_WORDS:
            return False
    return any(low not in _ROLE_WORDS and low not in _JOINING_WORDS for low in lowered)


def signs_as_title(name: str) -> bool:
    """Whether a signature-block line is a title or caption ("Chief Executive Officer")."""
    lowered = [_bare(word) for word in _WORD.findall(name)]
    return all(
        low in _TITLE_WORDS or low in _ROLE_WORDS or low in _JOINING_WORDS for low in lowered
    )


def has_legal_form(name: str) -> bool:
    return any(form.start() > 0 for form in _FORM_RUN.finditer(name))


def _bare(word: str) -> str:
    return re.sub(r"[’']s$", "", word.casefold().rstrip(".,:"))


def same_party(first: str, second: str) -> bool:
    """Whether two spellings name one party: "ACME, Inc." and "Acme Inc", "Acme" and "Acme
    Inc."; a one-word short name ("Emerson") also matches the full name it starts."""
    a, b = _key_words(first), _key_words(second)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter == longer or (len(shorter) == 1 and shorter <= longer)


def part_of(name: str, other: str) -> bool:
    """Whether every distinctive word of `name` is in `other` ("Consulting Co., Ltd." in
    "Rise (Tianjin) Consulting Co., Ltd.")."""
    words = _key_words(name)
    return bool(words) and words <= _key_words(other)


def _key_words(name: str) -> frozenset[str]:
    words = (word.casefold().strip(".,") for word in _WORD.findall(name))
    return frozenset(w for w in words if w not in _JOINING_WORDS and not _FORM_ONLY.fullmatch(w))
