"""Vendor and customer names, and the vendor's address, from the top of page 1."""

from __future__ import annotations

import re

from doclane.understanding.extract.candidates import Located, compiled
from doclane.understanding.extract.labels import CUSTOMER_BLOCK, LEGAL_FORMS, SUPPLIER_BLOCK
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import normalize_name, parse_date
from doclane.understanding.reading.layout import COLUMN_GAP

HEADER_LINES = 15  # where the issuer's name is printed
_LEGAL_FORM = re.compile(r"(?<![\w])(?:" + "|".join(LEGAL_FORMS) + r")(?![\w])", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"^(?:tax\s+)?(?:invoice|rechnung|facture|receipt|quittung|gutschrift|credit\s+note|avoir"
    r"|purchase\s+order|bestellung|bon\s+de\s+commande|page|seite|cash\s+bill|kassenbon"
    r"|original|copy|kopie|duplicate|rechnungsersteller|lieferant|absender|from|von|de"
    r"|herrn?|frau|mr|mrs|ms|monsieur|madame)\b",
    re.IGNORECASE,
)
_ADDRESS_STOP = re.compile(
    r"\b(?:tel|phone|fax|gst|vat|e-?mail|www|date|invoice|receipt|cashier|reg|co\.?\s?no)\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b\d{5}\b")
_COMPANY_NAME_CONFIDENCE = 0.8
_FIRST_LINE_CONFIDENCE = 0.5


def extract_vendor_name(lines: tuple[Located, ...]) -> ExtractedField | None:
    header = [located for located in lines if located.page == 1][:HEADER_LINES]
    company = _company_line(header)
    if company is not None:
        located, segment = company
        return _name_field("vendor_name", segment, located, _COMPANY_NAME_CONFIDENCE)
    for located in header:
        segment = located.line.text.split(COLUMN_GAP)[0].strip()
        if _looks_like_name(segment):
            return _name_field("vendor_name", segment, located, _FIRST_LINE_CONFIDENCE)
    return None


def extract_customer_name(lines: tuple[Located, ...]) -> ExtractedField | None:
    """A name in the block announced by "Bill to", "Kunde", "Client", ..."""
    return _announced_name(lines, CUSTOMER_BLOCK, "customer_name")


def extract_order_vendor_name(lines: tuple[Located, ...]) -> ExtractedField | None:
    """On a purchase order the supplier sits under "Vendor"; the letterhead is the buyer."""
    return _announced_name(lines, SUPPLIER_BLOCK, "vendor_name")


def extract_order_customer_name(lines: tuple[Located, ...]) -> ExtractedField | None:
    found = extract_vendor_name(lines)  # the letterhead of a purchase order is the buyer
    if found is None:
        return None
    return ExtractedField(
        "customer_name", found.value, found.normalized, found.confidence, found.provenance
    )


def _announced_name(lines: tuple[Located, ...], block: str, name: str) -> ExtractedField | None:
    announce = compiled(block)
    for position, located in enumerate(lines[:60]):
        match = announce.search(located.line.text)
        if match is None:
            continue
        rest = located.line.text[match.end() :].strip(" :").split(COLUMN_GAP)[0].strip()
        if _looks_like_name(rest):
            return _name_field(name, rest, located, 0.6)
        for following in lines[position + 1 : position + 4]:
            segment = following.line.text.split(COLUMN_GAP)[0].strip()
            if _looks_like_name(segment):
                return _name_field(name, segment, following, 0.6)
    return None


def extract_vendor_address(
    lines: tuple[Located, ...], vendor: ExtractedField
) -> ExtractedField | None:
    """Up to four lines below the vendor name, ending at a postcode or a contact line."""
    start = next(
        (
            i
            for i, located in enumerate(lines)
            if located.number == vendor.provenance.line and located.page == vendor.provenance.page
        ),
        None,
    )
    if start is None:
        return None
    parts: list[str] = []
    first: Located | None = None
    for located in lines[start + 1 : start + 7]:
        text = located.line.text.split(COLUMN_GAP)[0].strip()
        if _ADDRESS_STOP.search(text) or parse_date(text) is not None:
            break
        if _is_registration_number(text) and not parts:
            continue
        parts.append(text)
        first = first or located
        if _POSTCODE.search(text) or len(parts) == 4:
            break
    if not parts or first is None:
        return None
    address = " ".join(parts)
    return ExtractedField(
        "vendor_address", address, normalize_name(address), 0.5, first.provenance()
    )


def _company_line(header: list[Located]) -> tuple[Located, str] | None:
    announce = compiled(CUSTOMER_BLOCK)
    after_customer_label = False
    for located in header:
        segments = located.line.text.split(COLUMN_GAP)
        if announce.search(segments[0]) and len(segments[0]) < 40:
            after_customer_label = True
            continue
        for segment in segments:
            if (
                _LEGAL_FORM.search(segment)
                and not after_customer_label
                and _looks_like_name(segment)
            ):
                return located, segment.strip()
        after_customer_label = False
    return None


def _looks_like_name(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return (
        3 <= len(text) <= 80
        and letters >= 3
        and digits <= letters / 4
        and _TITLE_WORDS.match(text) is None
        and parse_date(text) is None
        and "@" not in text
    )


def _is_registration_number(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 4 and sum(ch.isalpha() for ch in text) <= 3


def _name_field(name: str, segment: str, located: Located, confidence: float) -> ExtractedField:
    return ExtractedField(name, segment, normalize_name(segment), confidence, located.provenance())
