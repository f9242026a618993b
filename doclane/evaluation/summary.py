"""Score a run: predictions against labels, per class and per field, grouped by the label's type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from doclane.core.model import DocType
from doclane.evaluation.calibration import (
    ConfidenceReport,
    RoutedDocument,
    calibrate,
    summarise_routing,
)
from doclane.evaluation.corpus import CorpusDocument
from doclane.evaluation.fields import HEADER_FIELDS, HEADER_GROUPS, LINE_ITEMS, field_sort_key
from doclane.evaluation.runner import DocumentError, Prediction, RunOptions, RunResult
from doclane.evaluation.scoring import (
    ClassificationScores,
    Counts,
    FieldMatch,
    FieldScore,
    compare_document,
    score_classification,
    score_fields,
    total,
)

# What the classifier can answer; other label types are scored as "other".
TAXONOMY = frozenset(str(doc_type) for doc_type in DocType)


@dataclass(frozen=True, slots=True)
class Mismatch:
    path: str
    match: FieldMatch


@dataclass(frozen=True, slots=True)
class GroupScores:
    """Field scores of the documents whose label has one doc_type."""

    doc_type: str
    documents: int
    fields: tuple[FieldScore, ...]
    mismatches: Mapping[str, tuple[Mismatch, ...]]  # field -> the first few wrong or missed

    @property
    def micro(self) -> Counts:
        """Exact counts summed over every field of the group; item rows are scored apart."""
        return total(score.exact for score in self.fields if score.name != LINE_ITEMS)

    @property
    def header(self) -> Counts | None:
        """The same over the header fields, for invoices and credit notes."""
        if self.doc_type not in HEADER_GROUPS:
            return None
        scores = [score.exact for score in self.fields if score.name in HEADER_FIELDS]
        return total(scores) if scores else None


@dataclass(frozen=True, slots=True)
class Throughput:
    documents: int
    processes: int
    wall_seconds: float  # the whole run, pool start-up included
    core_seconds: Mapping[int, float]  # process id -> read + classify + extract time
    core_documents: Mapping[int, int]  # process id -> documents

    @property
    def total_per_second(self) -> float | None:
        return self.documents / self.wall_seconds if self.wall_seconds else None

    @property
    def core_per_second(self) -> float | None:
        """Documents per second of core time: what one process sustains."""
        seconds = sum(self.core_seconds.values())
        return self.documents / seconds if seconds else None

    def per_process(self) -> dict[int, float | None]:
        """Documents per second of core time, per process."""
        return {
            pid: (self.core_documents[pid] / seconds if seconds else None)
            for pid, seconds in sorted(self.core_seconds.items())
        }


@dataclass(frozen=True, slots=True)
class CorpusEvaluation:
    name: str
    root: Path
    options: RunOptions
    classification: ClassificationScores
    fields: tuple[GroupScores, ...]
    # The same with embedded XML switched off, for the groups where some document carries it.
    text_layer_fields: tuple[GroupScores, ...]
    documents_with_attachments: int
    errors: tuple[tuple[str, DocumentError], ...]
    throughput: Throughput
    confidence: ConfidenceReport


def evaluate_run(
    name: str,
    root: Path,
    documents: Sequence[CorpusDocument],
    run: RunResult,
    options: RunOptions,
    *,
    examples: int = 0,
) -> CorpusEvaluation:
    """Everything the report prints, from the documents and their predictions (same order)."""
    pairs = list(zip(documents, run.predictions, strict=True))
    with_attachments = [p for _, p in pairs if p.text_layer_fields is not None]
    text_layer_types = {p.true_doc_type for p in with_attachments}
    return CorpusEvaluation(
        name=name,
        root=root,
        options=options,
        classification=score_classification(
            [(p.true_doc_type, p.doc_type) for _, p in pairs], taxonomy=TAXONOMY
        ),
        fields=score_groups(pairs, _as_predicted, examples=examples),
        text_layer_fields=score_groups(
            [(doc, p) for doc, p in pairs if doc.doc_type in text_layer_types],
            _from_text_layer,
            examples=examples,
        ),
        documents_with_attachments=len(with_attachments),
        errors=tuple((p.path, p.error) for _, p in pairs if p.error is not None),
        throughput=_throughput(run),
        confidence=confidence_report(pairs, options),
    )


PredictedValues = tuple[Mapping[str, str], Sequence[Mapping[str, str]]]  # fields, line items


def _as_predicted(prediction: Prediction) -> PredictedValues:
    return prediction.fields, prediction.line_items


def _from_text_layer(prediction: Prediction) -> PredictedValues:
    """With embedded XML off; a document without attachments has only its text layer anyway."""
    if prediction.text_layer_fields is None:
        return _as_predicted(prediction)
    return prediction.text_layer_fields, prediction.text_layer_line_items


def _compare(
    document: CorpusDocument, prediction: Prediction, values: PredictedValues
) -> tuple[FieldMatch, ...]:
    fields, line_items = values
    label = document.label
    return compare_document(
        label.fields,
        label.parties,
        fields,
        prediction.parties,
        label_line_items=label.line_items,
        predicted_line_items=line_items,
    )


def confidence_report(
    pairs: Sequence[tuple[CorpusDocument, Prediction]], options: RunOptions
) -> ConfidenceReport:
    """Are the confidences calibrated, and does review catch the documents that are wrong?"""
    type_outcomes = []
    field_outcomes = []
    routed = []
    for document, prediction in pairs:
        type_correct = prediction.doc_type == _scored_type(prediction.true_doc_type)
        type_outcomes.append((prediction.confidence, type_correct))
        matches = _compare(document, prediction, _as_predicted(prediction))
        for match in matches:
            confidence = prediction.field_confidences.get(match.name)
            if match.predicted is not None and confidence is not None:
                field_outcomes.append((confidence, bool(match.exact.tp)))
        routed.append(
            RoutedDocument(
                routed=bool(prediction.review_reasons),
                type_correct=type_correct,
                fields_right=sum(match.exact.tp for match in matches),
                fields_labelled=sum(match.exact.labelled for match in matches),
            )
        )
    return ConfidenceReport(
        doc_type=calibrate(type_outcomes),
        fields=calibrate(field_outcomes),
        routing=summarise_routing(routed, options.review_policy.type_confidence),
    )


def _scored_type(true_doc_type: str) -> str:
    return true_doc_type if true_doc_type in TAXONOMY else str(DocType.OTHER)


def score_groups(
    pairs: Sequence[tuple[CorpusDocument, Prediction]],
    values_of: Callable[[Prediction], PredictedValues],
    *,
    examples: int = 0,
) -> tuple[GroupScores, ...]:
    """Field scores per label doc_type; groups whose labels carry no fields are left out."""
    matches: dict[str, list[FieldMatch]] = defaultdict(list)
    mismatches: dict[str, dict[str, list[Mismatch]]] = defaultdict(lambda: defaultdict(list))
    documents: dict[str, int] = defaultdict(int)
    for document, prediction in pairs:
        label = document.label
        documents[label.doc_type] += 1
        found = _compare(document, prediction, values_of(prediction))
        matches[label.doc_type].extend(found)
        for match in found:
            wrong = mismatches[label.doc_type][match.name]
            if (match.exact.fp or match.exact.fn) and len(wrong) < examples:
                wrong.append(Mismatch(document.path, match))
    return tuple(
        GroupScores(
            doc_type=doc_type,
            documents=documents[doc_type],
            fields=score_fields(matches[doc_type]),
            mismatches={
                name: tuple(found)
                for name, found in sorted(mismatches[doc_type].items(), key=_by_field)
            },
        )
        for doc_type in sorted(matches)
        if matches[doc_type]
    )


def _by_field(item: tuple[str, object]) -> tuple[int, str]:
    return field_sort_key(item[0])


def _throughput(run: RunResult) -> Throughput:
    seconds: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for prediction in run.predictions:
        seconds[prediction.worker] += prediction.seconds
        counts[prediction.worker] += 1
    return Throughput(
        documents=len(run.predictions),
        processes=run.processes,
        wall_seconds=run.wall_seconds,
        core_seconds=dict(seconds),
        core_documents=dict(counts),
    )
