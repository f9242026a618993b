"""How a vendor name is assembled from the header line chosen for it, and cleaned.

OCR often breaks a name over two or three lines. A legal-form line takes the
lines above it while the name is visibly incomplete without them: the line
above ends in "&" or "(", the legal-form line starts with "(" or closes a
parenthesis, or it holds only words that name no one ("CO. (M) SDN BHD",
"STATIONERY SDN BHD"). Another name line takes the lines below it when it
breaks off ("HARDWARE &"), when they are generic ("TRADING"), or when they run
on, without digits, down to a registration number; a generic line itself takes
the line above.

Cleaning drops an "OWNED BY" lead-in, registration numbers and a parenthesised
remark after the legal form; OCR's misreadings of SDN BHD are normalised.
"""

from __future__ import annotations

import re

from doclane.core.extract.receipt.lines import (
    GENERIC_NAME_WORD,
    LEGAL_FORM,
    OWNER_PREFIX,
    REGISTRATION,
    is_name_like,
)
from doclane.core.extract.shared.lines import Located

_MAX_NAME_LINES = 3
_AFTER_LEGAL_FORM = re.compile(r"^\s*(?:[(\[]|-\s|FKA\b|FORMERLY\b)", re.IGNORECASE)
_DANGLING_END = re.compile(r"(?:&|\bAND|-|\(|,)\s*$", re.IGNORECASE)
_CONTINUATION_START = re.compile(r"^\s*(?:[&(\-)]|AND\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’./]*|&|-")
_PARENTHESISED = re.compile(r"\([^()]*\)")
# "SDN BND", "SBN BHD", a lone trailing "SDN": OCR's readings of the Malaysian legal form.
_MISREAD_SDN_BHD = re.compile(r"\bS[DBN]N\.?\s*B[HN][DO0]\b\.?|\bSDN\.?$", re.IGNORECASE)


def name_lines(header: tuple[Located, ...], chosen: int, *, legal_form: bool) -> tuple[int, int]:
    """(first, last) header line of the name whose line `chosen` was picked."""
    if legal_form:
        return _first_line_of_name(header, chosen), chosen
    first, last = chosen, _last_line_of_name(header, chosen)
    if chosen > 0 and _is_generic(header[chosen].line.text):
        first = chosen - 1 if is_name_like(header[chosen - 1].line.text) else first
    return first, last


def clean_name(text: str) -> str:
    """The name without a lead-in, registration numbers or a remark after its legal form."""
    text = OWNER_PREFIX.sub("", text)
    text = REGISTRATION.sub(" ", text)
    for legal in LEGAL_FORM.finditer(text):
        if _AFTER_LEGAL_FORM.match(text[legal.end() :]):
            text = text[: legal.end()]
            break
    return " ".join(text.split()).strip(" -,:;*#")


def canonical_legal_form(name: str) -> str:
    """The name with OCR's misreadings of SDN BHD ("SDN BND", a lone "SDN") written out."""
    return _MISREAD_SDN_BHD.sub(_sdn_bhd, name)


def _sdn_bhd(match: re.Match[str]) -> str:
    written = match.group()
    return written if re.sub(r"\W", "", written).upper() == "SDNBHD" else "SDN BHD"


def _first_line_of_name(header: tuple[Located, ...], legal: int) -> int:
    """Walk up from the legal-form line while the name is visibly incomplete without the line above."""
    first = legal
    while legal - first + 1 < _MAX_NAME_LINES and first > 0:
        above = header[first - 1].line.text
        if not is_name_like(above) or LEGAL_FORM.search(above):
            break
        below = " ".join(header[i].line.text for i in range(first, legal + 1))
        if not _needs_line_above(above, below):
            break
        first -= 1
    return first


def _last_line_of_name(header: tuple[Located, ...], chosen: int) -> int:
    """Take the lines below too when the name breaks off ("HARDWARE &"), goes on generically
    ("TRADING"), or runs on, without digits, down to the registration number under it."""
    last = chosen
    while last + 1 < len(header) and last - chosen + 1 < _MAX_NAME_LINES:
        text, below = header[last].line.text, header[last + 1].line.text
        if not is_name_like(below) or any(ch.isdigit() for ch in below):
            break
        generic = _is_generic(below)
        if not (_DANGLING_END.search(text) or generic or _registered_below(header, last + 1)):
            break
        last += 1
    return last


def _registered_below(header: tuple[Located, ...], position: int) -> bool:
    below = header[position + 1].line.text.strip() if position + 1 < len(header) else ""
    return bool(below) and bool(REGISTRATION.fullmatch(below))


def _needs_line_above(above: str, below: str) -> bool:
    if _DANGLING_END.search(above) or _CONTINUATION_START.search(below):
        return True
    if below.count(")") > below.count("("):
        return True
    head = LEGAL_FORM.split(REGISTRATION.sub(" ", below), maxsplit=1)[0]
    return _is_generic(_PARENTHESISED.sub(" ", head))


def _is_generic(text: str) -> bool:
    """Only words that name no one on their own: "TRADING", "CO. (M)", "SDN BHD"."""
    words = _WORD.findall(REGISTRATION.sub(" ", text))
    return all(GENERIC_NAME_WORD.fullmatch(word.strip(".")) for word in words)
