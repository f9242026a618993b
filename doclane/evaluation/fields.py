"""How each labelled field is compared: the field kinds as data, and the normalisation per kind.

Exact scores compare the values below after normalisation; fuzzy scores (names
and addresses only) compare the folded text with rapidfuzz's token-set ratio.
"""

from __future__ import annotations

import re
from enum import StrEnum

from doclane.core.fields import FieldName
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
    CURRENCY = FieldName.CURRENCY  # ISO 4217
    IDENTIFIER = "identifier"  # folded, spaces and punctuation dropped: "DE 123-456" = "de123456"
    TEXT = "text"  # folded, spaces and punctuation collapsed


PARTIES = "parties"
"""Contract parties: not a field of `fields` but a list beside it, scored as a set of names."""
LINE_ITEMS = "line_items"
"""Item rows: a list beside `fields`, scored per row (see `scoring.compare_line_items`)."""

FIELD_KINDS: dict[str, FieldKind] = {
    FieldName.INVOICE_NUMBER: FieldKind.IDENTIFIER,
    FieldName.ISSUE_DATE: FieldKind.DATE,
    FieldName.DUE_DATE: FieldKind.DATE,
    FieldName.CURRENCY: FieldKind.CURRENCY,
    FieldName.TOTAL: FieldKind.AMOUNT,
    FieldName.NET_TOTAL: FieldKind.AMOUNT,
    FieldName.TAX_TOTAL: FieldKind.AMOUNT,
    FieldName.VENDOR_NAME: FieldKind.TEXT,
    FieldName.VENDOR_VAT_ID: FieldKind.IDENTIFIER,
    FieldName.VENDOR_ADDRESS: FieldKind.TEXT,
    FieldName.CUSTOMER_NAME: FieldKind.TEXT,
    FieldName.PURCHASE_ORDER_NUMBER: FieldKind.IDENTIFIER,
    FieldName.TITLE: FieldKind.TEXT,
    FieldName.AGREEMENT_DATE: FieldKind.DATE,
    FieldName.EFFECTIVE_DATE: FieldKind.DATE,
    FieldName.EXPIRATION_DATE: FieldKind.DATE,
    FieldName.GOVERNING_LAW: FieldKind.TEXT,
    FieldName.TERM: FieldKind.TEXT,
}
"""The corpus's canonical field names; a labelled field not listed here is compared as text."""

# The invoice header fields the issue's target names: number, dates, currency, totals, vendor.
HEADER_FIELDS = frozenset(
    {
        FieldName.INVOICE_NUMBER,
        FieldName.ISSUE_DATE,
        FieldName.DUE_DATE,
        FieldName.CURRENCY,
        FieldName.TOTAL,
        FieldName.NET_TOTAL,
        FieldName.TAX_TOTAL,
        FieldName.VENDOR_NAME,
    }
)

HEADER_GROUPS = frozenset({"invoice", "credit_note"})

FUZZY_FIELDS = frozenset(
    {
        FieldName.VENDOR_NAME,
        FieldName.VENDOR_ADDRESS,
        FieldName.CUSTOMER_NAME,
        PARTIES,
        FieldName.TITLE,
    }
)
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
