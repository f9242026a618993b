"""Who issued a receipt: the shop's (legal) name at the top of the slip.

In order of trust, the name is

1. the first header line carrying a legal form (SDN BHD, S/B, GMBH, LTD, ...):
   the legal entity, even under a brand line;
2. else the first header line printed with a company registration number;
3. else the first header line with a trade word (TRADING, CAFE, BÄCKEREI, ...)
   among the first few name-like lines;
4. else the first name-like line.

The header ends at the first document title or sale detail (cashier, date)
that follows a name-like line. How the chosen line grows into the whole name,
and what is dropped from it, is `receipt_name_lines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from doclane.core.extract.receipt.lines import (
    LEGAL_FORM,
    REGISTRATION,
    SALE_DETAIL,
    TAX_ID,
    TRADE_WORD,
    is_name_like,
)
from doclane.core.extract.receipt.name_lines import (
    canonical_legal_form,
    clean_name,
    name_lines,
)
from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import find_dates, normalize_name

HEADER_LINES = 12
_TRADE_WORD_WITHIN = 3  # a trade word names the shop only among its first few name-like lines
CONFIDENCE = {"legal": 0.85, "registered": 0.8, "trade": 0.7, "first": 0.5}
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
    name_like = [i for i, located in enumerate(header) if is_name_like(located.line.text)]
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
        seen_name = seen_name or is_name_like(text)
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
    first, last = name_lines(header, chosen, legal_form=how == "legal")
    name = clean_name(" ".join(lines[i].line.text.strip() for i in range(first, last + 1)))
    if not name:
        return None
    canonical = normalize_name(canonical_legal_form(name))
    field = ExtractedField(
        FieldName.VENDOR_NAME, name, canonical, CONFIDENCE[how], lines[first].provenance()
    )
    return Vendor(field, first, last)


def _without_numbers(located: Located) -> str:
    return REGISTRATION.sub(" ", located.line.text)
