"""Who issued a receipt: the shop's (legal) name at the top of the slip.

In order of trust, the name is

1. the first header line carrying a legal form (SDN BHD, S/B, GMBH, LTD, ...):
   the legal entity, even under a brand line. OCR often breaks such a name
   over two or three lines ("POPULAR BOOK" / "CO. (M) SDN BHD"), so lines
   above are joined while the name is visibly incomplete without them;
2. else the first header line printed with a company registration number;
3. else the first header line with a trade word (TRADING, CAFE, BÄCKEREI, ...)
   among the first few name-like lines;
4. else the first name-like line.

The header ends at the first document title or sale detail (cashier, date)
that follows a name-like line.

Registration numbers, an "OWNED BY" lead-in and a parenthesised remark after
the legal form are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from doclane.understanding.extract.candidates import Located
from doclane.understanding.extract.receipt_lines import (
    BOILERPLATE,
    CONTACT,
    GENERIC_NAME_WORD,
    LEGAL_FORM,
    OWNER_PREFIX,
    REGISTRATION,
    SALE_DETAIL,
    TAX_ID,
    TRADE_WORD,
    is_identifier_line,
)
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import find_dates, normalize_name

HEADER_LINES = 12
_TRADE_WORD_WITHIN = 3  # a trade word names the shop only among its first few name-like lines
_MAX_NAME_LINES = 3
CONFIDENCE = {"legal": 0.85, "registered": 0.8, "trade": 0.7, "first": 0.5}
_AFTER_LEGAL_FORM = re.compile(r"^\s*(?:[(\[]|-\s|FKA\b|FORMERLY\b)", re.IGNORECASE)
_DANGLING_END = re.compile(r"(?:&|\bAND|-|\(|,)\s*$", re.IGNORECASE)
_CONTINUATION_START = re.compile(r"^\s*(?:[&(\-)]|AND\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’./]*|&|-")
_PARENTHESISED = re.compile(r"\([^()]*\)")
# "SDN BND", "SBN BHD", a lone trailing "SDN": OCR's readings of the Malaysian legal form.
_MISREAD_SDN_BHD = re.compile(r"\bS[DBN]N\.?\s*B[HN][DO0]\b\.?|\bSDN\.?$", re.IGNORECASE)
_REGISTRATION_ON_LINE = re.compile(r"(?<![\w-])\(?\d{4,}\s?-\s?[A-Z]\b\)?")
_PHONE_OR_MAIL = re.compile(
    r"\b(?:TEL|PHONE|FAX|E-?MAIL)\b|@|\b0\d{1,2}-?\s?\d{3,4}\s?\d{4}\b", re.I
)


@dataclass(frozen=True)
class Vendor:
    """The vendor_name field and the header lines it was read from."""

    field: ExtractedField
    first_line: int  # index into the receipt's lines
    last_line: int


def receipt_vendor(lines: tuple[Located, ...]) -> Vendor | None:
    header = _header(lines)
    legal = next((i for i, located in enumerate(header) if _is_legal_name(located)), None)
    if legal is not None:
        return _vendor(lines, header, legal, "legal")
    name_like = [i for i, located in enumerate(header) if _is_name_like(located.line.text)]
    registered = next((i for i in name_like if _is_registered(header, i)), None)
    if registered is not None:
        return _vendor(lines, header, registered, "registered")
    early = name_like[:_TRADE_WORD_WITHIN]
    trade = next((i for i in early if TRADE_WORD.search(header[i].line.text)), None)
    if trade is not None:
        return _vendor(lines, header, trade, "trade")
    if name_like:
        return _vendor(lines, header, name_like[0], "first")
    return None


def _header(lines: tuple[Located, ...]) -> tuple[Located, ...]:
    """The first lines, up to the first title or sale detail printed after a name-like line."""
    seen_name = False
    for position, located in enumerate(lines[:HEADER_LINES]):
        text = located.line.text
        if LEGAL_FORM.search(text):
            seen_name = True
        elif seen_name and (SALE_DETAIL.search(text) or find_dates(text)):
            return lines[:position]
        seen_name = seen_name or _is_name_like(text)
    return lines[:HEADER_LINES]


def _is_registered(header: tuple[Located, ...], position: int) -> bool:
    """A registration number printed on the name line, or alone under a shop's trade name."""
    text = header[position].line.text
    if _REGISTRATION_ON_LINE.search(text):
        return True
    below = header[position + 1].line.text.strip() if position + 1 < len(header) else ""
    return bool(TRADE_WORD.search(text) and REGISTRATION.fullmatch(below))


def _is_legal_name(located: Located) -> bool:
    text = _without_numbers(located)
    if not LEGAL_FORM.search(text) or sum(ch.isalpha() for ch in text) < 3:
        return False
    return not (TAX_ID.search(text) or _PHONE_OR_MAIL.search(text))


def _vendor(
    lines: tuple[Located, ...], header: tuple[Located, ...], chosen: int, how: str
) -> Vendor | None:
    if how == "legal":
        first, last = _first_line_of_name(header, chosen), chosen
    else:
        first, last = chosen, _last_line_of_name(header, chosen)
        if chosen > 0 and _is_generic(header[chosen].line.text):
            first = chosen - 1 if _is_name_like(header[chosen - 1].line.text) else first
    name = _clean(" ".join(lines[i].line.text.strip() for i in range(first, last + 1)))
    if not name:
        return None
    canonical = normalize_name(_MISREAD_SDN_BHD.sub(_sdn_bhd, name))
    field = ExtractedField(
        "vendor_name", name, canonical, CONFIDENCE[how], lines[first].provenance()
    )
    return Vendor(field, first, last)


def _sdn_bhd(match: re.Match[str]) -> str:
    written = match.group()
    return written if re.sub(r"\W", "", written).upper() == "SDNBHD" else "SDN BHD"


def _is_name_like(text: str) -> bool:
    text = REGISTRATION.sub(" ", text).strip()
    if text.startswith("(") and text.endswith(")"):
        return False  # a remark such as "(SELAYANG MALL)"
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    if letters < 3 or letters < visible / 2:
        return False
    if is_identifier_line(text) or CONTACT.search(text) or BOILERPLATE.search(text):
        return False
    return not (SALE_DETAIL.search(text) or find_dates(text))


def _without_numbers(located: Located) -> str:
    return REGISTRATION.sub(" ", located.line.text)


def _first_line_of_name(header: tuple[Located, ...], legal: int) -> int:
    """Walk up from the legal-form line while the name is visibly incomplete without the line above."""
    first = legal
    while legal - first + 1 < _MAX_NAME_LINES and first > 0:
        above = header[first - 1].line.text
        if not _is_name_like(above) or LEGAL_FORM.search(above):
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
        if not _is_name_like(below) or any(ch.isdigit() for ch in below):
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


def _clean(text: str) -> str:
    text = OWNER_PREFIX.sub("", text)
    text = REGISTRATION.sub(" ", text)
    for legal in LEGAL_FORM.finditer(text):
        if _AFTER_LEGAL_FORM.match(text[legal.end() :]):
            text = text[: legal.end()]
            break
    return " ".join(text.split()).strip(" -,:;*#")
