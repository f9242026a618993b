"""How each labelled field is compared: the field kinds as data, and the normalisation per kind.

Exact scores compare the values below after normalisation; fuzzy scores (names
and addresses only) compare the folded text with rapidfuzz's token-set ratio.
"""

from __future__ import annotations

import re
from enum import StrEnum

from doclane.core.normalize import (
    format_amount,
    normalize_currency,
    normalize_text,
    parse_amount,
    parse_date,
)


class FieldKind(StrEnum):
    DATE = "date"  # ISO YYYY-MM-DD
    AMOUNT = "amount"  # two decimals, no grouping
    CURRENCY = "currency"  # ISO 4217
    IDENTIFIER = "identifier"  # folded, spaces and punctuation dropped: "DE 123-456" = "de123456"
    TEXT = "text"  # folded, spaces and punctuation collapsed


PARTIES = "parties"
"""Contract parties: not a field of `fields` but a list beside it, scored as a set of names."""
LINE_ITEMS = "line_items"
"""Item rows: a list beside `fields`, scored per row (see `scoring.compare_line_items`)."""

FIELD_KINDS: dict[str, FieldKind] = {
    "invoice_number": FieldKind.IDENTIFIER,
    "issue_date": FieldKind.DATE,
    "due_date": FieldKind.DATE,
    "currency": FieldKind.CURRENCY,
    "total": FieldKind.AMOUNT,
    "net_total": FieldKind.AMOUNT,
    "tax_total": FieldKind.AMOUNT,
    "vendor_name": FieldKind.TEXT,
    "vendor_vat_id": FieldKind.IDENTIFIER,
    "vendor_address": FieldKind.TEXT,
    "customer_name": FieldKind.TEXT,
    "purchase_order_number": FieldKind.IDENTIFIER,
    "title": FieldKind.TEXT,
    "agreement_date": FieldKind.DATE,
    "effective_date": FieldKind.DATE,
    "expiration_date": FieldKind.DATE,
    "governing_law": FieldKind.TEXT,
    "term": FieldKind.TEXT,
}
"""The corpus's canonical field names; a labelled field not listed here is compared as text."""

# The invoice header fields the target names: number, dates, currency, totals, vendor.
HEADER_FIELDS = frozenset(
    {
        "invoice_number",
        "issue_date",
        "due_date",
        "currency",
        "total",
        "net_total",
        "tax_total",
        "vendor_name",
    }
)

HEADER_GROUPS = frozenset({"invoice", "credit_note"})

FUZZY_FIELDS = frozenset({"vendor_name", "vendor_address", "customer_name", PARTIES, "title"})
FUZZY_THRESHOLD = 90.0  # rapidfuzz token_set_ratio, 0..100

FIELD_ORDER: tuple[str, ...] = (*FIELD_KINDS, PARTIES, LINE_ITEMS)
"""Display order of the report's field rows; unlisted names follow alphabetically."""

# A defined term after a party's name ("Acme Inc. (the "Company")") is not part of the name.
_DEFINED_TERM = re.compile(r"\([^()]*\)?")


def normalize_value(name: str, raw: str) -> str:
    """The comparable form of a value of field `name`.

    A date or amount that cannot be read is compared as folded text, so an
    unreadable prediction still counts as a (wrong) prediction.
    """
    kind = FIELD_KINDS.get(name, FieldKind.TEXT)
    if kind is FieldKind.DATE:
        found = parse_date(raw)
        if found is not None:
            return found.isoformat()
    elif kind is FieldKind.AMOUNT:
        amount = parse_amount(raw)
        if amount is not None:
            return format_amount(amount)
    elif kind is FieldKind.CURRENCY:
        code = normalize_currency(raw)
        if code is not None:
            return code
    elif kind is FieldKind.IDENTIFIER:
        return normalize_text(raw).replace(" ", "")
    return normalize_text(raw)


def normalize_party(raw: str) -> str:
    """A party's folded name without parenthesised defined terms; "" when nothing is left."""
    return normalize_text(_DEFINED_TERM.sub(" ", raw))


def field_sort_key(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)
