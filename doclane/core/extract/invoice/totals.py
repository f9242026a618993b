"""Choose total, net and tax together: amounts that add up beat amounts that merely sit near a label.

Each role has candidates scored by their label and placement. Every
combination of the best few per role is scored: the candidates' own scores,
plus a bonus when net + tax = total and when the item lines add up to the
net, minus penalties for impossible combinations (a total below the net).
When every combination scores alike the larger total wins: per-rate rows of
a tax breakdown add up too, but the document total is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product

from doclane.core.extract.labels.values import Candidate
from doclane.core.fields import FieldName

CONSISTENT_BONUS = 1.2
ITEMS_BONUS = 0.3
_TOP = 6
_CENT = Decimal("0.01")
_ROLES = (FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL)


@dataclass(frozen=True, slots=True)
class Totals:
    total: Candidate | None
    net: Candidate | None
    tax: Candidate | None
    consistent: bool  # net + tax (+ charges) = total, all three found
    items_agree: bool  # the item lines add up to the net
    # Freight and handling printed after tax, one per line, when net + tax + their sum = total.
    charges: tuple[Candidate, ...] = ()

    def confidence(self, candidate: Candidate) -> float:
        """How sure we are of one chosen amount, from its label and the arithmetic."""
        base = 0.25 + 0.6 * min(candidate.score, 1.0)
        if self.consistent:
            base += 0.12
        if self.items_agree and candidate is self.net:
            base += 0.05
        return round(min(base, 0.99), 3)


def choose_totals(
    candidates: dict[str, list[Candidate]], items_sum: Decimal | None = None
) -> Totals:
    """The best total/net/tax combination among `candidates` (by role name)."""
    pools = [_best(candidates.get(role, [])) for role in _ROLES]
    charge_sets = _charge_sets(candidates.get(FieldName.CHARGES_TOTAL, []))
    best: tuple[float, Decimal, tuple[Candidate | None, ...]] | None = None
    for combination in product(*[[None, *pool] for pool in pools]):
        score = _score(combination, items_sum, charge_sets)
        if score is None:
            continue
        total = combination[0]
        size = abs(Decimal(total.normalized)) if total is not None else Decimal(0)
        key = (round(score, 6), size)
        if best is None or key > best[:2]:
            best = (key[0], key[1], combination)
    if best is None:
        return Totals(None, None, None, consistent=False, items_agree=False)
    total, net, tax = best[2]
    charges = (
        () if _adds_up(total, net, tax) else _charges_that_add_up(total, net, tax, charge_sets)
    )
    return Totals(
        total,
        net,
        tax,
        consistent=_adds_up(total, net, tax) or bool(charges),
        items_agree=net is not None and items_sum is not None and _value(net) == items_sum,
        charges=charges,
    )


_MAX_CHARGE_LINES = 4


def _charge_sets(pool: list[Candidate]) -> list[tuple[tuple[Candidate, ...], Decimal]]:
    """Every non-empty set of charge lines (best amount per line) with its sum, largest first.

    A label above the totals may be a heading ("Shipping" over an address), so
    the set that makes the totals add up is searched rather than assumed.
    """
    by_line: dict[int, Candidate] = {}
    for candidate in pool:
        kept = by_line.get(candidate.position)
        if kept is None or candidate.score > kept.score:
            by_line[candidate.position] = candidate
    lines = [by_line[position] for position in sorted(by_line)][:_MAX_CHARGE_LINES]
    sets = [chosen for size in range(len(lines), 0, -1) for chosen in combinations(lines, size)]
    return [(chosen, sum((_value(c) for c in chosen), Decimal(0))) for chosen in sets]


def _charges_that_add_up(
    total: Candidate | None,
    net: Candidate | None,
    tax: Candidate | None,
    charge_sets: list[tuple[tuple[Candidate, ...], Decimal]],
) -> tuple[Candidate, ...]:
    return next((chosen for chosen, amount in charge_sets if _adds_up(total, net, tax, amount)), ())


def _best(pool: list[Candidate]) -> list[Candidate]:
    """The top candidates of a role, one per distinct value, with its best score."""
    by_value: dict[str, Candidate] = {}
    for candidate in pool:
        kept = by_value.get(candidate.normalized)
        if kept is None or candidate.score > kept.score:
            by_value[candidate.normalized] = candidate
    return sorted(by_value.values(), key=lambda c: -c.score)[:_TOP]


def _score(
    combination: tuple[Candidate | None, ...],
    items_sum: Decimal | None,
    charge_sets: list[tuple[tuple[Candidate, ...], Decimal]],
) -> float | None:
    total, net, tax = combination
    score = sum(c.score for c in combination if c is not None)
    if _adds_up(total, net, tax) or _charges_that_add_up(total, net, tax, charge_sets):
        score += CONSISTENT_BONUS
    elif total is not None and net is not None and tax is not None:
        score -= 0.5  # three amounts that do not add up: at least one is wrong
    if net is not None and items_sum is not None and _value(net) == items_sum:
        score += ITEMS_BONUS
    if total is not None and net is not None:
        if total.position == net.position and total.normalized == net.normalized:
            return None  # one printed amount cannot be both
        if abs(_value(total)) < abs(_value(net)):
            score -= 1.0
    if tax is not None and net is not None and abs(_value(tax)) > abs(_value(net)):
        score -= 0.5
    if tax is not None and total is not None and abs(_value(tax)) >= abs(_value(total)):
        score -= 0.5
    return score


def _adds_up(
    total: Candidate | None,
    net: Candidate | None,
    tax: Candidate | None,
    charges: Decimal = Decimal(0),
) -> bool:
    if total is None or net is None or tax is None:
        return False
    return abs(_value(net) + _value(tax) + charges - _value(total)) <= _CENT


def _value(candidate: Candidate) -> Decimal:
    return Decimal(candidate.normalized)
