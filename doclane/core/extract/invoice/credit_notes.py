"""The sign convention for credit notes: amounts are magnitudes, the type says they are credited.

A credit note's total, net, tax and item amounts come out positive, as UBL
CreditNote and CII type 381 state them, whether the page prints them with a
minus ("-233,47", "233,47-") or the XML carries a negative value. The value as
written keeps its sign; the normalised value drops it. Invoices keep their
signs: a correction invoice (CII 384) that reduces an earlier one is negative.
"""

from __future__ import annotations

from dataclasses import replace

from doclane.core.fields import FieldName
from doclane.core.model import Extraction, LineItem

AMOUNTS = frozenset(
    {
        FieldName.TOTAL,
        FieldName.NET_TOTAL,
        FieldName.TAX_TOTAL,
        FieldName.LINES_TOTAL,
        FieldName.CHARGES_TOTAL,
        FieldName.ALLOWANCES_TOTAL,
    }
)


def as_credited(extraction: Extraction) -> Extraction:
    """The extraction of a credit note with every amount a magnitude."""
    fields = tuple(
        replace(f, normalized=_magnitude(f.normalized)) if f.name in AMOUNTS else f
        for f in extraction.fields
    )
    items = tuple(_item_magnitudes(item) for item in extraction.line_items)
    return Extraction(fields=fields, line_items=items)


def _item_magnitudes(item: LineItem) -> LineItem:
    return replace(
        item,
        quantity=_magnitude(item.quantity),
        unit_price=_magnitude(item.unit_price),
        amount=_magnitude(item.amount),
    )


def _magnitude(value: str | None) -> str | None:
    return value.strip("-") if value is not None else None
