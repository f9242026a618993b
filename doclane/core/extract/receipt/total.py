"""The amount a receipt's customer paid: the printed amount with the most evidence.

Each distinct amount on the slip is a candidate with named features
(`receipt_total_evidence`). The rules weigh them with `RULE_WEIGHTS`: a total
label tied to the amount counts most, a label of a subtotal, tax, rounding,
cash or change against it; cash minus change, repetition and being the largest
amount not handed over back it up. The weights are data, tested in
`tests/unit/understanding/test_receipt_total.py`.

When a learned model ships (`receipt_total_model`), its weights replace the
rule weights; the rules stay the fallback and the prior the training starts from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from doclane.core.extract.receipt.total_evidence import TotalCandidate, total_candidates
from doclane.core.extract.receipt.total_model import active_total_model
from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import format_amount

RULE_WEIGHTS: Mapping[str, float] = {
    "same_line:total_due": 5.0,
    "same_line:total_with_tax": 4.5,
    "same_line:total": 4.0,
    "aligned:total_due": 4.5,
    "aligned:total_with_tax": 4.0,
    "aligned:total": 3.5,
    "next_line:total_due": 3.5,
    "next_line:total_with_tax": 3.0,
    "next_line:total": 2.5,
    **{
        f"{tie}:{role}": weight
        for tie in ("same_line", "aligned", "next_line")
        for role, weight in (
            ("subtotal", -1.5),
            ("tax", -3.0),
            ("discount", -3.0),
            ("rounding", -3.0),
            ("quantity", -4.0),
            ("tender", -1.5),
            ("change", -3.0),
        )
    },
    "cash_minus_change": 4.0,
    "last_total_due": 1.5,
    "last_total_with_tax": 1.0,
    "last_total": 0.5,
    "last_of_all_totals": 1.0,
    "sum_of_previous": 1.5,
    "after_rounding": 2.0,
    "before_rounding": -2.0,
    "tender_triple": 3.0,
    "exact_payment": 1.5,
    "repeated": 0.5,
    "repeated_twice": 0.5,
    "largest": 0.5,
    "largest_not_tendered": 1.5,
    "lower_half": 0.3,
    "last_quarter": 0.0,
    "round_number": 0.0,
    "negative_or_zero": -10.0,
    "unlabelled": 0.0,
}
RULE_SCALE = 1 / 3
"""The rule weights times this are on the scale of learned weights (log-odds), and are the
prior the training starts from and shrinks towards."""


def receipt_total(lines: tuple[Located, ...]) -> ExtractedField | None:
    candidates = total_candidates(lines)
    if not candidates:
        return None
    model = active_total_model()
    if model is None:
        return choose_total(lines, candidates, RULE_WEIGHTS, scale=RULE_SCALE)
    return choose_total(lines, candidates, model.weights)


def choose_total(
    lines: tuple[Located, ...],
    candidates: list[TotalCandidate],
    weights: Mapping[str, float],
    *,
    scale: float = 1.0,
) -> ExtractedField:
    """The best-scoring candidate; later amounts win ties.

    The confidence is the winner's probability under a softmax over all
    candidates' scores: near 1 when one amount has all the evidence.
    """
    scores = [scale * score(c.features, weights) for c in candidates]
    best = max(range(len(candidates)), key=lambda i: (scores[i], candidates[i].shown_by.position))
    top = scores[best]
    confidence = 1 / sum(math.exp(s - top) for s in scores)
    winner = candidates[best]
    return ExtractedField(
        FieldName.TOTAL,
        winner.shown_by.raw,
        format_amount(winner.value),
        round(confidence, 3),
        lines[winner.shown_by.position].provenance(),
    )


def score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())
