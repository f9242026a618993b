"""Sums that must hold: net + tax = total, line items add up to the net, quantity x price."""

from __future__ import annotations

from decimal import Decimal

from doclane.core.fields import FieldName
from doclane.core.model import Extraction, LineItem, Severity, ValidationIssue
from doclane.core.validate.values import amount_of, decimal_of

TOTALS_TOLERANCE = Decimal("0.02")
_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")  # a unit price printed to the cent is off by at most this


def totals_mismatch(extraction: Extraction) -> list[ValidationIssue]:
    """Net + tax = total, or net + tax + charges when freight and handling come after tax."""
    total, net, tax = (
        amount_of(extraction, name)
        for name in (FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL)
    )
    if total is None or net is None or tax is None:
        return []
    charges = amount_of(extraction, FieldName.CHARGES_TOTAL) or Decimal(0)
    if any(abs(net + tax + extra - total) <= TOTALS_TOLERANCE for extra in (Decimal(0), charges)):
        return []
    return [
        ValidationIssue(
            code="totals_do_not_add_up",
            severity=Severity.ERROR,
            message=f"Net amount {net} plus tax {tax} does not equal the total {total}.",
            field=FieldName.TOTAL,
        )
    ]


def zero_total(extraction: Extraction) -> list[ValidationIssue]:
    """A total of zero on a document whose items or net amount are not: a balance line was read."""
    total = amount_of(extraction, FieldName.TOTAL)
    if total is None or total != 0:
        return []
    items = [decimal_of(item.amount) for item in extraction.line_items]
    items_sum = sum((amount for amount in items if amount is not None), Decimal(0))
    net = amount_of(extraction, FieldName.NET_TOTAL) or Decimal(0)
    owed = max(abs(items_sum), abs(net))
    if owed == 0:
        return []
    return [
        ValidationIssue(
            code="zero_total",
            severity=Severity.ERROR,
            message=f"The total is 0.00, but the document's amounts come to {owed:.2f}; "
            "the total was probably read from a balance or amount-paid line.",
            field=FieldName.TOTAL,
        )
    ]


def line_items_against_net(extraction: Extraction) -> list[ValidationIssue]:
    """The item amounts should add up to the stated sum of the lines, else to the net amount
    (or the total when no tax is shown).

    A warning, not an error: discounts, freight or charges printed outside the
    item table legitimately make the items and the net differ.
    """
    amounts = [decimal_of(item.amount) for item in extraction.line_items]
    if not amounts or any(amount is None for amount in amounts):
        return []
    items_sum = sum(amounts, Decimal(0))  # type: ignore[arg-type]  # None excluded above
    net, target_name = amount_of(extraction, FieldName.LINES_TOTAL), "sum of the lines"
    if net is None:
        net, target_name = _net_of_lines(extraction), "net amount"
    if net is None and amount_of(extraction, FieldName.TAX_TOTAL) is None:
        net, target_name = amount_of(extraction, FieldName.TOTAL), FieldName.TOTAL
    if net is None:
        return []
    tolerance = TOTALS_TOLERANCE + _HALF_CENT * len(amounts)
    if abs(items_sum - net) <= tolerance:
        return []
    return [
        ValidationIssue(
            code="line_items_do_not_add_up",
            severity=Severity.WARNING,
            message=(
                f"The {len(amounts)} line items add up to {items_sum.quantize(_CENT)}, "
                f"not the {target_name} {net}; check for items not read or a discount or "
                "charge printed outside the item table."
            ),
            field="line_items",
        )
    ]


def _net_of_lines(extraction: Extraction) -> Decimal | None:
    """The net amount with document-level charges taken off and allowances added back.

    Charges printed after tax (total = net + tax + charges) are not in the net.
    """
    net = amount_of(extraction, FieldName.NET_TOTAL)
    if net is None:
        return None
    charges = amount_of(extraction, FieldName.CHARGES_TOTAL) or Decimal(0)
    total, tax = amount_of(extraction, FieldName.TOTAL), amount_of(extraction, FieldName.TAX_TOTAL)
    after_tax = (
        total is not None
        and tax is not None
        and abs(net + tax + charges - total) <= TOTALS_TOLERANCE
    )
    if charges and after_tax:
        charges = Decimal(0)
    allowances = amount_of(extraction, FieldName.ALLOWANCES_TOTAL) or Decimal(0)
    return net - charges + allowances


def lines_against_net(extraction: Extraction) -> list[ValidationIssue]:
    """Sum of the lines + charges - allowances = net, where an e-invoice states all of them."""
    lines, net = amount_of(extraction, FieldName.LINES_TOTAL), _net_of_lines(extraction)
    if lines is None or net is None or abs(lines - net) <= TOTALS_TOLERANCE:
        return []
    return [
        ValidationIssue(
            code="net_does_not_match_lines",
            severity=Severity.ERROR,
            message=f"The lines add up to {lines}, but the net amount less charges plus "
            f"allowances is {net}.",
            field=FieldName.NET_TOTAL,
        )
    ]


def line_item_arithmetic(extraction: Extraction) -> list[ValidationIssue]:
    """Quantity x unit price = amount on every item that shows all three."""
    wrong = [
        (position, item)
        for position, item in enumerate(extraction.line_items, start=1)
        if _product_differs(item)
    ]
    if not wrong:
        return []
    shown = ", ".join(str(position) for position, _ in wrong[:5])
    more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
    return [
        ValidationIssue(
            code="line_item_amount_mismatch",
            severity=Severity.WARNING,
            message=f"On line item {shown}{more} quantity times unit price is not the amount.",
            field="line_items",
        )
    ]


def _product_differs(item: LineItem) -> bool:
    quantity, price, amount = (
        decimal_of(item.quantity),
        decimal_of(item.unit_price),
        decimal_of(item.amount),
    )
    if quantity is None or price is None or amount is None or quantity == 0:
        return False
    tolerance = _CENT + _HALF_CENT * abs(quantity)
    return abs(quantity * price - amount) > tolerance
