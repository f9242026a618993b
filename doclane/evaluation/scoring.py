"""Pure metric functions: counts, precision/recall/F1, classification and field scores.

Field rules: a labelled field that is predicted and matches is a true positive;
predicted but wrong is a false positive and a false negative; not predicted is
a false negative. A field the label does not carry is unknown and not scored,
whatever was predicted. Contract parties are scored as a set of names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from rapidfuzz import fuzz

from doclane.core.fields import FieldName
from doclane.evaluation.fields import (
    FUZZY_FIELDS,
    FUZZY_THRESHOLD,
    LINE_ITEMS,
    PARTIES,
    field_sort_key,
    normalize_party,
    normalize_value,
)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def labelled(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: undefined, not zero."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


# -- classification -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    counts: Counts

    @property
    def support(self) -> int:
        return self.counts.labelled


@dataclass(frozen=True, slots=True)
class ClassificationScores:
    labels: tuple[str, ...]  # true ∪ predicted classes, sorted
    confusion: tuple[
        tuple[int, ...], ...
    ]  # rows: true class, columns: predicted, in `labels` order
    per_class: tuple[ClassScore, ...]
    accuracy: float | None
    macro_f1: float | None  # mean F1 over `labels`, as scikit-learn's average="macro"
    macro_f1_true: float | None  # mean F1 over the classes that occur as true types
    # label types outside the taxonomy, scored as "other", with their counts
    scored_as_other: tuple[tuple[str, int], ...] = ()

    @property
    def true_labels(self) -> tuple[str, ...]:
        return tuple(score.label for score in self.per_class if score.support)


def score_classification(
    pairs: Sequence[tuple[str, str]], taxonomy: Collection[str] | None = None
) -> ClassificationScores:
    """Scores from (true type, predicted type) pairs.

    With a `taxonomy`, a true type outside it (a letter, a trade confirmation)
    counts as `other`: what the classifier must say for kinds it does not know.
    """
    outside: Counter[str] = Counter()
    if taxonomy is not None:
        outside = Counter(true for true, _ in pairs if true not in taxonomy)
        pairs = [(true if true in taxonomy else "other", pred) for true, pred in pairs]
    labels = tuple(sorted({label for pair in pairs for label in pair}))
    cells = Counter(pairs)
    confusion = tuple(tuple(cells[(true, pred)] for pred in labels) for true in labels)
    per_class = tuple(
        ClassScore(
            label,
            Counts(
                tp=cells[(label, label)],
                fp=sum(cells[(other, label)] for other in labels if other != label),
                fn=sum(cells[(label, other)] for other in labels if other != label),
            ),
        )
        for label in labels
    )
    f1s = [score.counts.f1 or 0.0 for score in per_class]
    true_f1s = [score.counts.f1 or 0.0 for score in per_class if score.support]
    return ClassificationScores(
        labels=labels,
        confusion=confusion,
        per_class=per_class,
        accuracy=_ratio(sum(cells[(label, label)] for label in labels), len(pairs)),
        macro_f1=_mean(f1s),
        macro_f1_true=_mean(true_f1s),
        scored_as_other=tuple(sorted(outside.items())),
    )


# -- fields --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """One labelled field of one document, compared with the prediction."""

    name: str
    label: str  # normalised; parties joined with " | "
    predicted: str | None  # normalised; None when not predicted
    exact: Counts
    fuzzy: Counts | None  # only for names and addresses


def fuzzy_equal(label: str, predicted: str) -> bool:
    """Token-set ratio of the folded texts at or above the threshold."""
    return fuzz.token_set_ratio(label, predicted) >= FUZZY_THRESHOLD


def compare_field(name: str, label: str, predicted: str | None) -> FieldMatch:
    expected = normalize_value(name, label)
    if predicted is None:
        missed = Counts(fn=1)
        return FieldMatch(name, expected, None, missed, missed if name in FUZZY_FIELDS else None)
    found = normalize_value(name, predicted)
    exact = _hit(expected == found)
    fuzzy = _hit(fuzzy_equal(expected, found)) if name in FUZZY_FIELDS else None
    return FieldMatch(name, expected, found, exact, fuzzy)


def _hit(matched: bool) -> Counts:
    return Counts(tp=1) if matched else Counts(fp=1, fn=1)


def compare_parties(label: Sequence[str], predicted: Sequence[str]) -> FieldMatch:
    """Parties as sets of names: each predicted name matches at most one labelled name."""
    expected = _party_set(label)
    found = _party_set(predicted)
    return FieldMatch(
        PARTIES,
        " | ".join(expected),
        " | ".join(found) if found else None,
        match_names(expected, found, str.__eq__),
        match_names(expected, found, fuzzy_equal),
    )


def _party_set(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for raw in names if (name := normalize_party(raw))))


def match_names(
    label: Sequence[_T], predicted: Sequence[_T], same: Callable[[_T, _T], bool]
) -> Counts:
    """Greedy one-to-one matching of two lists (names, item rows)."""
    unmatched = list(predicted)
    tp = 0
    for name in label:
        partner = next((other for other in unmatched if same(name, other)), None)
        if partner is not None:
            unmatched.remove(partner)
            tp += 1
    return Counts(tp=tp, fp=len(predicted) - tp, fn=len(label) - tp)


def compare_line_items(
    label: Sequence[Mapping[str, str]], predicted: Sequence[Mapping[str, str]]
) -> FieldMatch:
    """Item rows, each predicted row matching at most one labelled row.

    Exact: the amount is equal, so are quantity and unit price where both sides
    give them, and the descriptions are fuzzy-equal. Fuzzy: the amount alone.
    """
    expected = [_comparable_item(item) for item in label]
    found = [_comparable_item(item) for item in predicted]
    return FieldMatch(
        LINE_ITEMS,
        f"{len(expected)} rows",
        f"{len(found)} rows" if found else None,
        match_names(expected, found, _same_item),
        match_names(expected, found, lambda a, b: a["amount"] == b["amount"]),
    )


_ItemKey = dict[str, str]


def _comparable_item(item: Mapping[str, str]) -> _ItemKey:
    comparable = {"amount": normalize_value(FieldName.TOTAL, item.get("amount", ""))}
    if quantity := item.get("quantity"):
        comparable["quantity"] = _plain_number(quantity)
    if price := item.get("unit_price"):
        comparable["unit_price"] = normalize_value(FieldName.TOTAL, price)
    comparable["description"] = normalize_value(
        FieldName.VENDOR_NAME, item.get("description") or ""
    )
    return comparable


def _plain_number(raw: str) -> str:
    try:
        return format(Decimal(raw.strip()).normalize(), "f")
    except InvalidOperation:
        return normalize_value(FieldName.TOTAL, raw)


def _same_item(label: _ItemKey, predicted: _ItemKey) -> bool:
    if label["amount"] != predicted["amount"]:
        return False
    for key in ("quantity", "unit_price"):
        if key in label and key in predicted and label[key] != predicted[key]:
            return False
    descriptions = label["description"], predicted["description"]
    return not all(descriptions) or fuzzy_equal(*descriptions)


def compare_document(
    label_fields: Mapping[str, str],
    label_parties: Sequence[str] | None,
    predicted_fields: Mapping[str, str],
    predicted_parties: Sequence[str],
    *,
    label_line_items: Sequence[Mapping[str, str]] | None = None,
    predicted_line_items: Sequence[Mapping[str, str]] = (),
) -> tuple[FieldMatch, ...]:
    """Every labelled field of one document; unlabelled predictions are ignored."""
    matches = [
        compare_field(name, value, predicted_fields.get(name))
        for name, value in label_fields.items()
    ]
    if label_parties is not None and _party_set(label_parties):
        matches.append(compare_parties(label_parties, predicted_parties))
    if label_line_items:
        matches.append(compare_line_items(label_line_items, predicted_line_items))
    return tuple(matches)


@dataclass(frozen=True, slots=True)
class FieldScore:
    name: str
    exact: Counts
    fuzzy: Counts | None


def score_fields(matches: Iterable[FieldMatch]) -> tuple[FieldScore, ...]:
    """Per-field sums over documents, in report order."""
    exact: dict[str, Counts] = {}
    fuzzy: dict[str, Counts] = {}
    for match in matches:
        exact[match.name] = exact.get(match.name, Counts()) + match.exact
        if match.fuzzy is not None:
            fuzzy[match.name] = fuzzy.get(match.name, Counts()) + match.fuzzy
    return tuple(
        FieldScore(name, exact[name], fuzzy.get(name)) for name in sorted(exact, key=field_sort_key)
    )
