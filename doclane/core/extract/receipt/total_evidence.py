"""The evidence that a printed amount is the receipt's total, as named features per amount.

Each amount carries the roles of the labels tied to it (`receipt_label_ties`:
on its line, on the line before, or in the same place of a column of labels)
and the evidence of arithmetic and rank: the cash tendered minus the change;
the first of three amounts in a row where the second minus the third gives
the first; an amount after a rounding adjustment; the sum of the amounts
before it; the amount of the latest total label; the largest amount not
handed over.

Features are numbers in [0, 1] so that hand-set weights (the rules) and learned
weights (a logistic regression) read them alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from doclane.core.extract.receipt.amounts import PrintedAmount, Role, read_slip
from doclane.core.extract.receipt.label_ties import TIES, Tie, label_ties
from doclane.core.extract.shared.lines import Located

_TOTALS = frozenset({Role.TOTAL_DUE, Role.TOTAL_WITH_TAX, Role.TOTAL})
_REPORTED_ROLES = (
    Role.TOTAL_DUE,
    Role.TOTAL_WITH_TAX,
    Role.TOTAL,
    Role.SUBTOTAL,
    Role.TAX,
    Role.DISCOUNT,
    Role.ROUNDING,
    Role.QUANTITY,
    Role.TENDER,
    Role.CHANGE,
)
_VALUE_FEATURES = (
    "cash_minus_change",
    "last_total_due",
    "last_total_with_tax",
    "last_total",
    "last_of_all_totals",
    "sum_of_previous",
    "after_rounding",
    "before_rounding",
    "tender_triple",
    "exact_payment",
    "repeated",
    "repeated_twice",
    "largest",
    "largest_not_tendered",
    "lower_half",
    "last_quarter",
    "round_number",
    "negative_or_zero",
    "unlabelled",
)
FEATURE_NAMES: tuple[str, ...] = (
    *(f"{tie}:{role}" for tie in TIES for role in _REPORTED_ROLES),
    *_VALUE_FEATURES,
)
"""Every feature a candidate can carry; absent ones are 0."""


@dataclass
class TotalCandidate:
    """A distinct amount of the slip with its evidence and the line that best shows it."""

    value: Decimal
    shown_by: PrintedAmount
    features: dict[str, float] = field(default_factory=dict)


def total_candidates(lines: tuple[Located, ...]) -> list[TotalCandidate]:
    """One candidate per distinct amount printed, in order of first appearance."""
    slip = read_slip(lines)
    printed = [amount for line in slip for amount in line.amounts]
    if not printed:
        return []
    ties = label_ties(slip)
    candidates: dict[Decimal, TotalCandidate] = {}
    for amount in printed:
        candidate = candidates.setdefault(amount.value, TotalCandidate(amount.value, amount))
        for tie, role, _ in ties.get(amount, ()):
            if role in _REPORTED_ROLES:
                candidate.features[f"{tie}:{role}"] = 1.0
                if role in _TOTALS:
                    candidate.shown_by = amount
    _add_value_features(candidates, printed, ties, len(lines))
    return list(candidates.values())


def _add_value_features(
    candidates: dict[Decimal, TotalCandidate],
    printed: list[PrintedAmount],
    ties: dict[PrintedAmount, list[Tie]],
    line_count: int,
) -> None:
    values = [amount.value for amount in printed]
    members = _value_sets(values, ties)
    counts = Counter(values)
    last_seen = {amount.value: amount.position for amount in printed}
    for value, candidate in candidates.items():
        flags = {
            "repeated": counts[value] >= 2,
            "repeated_twice": counts[value] >= 3,
            "lower_half": last_seen[value] >= line_count / 2,
            "last_quarter": last_seen[value] >= line_count * 3 / 4,
            "round_number": value == value.to_integral_value() and value % 5 == 0,
            "negative_or_zero": value <= 0,
            "unlabelled": not candidate.features,
        }
        candidate.features.update({name: 1.0 for name, on in flags.items() if on})
        candidate.features.update({name: 1.0 for name, group in members.items() if value in group})


def _value_sets(
    values: list[Decimal], ties: dict[PrintedAmount, list[Tie]]
) -> dict[str, set[Decimal | None]]:
    """Feature name -> the amounts that have it, for the features of arithmetic and rank."""
    tendered, changes, roundings = (
        {a.value for a, found in ties.items() if any(t.role is role for t in found)}
        for role in (Role.TENDER, Role.CHANGE, Role.ROUNDING)
    )
    runs = list(zip(values, values[1:], values[2:], strict=False))
    triples = {v for v, cash, change in runs if 0 < v < cash and change > 0 and cash - change == v}
    first_seen: dict[Decimal, int] = {}
    for index, value in enumerate(values):
        first_seen.setdefault(value, index)
    rounded = {
        (v, v - r)
        for v in first_seen
        for r in roundings - {Decimal(0)}
        if v > 0 and v - r in first_seen and first_seen[v - r] < first_seen[v]
    }
    handed_over = tendered | {cash for v, cash, _ in runs if v in triples}
    not_handed = [v for v in values if v not in handed_over] or values
    return {
        "cash_minus_change": {t - c for t in tendered for c in changes if t - c > 0},
        "sum_of_previous": _sums_of_previous(values),
        "after_rounding": {after for after, _ in rounded},
        "before_rounding": {before for _, before in rounded},
        "tender_triple": triples,
        "exact_payment": {v for v, cash, change in runs if v > 0 and cash == v and change == 0},
        "largest": {max(values)},
        "largest_not_tendered": {max(not_handed)},
        **{
            f"last_{role}": {_value_of_last_label(ties, {role})}
            for role in (Role.TOTAL_DUE, Role.TOTAL_WITH_TAX, Role.TOTAL)
        },
        "last_of_all_totals": {_value_of_last_label(ties, _TOTALS)},
    }


def _value_of_last_label(
    ties: dict[PrintedAmount, list[Tie]], roles: Collection[Role]
) -> Decimal | None:
    """The amount tied to the latest label of `roles` (a later total is the more final one)."""
    latest = [
        (tie.label_at, amount.value)
        for amount, found in ties.items()
        for tie in found
        if tie.role in roles and amount.value > 0
    ]
    return max(latest)[1] if latest else None


_LONGEST_RUN = 40  # items summed into a total: more are rare on a till slip


def _sums_of_previous(values: list[Decimal]) -> set[Decimal]:
    """Amounts equal to the sum of two or more amounts printed just before them."""
    found = set()
    for end, value in enumerate(values):
        if value <= 0:
            continue
        running = Decimal(0)
        for start in range(end - 1, max(-1, end - 1 - _LONGEST_RUN), -1):
            running += values[start]
            if end - start >= 2 and running == value:
                found.add(value)
                break
    return found
