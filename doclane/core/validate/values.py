"""Typed readings of extracted fields and the words used to name them to a clerk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from doclane.core.fields import FieldName
from doclane.core.model import DocType, Extraction
from doclane.core.normalize import parse_amount

FIELD_WORDS = {
    FieldName.INVOICE_NUMBER: "invoice number",
    FieldName.ISSUE_DATE: "document date",
    FieldName.DUE_DATE: "due date",
    FieldName.TOTAL: FieldName.TOTAL,
    FieldName.NET_TOTAL: "net amount",
    FieldName.TAX_TOTAL: "tax amount",
    FieldName.LINES_TOTAL: "sum of the lines",
    FieldName.CHARGES_TOTAL: "charges",
    FieldName.ALLOWANCES_TOTAL: "allowances",
    FieldName.CURRENCY: FieldName.CURRENCY,
    FieldName.VENDOR_NAME: "vendor name",
    FieldName.VENDOR_VAT_ID: "vendor VAT id",
    FieldName.IBAN: "IBAN",
    FieldName.PURCHASE_ORDER_NUMBER: "purchase order number",
    FieldName.TITLE: FieldName.TITLE,
    FieldName.PARTY: "parties",
    FieldName.AGREEMENT_DATE: "agreement date",
    FieldName.EFFECTIVE_DATE: "effective date",
    FieldName.EXPIRATION_DATE: "expiration date",
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
