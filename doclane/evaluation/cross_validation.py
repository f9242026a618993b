"""Score receipts the shipped total model was fitted on by K-fold cross-validation.

Scoring a learned model on its own training documents flatters it. When a
corpus holds receipts from a source collection the shipped model was fitted
on (the manifest's `source` without the document part), its receipts
are split into K folds by a stable hash of their manifest path, and each fold
is extracted again with weights fitted on the other K-1 folds (the same
training as `make train`). Other documents keep their predictions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from doclane.core.extract.receipt.total_model import shipped_total_model, using_total_model
from doclane.evaluation.corpus import Corpus, CorpusDocument
from doclane.evaluation.runner import RunOptions, RunResult, run_corpus

DEFAULT_FOLDS = 5
RECEIPT = "receipt"


@dataclass(frozen=True, slots=True)
class CrossValidation:
    folds: int
    receipts: int  # receipts re-extracted fold by fold
    seen: int  # of them, in the shipped model's training set

    def describe(self) -> str:
        return (
            f"Receipts above scored by {self.folds}-fold cross-validation of the learned total model: "
            f"{self.seen} of the {self.receipts} receipts are in the shipped model's training "
            f"set, so each fold was extracted with weights fitted on the other folds."
        )


def fold_of(path: str, folds: int) -> int:
    """The fold of a document: stable across runs, machines and manifest order."""
    return int(hashlib.sha256(path.encode("utf-8")).hexdigest()[:12], 16) % folds


def cross_validate_receipts(
    corpus: Corpus,
    documents: Sequence[CorpusDocument],
    result: RunResult,
    options: RunOptions,
    *,
    folds: int = DEFAULT_FOLDS,
) -> tuple[RunResult, CrossValidation | None]:
    """`result` with its receipts re-extracted by fold when the shipped model has seen any."""
    from doclane.evaluation.training.receipt_total import fit_total_model, training_receipts

    model = shipped_total_model()
    receipts = [document for document in documents if document.doc_type == RECEIPT]
    if model is None or folds < 2 or not receipts:
        return result, None
    seen = sum(document.collection in model.training_sources for document in receipts)
    if not seen:
        return result, None
    replaced = {}
    for fold in range(folds):
        held_out = [doc for doc in receipts if fold_of(doc.path, folds) == fold]
        if not held_out:
            continue
        rest = [doc for doc in receipts if fold_of(doc.path, folds) != fold]
        fold_model = fit_total_model(training_receipts(corpus, rest))
        with using_total_model(fold_model):
            fold_result = run_corpus(corpus, held_out, options, processes=1)
        replaced |= {prediction.path: prediction for prediction in fold_result.predictions}
    predictions = tuple(replaced.get(p.path, p) for p in result.predictions)
    return replace(result, predictions=predictions), CrossValidation(folds, len(receipts), seen)
