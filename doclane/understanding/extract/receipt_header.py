"""Who issued a receipt and where: the shop's name and address at the top of the slip.

The name is the first header line that carries a business word (a legal form
such as SDN BHD or LTD, or ENTERPRISE, TRADING, RESTAURANT, ...), else the
first plausible line; a registration number printed with it is dropped. The
address is the lines under the name, past registration and tax-id lines, up
to the postcode line and a state line after it, stopping at contact details,
document titles and dates.
"""

from __future__ import annotations

import re

from doclane.understanding.extract.candidates import Located
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import find_dates, normalize_name

HEADER_LINES = 10
_BUSINESS_WORD = re.compile(
    r"\b(?:SDN\.?\s*BHD|BHD|BERHAD|ENTERPRISES?|TRADING|STORES?|STATIONERY|RESTAURANT|RESTORAN"
    r"|MART|MARKET|SUPERMARKET|HYPERMARKET|HARDWARE|CO\.|COMPANY|LTD|LIMITED|PLT|LLC|INC|GMBH"
    r"|GROUP|CORPORATION|CAFE|BAKERY|PHARMACY|FOOD|MOTOR|MACHINERY|HOLDINGS|INDUSTRIES|SERVICES?"
    r"|CENTRE|CENTER|SHOP|STATION|KEDAI|PERNIAGAAN|GIFT|BOOKS?|ELECTRICAL|AUTO|PETROL|KITCHEN)\b",
    re.IGNORECASE,
)
_REGISTRATION = re.compile(
    r"\(?\s*(?:CO\.?\s*(?:REG|RFG|NO)\.?|ROC|REG\.?|COMPANY\s+NO\.?|BRN?)?\s*(?:NO\.?)?\s*:?\s*"
    r"[A-Z]{0,3}\d{3,}[\d\s]*-?\s*[A-Z]\b\s*\)?",
    re.IGNORECASE,
)
_TAX_ID = re.compile(
    r"\bGST\b|\bSST\b|\bTAX\s*(?:ID|NO|REG)|\bID\s*NO\b|\bBR\s*NO\b|\bCO\.?\s*NO\b|\bSITE\s*:"
    r"|^\(?[A-Z]{0,4}\d{5,}[-A-Z]*\)?$",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\b0\d{1,2}-?\s?\d{3,4}\s?\d{4}\b")
_STOP = re.compile(
    r"\b(?:TEL|PHONE|FAX|H/?P|EMAIL|E-MAIL|WWW|HTTP|INVOICE|RECEIPT|BILL|CASHIER|DATE|TIME"
    r"|TABLE|DOC(?:UMENT)?|ORDER|QTY|ITEM|SALES|MEMBER|TERMINAL|COUNTER|POS)\b|@|\.COM\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b\d{5}\b")
_MAX_ADDRESS_LINES = 5


def receipt_vendor(lines: tuple[Located, ...]) -> tuple[int, ExtractedField] | None:
    """(line index, vendor_name field) from the receipt's header."""
    header = lines[:HEADER_LINES]
    chosen = next(
        (i for i, located in enumerate(header) if _BUSINESS_WORD.search(located.line.text)), None
    )
    confidence = 0.8
    if chosen is None:
        chosen = next((i for i, located in enumerate(header) if _plausible_name(located)), None)
        confidence = 0.5
    if chosen is None:
        return None
    located = lines[chosen]
    name = _REGISTRATION.sub("", located.line.text).strip(" -,:")
    if not name:
        return None
    field = ExtractedField(
        "vendor_name", name, normalize_name(name), confidence, located.provenance()
    )
    return chosen, field


def receipt_address(lines: tuple[Located, ...], vendor_at: int) -> ExtractedField | None:
    parts: list[str] = []
    first: Located | None = None
    saw_postcode = False
    for located in lines[vendor_at + 1 : vendor_at + 1 + HEADER_LINES]:
        text = located.line.text.strip()
        if not text or _REGISTRATION.fullmatch(text) or _TAX_ID.search(text):
            if parts:
                break
            continue
        if _STOP.search(text) or _PHONE.search(text) or find_dates(text):
            break
        if saw_postcode and (any(ch.isdigit() for ch in text) or len(text) > 25):
            break
        parts.append(text)
        first = first or located
        saw_postcode = saw_postcode or bool(_POSTCODE.search(text))
        if len(parts) >= _MAX_ADDRESS_LINES:
            break
    if not parts or first is None:
        return None
    address = " ".join(parts)
    return ExtractedField(
        "vendor_address", address, normalize_name(address), 0.6, first.provenance()
    )


def _plausible_name(located: Located) -> bool:
    text = located.line.text
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 3 and not _STOP.search(text) and not find_dates(text)
