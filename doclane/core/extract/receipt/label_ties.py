"""Which label speaks of which amount on a till slip.

OCR of till slips often prints a column of labels and then the column of their
amounts ("TOTAL", "CASH", "CHANGE", "9.00", "10.00", "1.00"), so a label is
tied to an amount in three ways: on the same line; in the next line holding an
amount; or, for a block of labels followed by a block of as many lone amounts,
by their order. Fillers (":", "RM") and a word or two without a role
("INCLUSIVE") may stand among the labels.
"""

from __future__ import annotations

from typing import NamedTuple

from doclane.core.extract.receipt.amounts import PrintedAmount, Role, SlipLine

LABEL_ROLES = frozenset(Role) - {Role.COLUMN, Role.FILLER, Role.NONE}
TIES = ("same_line", "aligned", "next_line")


class Tie(NamedTuple):
    """A label tied to an amount: how, the label's role and the label's line."""

    how: str  # one of TIES
    role: Role
    label_at: int


def label_ties(slip: tuple[SlipLine, ...]) -> dict[PrintedAmount, list[Tie]]:
    ties: dict[PrintedAmount, list[Tie]] = {}
    for position, line in enumerate(slip):
        if line.amounts and line.role in LABEL_ROLES:
            ties.setdefault(line.amounts[-1], []).append(Tie("same_line", line.role, position))
    position = 0
    while position < len(slip):
        if slip[position].has_value or slip[position].role not in LABEL_ROLES:
            position += 1
            continue
        labels, values, position = _block_at(slip, position)
        if len(labels) == len(values) and len(labels) > 1:
            for label, value in zip(labels, values, strict=True):
                ties.setdefault(value, []).append(Tie("aligned", slip[label].role, label))
        elif values:
            label = labels[-1]
            ties.setdefault(values[0], []).append(Tie("next_line", slip[label].role, label))
    return ties


def _block_at(slip: tuple[SlipLine, ...], start: int) -> tuple[list[int], list[PrintedAmount], int]:
    """A run of label lines from `start` and the run of lone amounts after it."""
    labels: list[int] = []
    position = start
    while position < len(slip) and not slip[position].has_value:
        role = slip[position].role
        if role in LABEL_ROLES:
            labels.append(position)
        elif role is not Role.FILLER and not slip[position].aside:
            break  # a word without a role ("INCLUSIVE", "REASON:") is passed over
        position += 1
    values: list[PrintedAmount] = []
    while position < len(slip):
        line = slip[position]
        if line.role is Role.FILLER and not line.amounts:
            position += 1
            continue
        if len(line.amounts) != 1 or not line.amounts[0].alone:
            break
        values.append(line.amounts[0])
        position += 1
    return labels, values, max(position, start + 1)
