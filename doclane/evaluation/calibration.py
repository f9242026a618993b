"""Does a confidence mean what it says? Reliability bins, expected calibration error, review routing.

A well-calibrated 0.8 is right about 80% of the time. The same numbers show
whether a review threshold separates the documents a person should check from
the ones that can pass straight through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    lower: float
    upper: float  # inclusive for the last bin
    count: int
    mean_confidence: float | None
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class Calibration:
    bins: tuple[ReliabilityBin, ...]
    count: int
    accuracy: float | None
    mean_confidence: float | None
    expected_calibration_error: float | None  # sum over bins of share x |accuracy - confidence|


def calibrate(
    outcomes: Iterable[tuple[float, bool]], edges: Sequence[float] = DEFAULT_EDGES
) -> Calibration:
    """Reliability of (confidence, was it right) pairs."""
    pairs = list(outcomes)
    buckets: list[list[tuple[float, bool]]] = [[] for _ in edges[1:]]
    for confidence, correct in pairs:
        buckets[_bin_index(confidence, edges)].append((confidence, correct))
    bins = tuple(
        ReliabilityBin(lower, upper, len(bucket), _mean_confidence(bucket), _accuracy(bucket))
        for lower, upper, bucket in zip(edges[:-1], edges[1:], buckets, strict=True)
    )
    ece = None
    if pairs:
        ece = sum(
            b.count / len(pairs) * abs((b.accuracy or 0.0) - (b.mean_confidence or 0.0))
            for b in bins
            if b.count
        )
    return Calibration(bins, len(pairs), _accuracy(pairs), _mean_confidence(pairs), ece)


def _bin_index(confidence: float, edges: Sequence[float]) -> int:
    for index, upper in enumerate(edges[1:-1]):
        if confidence < upper:
            return index
    return len(edges) - 2


def _mean_confidence(pairs: Sequence[tuple[float, bool]]) -> float | None:
    return sum(c for c, _ in pairs) / len(pairs) if pairs else None


def _accuracy(pairs: Sequence[tuple[float, bool]]) -> float | None:
    return sum(1 for _, ok in pairs if ok) / len(pairs) if pairs else None


@dataclass(frozen=True, slots=True)
class Routing:
    """What the review rules did with the documents: how many went to a person, and was it right."""

    threshold: float
    documents: int
    routed: int
    # Share of labelled fields extracted exactly right, in the documents let through and routed.
    accepted_field_accuracy: float | None
    routed_field_accuracy: float | None
    # Share of documents typed right, let through and routed.
    accepted_type_accuracy: float | None
    routed_type_accuracy: float | None

    @property
    def routed_share(self) -> float | None:
        return self.routed / self.documents if self.documents else None


@dataclass(frozen=True, slots=True)
class RoutedDocument:
    routed: bool
    type_correct: bool
    fields_right: int
    fields_labelled: int


def summarise_routing(documents: Sequence[RoutedDocument], threshold: float) -> Routing:
    accepted = [d for d in documents if not d.routed]
    routed = [d for d in documents if d.routed]
    return Routing(
        threshold=threshold,
        documents=len(documents),
        routed=len(routed),
        accepted_field_accuracy=_field_accuracy(accepted),
        routed_field_accuracy=_field_accuracy(routed),
        accepted_type_accuracy=_type_accuracy(accepted),
        routed_type_accuracy=_type_accuracy(routed),
    )


def _field_accuracy(documents: Sequence[RoutedDocument]) -> float | None:
    labelled = sum(d.fields_labelled for d in documents)
    return sum(d.fields_right for d in documents) / labelled if labelled else None


def _type_accuracy(documents: Sequence[RoutedDocument]) -> float | None:
    return sum(d.type_correct for d in documents) / len(documents) if documents else None


@dataclass(frozen=True, slots=True)
class ConfidenceReport:
    """Calibration of type and field confidences, and what the review rules did, for one run."""

    doc_type: Calibration
    fields: Calibration  # every labelled field that was predicted: right after normalisation?
    routing: Routing
