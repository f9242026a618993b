"""The evaluation as JSON, and the predictions as JSON lines anyone can score independently."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from doclane.evaluation.calibration import Calibration, ConfidenceReport
from doclane.evaluation.runner import Prediction
from doclane.evaluation.scoring import ClassificationScores, Counts
from doclane.evaluation.summary import CorpusEvaluation, GroupScores


def evaluation_json(evaluations: Sequence[CorpusEvaluation]) -> dict[str, Any]:
    return {"corpora": [_corpus_json(evaluation) for evaluation in evaluations]}


def _corpus_json(evaluation: CorpusEvaluation) -> dict[str, Any]:
    throughput = evaluation.throughput
    return {
        "name": evaluation.name,
        "root": str(evaluation.root),
        "documents": throughput.documents,
        "options": asdict(evaluation.options),
        "throughput": {
            "processes": throughput.processes,
            "wall_seconds": round(throughput.wall_seconds, 3),
            "docs_per_second_total": throughput.total_per_second,
            "docs_per_second_per_process": throughput.core_per_second,
            "docs_per_second_by_process": list(throughput.per_process().values()),
            "core_seconds": round(sum(throughput.core_seconds.values()), 3),
        },
        "classification": _classification_json(evaluation.classification),
        "fields": _groups_json(evaluation.fields),
        "fields_text_layer": _groups_json(evaluation.text_layer_fields)
        if evaluation.text_layer_fields
        else None,
        "documents_with_attachments": evaluation.documents_with_attachments,
        "confidence": _confidence_json(evaluation.confidence),
        "errors": [
            {"path": path, "stage": error.stage, "reason": error.reason}
            for path, error in evaluation.errors
        ],
    }


def _confidence_json(report: ConfidenceReport) -> dict[str, Any]:
    return {
        "doc_type": _calibration_json(report.doc_type),
        "fields": _calibration_json(report.fields),
        "routing": {**asdict(report.routing), "routed_share": report.routing.routed_share},
    }


def _calibration_json(calibration: Calibration) -> dict[str, Any]:
    return {
        "count": calibration.count,
        "accuracy": calibration.accuracy,
        "mean_confidence": calibration.mean_confidence,
        "expected_calibration_error": calibration.expected_calibration_error,
        "bins": [asdict(row) for row in calibration.bins],
    }


def _classification_json(scores: ClassificationScores) -> dict[str, Any]:
    return {
        "accuracy": scores.accuracy,
        "macro_f1": scores.macro_f1,
        "macro_f1_true_classes": scores.macro_f1_true,
        "classes": list(scores.labels),
        "scored_as_other": dict(scores.scored_as_other),
        "confusion": [list(row) for row in scores.confusion],  # rows: true, columns: predicted
        "per_class": {
            score.label: {**_counts_json(score.counts), "support": score.support}
            for score in scores.per_class
        },
    }


def _groups_json(groups: Sequence[GroupScores]) -> dict[str, Any]:
    return {
        group.doc_type: {
            "documents": group.documents,
            "fields": {
                score.name: {
                    **_counts_json(score.exact),
                    "fuzzy": _counts_json(score.fuzzy) if score.fuzzy is not None else None,
                }
                for score in group.fields
            },
            "micro": _counts_json(group.micro),
            "header": _counts_json(group.header) if group.header is not None else None,
        }
        for group in groups
    }


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {
        "tp": counts.tp,
        "fp": counts.fp,
        "fn": counts.fn,
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
    }


def prediction_json(corpus: str, prediction: Prediction) -> dict[str, Any]:
    """One document: its manifest path, true and predicted type, and every extracted field."""
    return {
        "corpus": corpus,
        "path": prediction.path,
        "true_doc_type": prediction.true_doc_type,
        "predicted_doc_type": prediction.doc_type,
        "confidence": prediction.confidence,
        "extracted_as": prediction.extracted_as,
        "fields": prediction.fields,
        "field_confidences": prediction.field_confidences,
        "values": prediction.values,
        "parties": list(prediction.parties),
        "fields_without_xml": prediction.text_layer_fields,
        "issues": list(prediction.issue_codes),
        "review_reasons": list(prediction.review_reasons),
        "error": asdict(prediction.error) if prediction.error is not None else None,
        "seconds": round(prediction.seconds, 4),
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_json_lines(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
