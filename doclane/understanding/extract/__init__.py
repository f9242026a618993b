"""Extraction: the fields of a document, by type, with value, confidence and provenance.

Where to look: numbers and dates in `identifiers`, money in `amounts`, names
in `parties`, table rows in `line_items`, contracts in `contract`, exact
e-invoice XML in `einvoice_xml`; printed labels are data in `labels`.
"""

from __future__ import annotations

from collections.abc import Callable

from doclane.understanding.extract.amounts import (
    extract_currency,
    extract_net_total,
    extract_tax_total,
    extract_total,
)
from doclane.understanding.extract.candidates import Located, locate_lines
from doclane.understanding.extract.contract import (
    extract_effective_date,
    extract_governing_law,
    extract_title,
)
from doclane.understanding.extract.einvoice_xml import EInvoice, find_einvoice
from doclane.understanding.extract.identifiers import (
    extract_due_date,
    extract_invoice_number,
    extract_issue_date,
    extract_purchase_order_number,
)
from doclane.understanding.extract.line_items import extract_line_items
from doclane.understanding.extract.parties import (
    extract_customer_name,
    extract_order_customer_name,
    extract_order_vendor_name,
    extract_vendor_address,
    extract_vendor_name,
)
from doclane.understanding.model import (
    DocType,
    DocumentText,
    ExtractedField,
    Extraction,
    LineItem,
)

__all__ = ["extract_fields"]

_FieldExtractor = Callable[[tuple[Located, ...]], ExtractedField | None]

_INVOICE: tuple[_FieldExtractor, ...] = (
    extract_invoice_number,
    extract_issue_date,
    extract_due_date,
    extract_currency,
    extract_total,
    extract_net_total,
    extract_tax_total,
    extract_vendor_name,
    extract_customer_name,
    extract_purchase_order_number,
)
_EXTRACTORS: dict[DocType, tuple[_FieldExtractor, ...]] = {
    DocType.INVOICE: _INVOICE,
    DocType.CREDIT_NOTE: _INVOICE,
    DocType.RECEIPT: (extract_vendor_name, extract_issue_date, extract_total, extract_currency),
    DocType.PURCHASE_ORDER: (
        extract_purchase_order_number,
        extract_issue_date,
        extract_total,
        extract_currency,
        extract_order_vendor_name,
        extract_order_customer_name,
    ),
    DocType.CONTRACT: (extract_title, extract_effective_date, extract_governing_law),
}
_WITH_LINE_ITEMS = frozenset(
    {DocType.INVOICE, DocType.CREDIT_NOTE, DocType.RECEIPT, DocType.PURCHASE_ORDER}
)


def extract_fields(text: DocumentText, doc_type: DocType, *, use_xml: bool = True) -> Extraction:
    """Fields for `doc_type`; an embedded e-invoice XML wins over the page text when allowed."""
    lines = locate_lines(text)
    fields = [
        found
        for extractor in _EXTRACTORS.get(doc_type, ())
        if (found := extractor(lines)) is not None
    ]
    if doc_type is DocType.RECEIPT:
        vendor = next((f for f in fields if f.name == "vendor_name"), None)
        address = extract_vendor_address(lines, vendor) if vendor is not None else None
        if address is not None:
            fields.append(address)
    items = extract_line_items(lines) if doc_type in _WITH_LINE_ITEMS else ()
    if use_xml and doc_type in (DocType.INVOICE, DocType.CREDIT_NOTE):
        einvoice = find_einvoice(text.attachments)
        if einvoice is not None:
            return _prefer_xml(fields, items, einvoice)
    return Extraction(fields=tuple(fields), line_items=items)


def _prefer_xml(
    fields: list[ExtractedField], items: tuple[LineItem, ...], einvoice: EInvoice
) -> Extraction:
    """XML fields replace text fields of the same name; text fills the gaps."""
    from_xml = {f.name for f in einvoice.fields}
    merged = einvoice.fields + tuple(f for f in fields if f.name not in from_xml)
    return Extraction(fields=merged, line_items=einvoice.line_items or items)
