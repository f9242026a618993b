"""The names of the fields doclane extracts: one enumeration for the core, the records,
the ClickHouse rows and the evaluation, so a name is spelled in one place.

Members are strings (`FieldName.TOTAL == "total"`), so they travel in Avro
records, JSON and SQL unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class FieldName(StrEnum):
    # Invoices, credit notes, purchase orders
    INVOICE_NUMBER = "invoice_number"
    PURCHASE_ORDER_NUMBER = "purchase_order_number"
    ISSUE_DATE = "issue_date"
    ORDER_DATE = "order_date"
    DUE_DATE = "due_date"
    CURRENCY = "currency"
    TOTAL = "total"
    NET_TOTAL = "net_total"
    TAX_TOTAL = "tax_total"
    CHARGES_TOTAL = "charges_total"  # freight, shipping, handling, postage
    ALLOWANCES_TOTAL = "allowances_total"
    LINES_TOTAL = "lines_total"  # the sum of the lines, as the document states it
    VENDOR_NAME = "vendor_name"
    VENDOR_ADDRESS = "vendor_address"
    VENDOR_VAT_ID = "vendor_vat_id"
    IBAN = "iban"
    CUSTOMER_NAME = "customer_name"
    # Contracts
    TITLE = "title"
    PARTY = "party"  # one field per party
    AGREEMENT_DATE = "agreement_date"
    EFFECTIVE_DATE = "effective_date"
    EXPIRATION_DATE = "expiration_date"
    TERM = "term"
    GOVERNING_LAW = "governing_law"
