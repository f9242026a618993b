"""Where the shop is: the address lines under its name at the top of the slip.

The address starts below the vendor's name, at the first line that reads like
an address (a house number, a street or place word such as JALAN, LOT, TAMAN,
STRASSE, RUE, ROAD, or a postcode); a branch or brand line before it
("IKEA CHERAS") is skipped, and so are registration, tax-id and web lines. It
ends at contact details, sale details or dates, or after the postcode line
and at most two state or country lines under it ("SELANGOR DARUL EHSAN",
"MALAYSIA"); a line under the postcode that is neither is a branch name.
"""

from __future__ import annotations

import re

from doclane.core.extract.receipt.lines import (
    BOILERPLATE,
    CONTACT,
    POSTCODE,
    REGION,
    SALE_DETAIL,
    is_identifier_line,
)
from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import find_dates, normalize_name

ADDRESS_WORD = re.compile(
    r"\b(?:NO|LOT|UNIT|LEVEL|FLOOR|FLR|TINGKAT|BLOCK|BLK|BLOK|JALAN|JLN|LORONG|LRG|PERSIARAN"
    r"|LEBUH|LEBUHRAYA|TAMAN|TMN|KAMPUNG|KG|BATU|BANDAR|SEKSYEN|SECTION|MUKIM|PLAZA|WISMA"
    r"|MENARA|KOMPLEKS|COMPLEX|MALL|CENTRE|CENTER|PUSAT|KAWASAN|PERINDUSTRIAN|INDUSTRIAL"
    r"|STREET|ST|ROAD|RD|AVENUE|AVE|LANE|DRIVE|WAY|SQUARE|PARK"
    r"|STRASSE|STRAßE|STR|PLATZ|WEG|ALLEE|GASSE|RING|RUE|AVENUE|BOULEVARD|BD|BLVD|PLACE|ALLÉE"
    r"|CHEMIN|ROUTE|QUAI|IMPASSE|CEDEX|CALLE|AVENIDA|AVDA|PASEO|CARRER|VIA|VIALE|PIAZZA|CORSO"
    r"|LARGO|RUA|LAAN|PLEIN|KADE)\b"
    r"|\w(?:STRASSE|STRAßE|STR\.|WEG|ALLEE|PLATZ|GASSE|RING|DAMM|UFER|CHAUSSEE|STRAAT|LAAN)\b",
    re.IGNORECASE,
)
"""Words of street addresses (Malay, English, German, French, Spanish, Italian, Dutch), and
the endings of German and Dutch street names ("Lindenallee", "Hauptstr.")."""

SCAN_LINES = 12
_MAX_ADDRESS_LINES = 6
_AFTER_POSTCODE = 2  # state and country lines may follow the postcode line
_TITLE_LINES = 2  # a document title above everything does not end the header
CONFIDENCE = {"postcode": 0.7, "street": 0.5, "house_number": 0.35}


def receipt_address(lines: tuple[Located, ...], vendor_lines: range) -> ExtractedField | None:
    """The address under the vendor's name, else anywhere at the top of the slip."""
    found = _address_from(lines, vendor_lines.stop, vendor_lines)
    if found is None and vendor_lines.start > 0:
        found = _address_from(lines, 0, vendor_lines)
    if found is None:
        return None
    parts, how = found
    address = " ".join(located.line.text.strip() for located in parts)
    return ExtractedField(
        FieldName.VENDOR_ADDRESS,
        address,
        normalize_name(address),
        CONFIDENCE[how],
        parts[0].provenance(),
    )


def _address_from(
    lines: tuple[Located, ...], start: int, vendor_lines: range
) -> tuple[list[Located], str] | None:
    parts: list[Located] = []
    postcode_at: int | None = None  # how many parts there were up to the postcode line
    for position in range(start, min(len(lines), start + SCAN_LINES)):
        kind = _line_kind(lines[position].line.text.strip(), position, vendor_lines)
        if kind == "end" or (kind == "interruption" and parts and _is_address(parts, True)):
            break
        if kind == "interruption":
            parts = []  # a branch name before the identifiers was no address
            continue
        if kind in ("date", "vendor") and parts:
            break
        if kind != "text" or (not parts and not _starts_address(lines[position].line.text)):
            continue
        text = lines[position].line.text
        if postcode_at is not None and (
            len(parts) - postcode_at >= _AFTER_POSTCODE or not REGION.match(text)
        ):
            break
        parts.append(lines[position])
        if postcode_at is None and POSTCODE.search(text):
            postcode_at = len(parts)
        if len(parts) >= _MAX_ADDRESS_LINES:
            break
    return _judged(parts, postcode_found=postcode_at is not None)


def _line_kind(text: str, position: int, vendor_lines: range) -> str:
    """end, interruption (identifiers, contact, notices), date, vendor or text."""
    if position in vendor_lines:
        return "vendor"
    if not text or is_identifier_line(text) or CONTACT.search(text) or BOILERPLATE.search(text):
        return "interruption"
    if SALE_DETAIL.search(text) and position >= _TITLE_LINES:
        return "end"
    if SALE_DETAIL.search(text):
        return "vendor"  # a document title above everything: passed over like the name
    return "date" if find_dates(text) else "text"


def _judged(parts: list[Located], *, postcode_found: bool) -> tuple[list[Located], str] | None:
    if not parts:
        return None
    if postcode_found:
        return parts, "postcode"
    if _is_address(parts):
        return parts, "street"
    if _is_address(parts, numbered=True):
        return parts, "house_number"  # "12" / "TAMPOI": a number and a place, nothing else
    return None


def _starts_address(text: str) -> bool:
    """A house number first ("12", "M4-A-8"), a street or place word, or a postcode.

    A number at the end of a name ("PERMAS JAYA 2") is a branch's, not a house number.
    """
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return False  # a remark such as "(SELAYANG MALL)"
    first = text.split(maxsplit=1)[0] if text else ""
    return (
        any(ch.isdigit() for ch in first)
        or bool(ADDRESS_WORD.search(text))
        or bool(POSTCODE.search(text))
    )


def _is_address(parts: list[Located], numbered: bool = False) -> bool:
    """A postcode or street word in it; with `numbered`, a leading house number will do."""
    if numbered and parts[0].line.text.strip()[:1].isdigit():
        return True
    return any(POSTCODE.search(p.line.text) or ADDRESS_WORD.search(p.line.text) for p in parts)
