"""Typed readings of extracted fields and the words used to name them to a clerk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from doclane.core.model import DocType, Extraction
from doclane.core.normalize import parse_amount

FIELD_WORDS = {
    "invoice_number": "invoice number",
    "issue_date": "document date",
    "due_date": "due date",
    "total": "total",
    "net_total": "net amount",
    "tax_total": "tax amount",
    "lines_total": "sum of the lines",
    "charges_total": "charges",
    "allowances_total": "allowances",
    "currency": "currency",
    "vendor_name": "vendor name",
    "vendor_vat_id": "vendor VAT id",
    "iban": "IBAN",
    "purchase_order_number": "purchase order number",
    "title": "title",
    "party": "parties",
    "agreement_date": "agreement date",
    "effective_date": "effective date",
    "expiration_date": "expiration date",
}


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name, name.replace("_", " "))


def noun(doc_type: DocType) -> str:
    return str(doc_type).replace("_", " ")


def amount_of(extraction: Extraction, name: str) -> Decimal | None:
    field = extraction.get(name)
    if field is None or field.normalized is None:
        return None
    try:
        return Decimal(field.normalized)
    except InvalidOperation:
        return None


def date_of(extraction: Extraction, name: str) -> date | None:
    field = extraction.get(name)
    if field is None or field.normalized is None:
        return None
    try:
        return date.fromisoformat(field.normalized)
    except ValueError:
        return None


def decimal_of(raw: str | None) -> Decimal | None:
    """A line-item number: canonical ("50.0000", "-3.5") as is, else read as printed money."""
    if raw is None or not raw.strip():
        return None
    try:
        return Decimal(raw.strip())
    except InvalidOperation:
        return parse_amount(raw)
