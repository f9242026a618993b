"""Receipts (the SROIE task): vendor name, vendor address, date and total from OCR-like lines."""

from __future__ import annotations

from doclane.understanding.extract.amounts import extract_currency
from doclane.understanding.extract.candidates import Located
from doclane.understanding.extract.identifiers import extract_issue_date
from doclane.understanding.extract.line_items import extract_line_items
from doclane.understanding.extract.parties import extract_vendor_address, extract_vendor_name
from doclane.understanding.extract.receipt_total import receipt_total
from doclane.understanding.model import Extraction


def extract_receipt(lines: tuple[Located, ...]) -> Extraction:
    vendor = extract_vendor_name(lines)
    found = [
        vendor,
        extract_vendor_address(lines, vendor) if vendor is not None else None,
        extract_issue_date(lines),
        receipt_total(lines),
        extract_currency(lines),
    ]
    fields = tuple(field for field in found if field is not None)
    return Extraction(fields=fields, line_items=extract_line_items(lines))
