"""Receipts (the SROIE task): vendor name, vendor address, date and total from OCR-like lines."""

from __future__ import annotations

from doclane.understanding.extract.amounts import extract_currency
from doclane.understanding.extract.candidates import Located
from doclane.understanding.extract.identifiers import extract_issue_date
from doclane.understanding.extract.line_items import extract_line_items
from doclane.understanding.extract.receipt_header import receipt_address, receipt_vendor
from doclane.understanding.extract.receipt_total import receipt_total
from doclane.understanding.model import Extraction


def extract_receipt(lines: tuple[Located, ...]) -> Extraction:
    vendor = receipt_vendor(lines)
    found = [
        vendor[1] if vendor else None,
        receipt_address(lines, vendor[0]) if vendor else None,
        extract_issue_date(lines),
        receipt_total(lines),
        extract_currency(lines),
    ]
    fields = tuple(field for field in found if field is not None)
    return Extraction(fields=fields, line_items=extract_line_items(lines))
