"""Extraction: the fields of a document, by type, with value, confidence and provenance.

One package per kind of document, each with a `fields` module that assembles
its fields: `invoice/` (invoices, credit notes, purchase orders: the invoice
number and dates in `fields`, parties, totals, VAT id and IBAN, payment terms,
and exact e-invoice XML in `einvoice_xml`), `receipt/`, `contract/`. Printed
labels are data in `labels/table.py`; `shared/` holds the located lines, layout
cells, currency and table rows every type reads.
"""

from __future__ import annotations

from doclane.core.extract.contract.fields import extract_contract
from doclane.core.extract.invoice.credit_notes import as_credited
from doclane.core.extract.invoice.einvoice_xml import EInvoice, find_einvoice
from doclane.core.extract.invoice.fields import extract_business_document
from doclane.core.extract.receipt.fields import extract_receipt
from doclane.core.extract.shared.lines import locate_lines
from doclane.core.extract.shared.ocr_confidence import discount_ocr_confidence
from doclane.core.model import DocType, DocumentText, Extraction

__all__ = ["extract_fields"]

_BUSINESS = frozenset({DocType.INVOICE, DocType.CREDIT_NOTE, DocType.PURCHASE_ORDER})
_E_INVOICES = frozenset({DocType.INVOICE, DocType.CREDIT_NOTE})


def extract_fields(text: DocumentText, doc_type: DocType, *, use_xml: bool = True) -> Extraction:
    """Fields for `doc_type`; an embedded e-invoice XML wins over the page text when allowed.

    A value read from an OCR'd line is only as sure as OCR was of that line.
    """
    return discount_ocr_confidence(_extract_fields(text, doc_type, use_xml=use_xml), text)


def _extract_fields(text: DocumentText, doc_type: DocType, *, use_xml: bool) -> Extraction:
    lines = locate_lines(text)
    if doc_type is DocType.RECEIPT:
        return extract_receipt(lines)
    if doc_type is DocType.CONTRACT:
        return extract_contract(lines)
    if doc_type not in _BUSINESS:
        return Extraction(fields=(), line_items=())
    extraction = extract_business_document(text, lines, doc_type)
    if use_xml and doc_type in _E_INVOICES:
        einvoice = find_einvoice(text.attachments)
        if einvoice is not None:
            extraction = _prefer_xml(extraction, einvoice)
    return as_credited(extraction) if doc_type is DocType.CREDIT_NOTE else extraction


def _prefer_xml(extraction: Extraction, einvoice: EInvoice) -> Extraction:
    """XML fields replace text fields of the same name; text fills the gaps."""
    from_xml = {f.name for f in einvoice.fields}
    merged = einvoice.fields + tuple(f for f in extraction.fields if f.name not in from_xml)
    return Extraction(fields=merged, line_items=einvoice.line_items or extraction.line_items)
