"""Receipts the shipped total model has seen are scored by cross-validation, others are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from doclane.evaluation import cross_validation
from doclane.evaluation.corpus import load_corpus
from doclane.evaluation.cross_validation import cross_validate_receipts, fold_of
from doclane.evaluation.runner import RunOptions, run_corpus
from doclane.evaluation.training.receipt_total import fit_total_model, training_receipts
from doclane.samples import generate_corpus


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cv")
    generate_corpus(root, 24, seed=8, kinds=["receipt", "contract"])
    return root


def test_folds_are_stable_and_spread() -> None:
    paths = [f"docs/receipts/r{i}.txt" for i in range(200)]
    folds = [fold_of(path, 5) for path in paths]
    assert folds == [fold_of(path, 5) for path in paths]
    assert set(folds) == set(range(5))


def test_receipts_the_model_never_saw_keep_their_predictions(corpus_root: Path) -> None:
    corpus = load_corpus(corpus_root)
    result = run_corpus(corpus, corpus.documents, RunOptions())
    same, validation = cross_validate_receipts(corpus, corpus.documents, result, RunOptions())
    assert validation is None
    assert same is result


def test_receipts_the_model_saw_are_extracted_fold_by_fold(
    corpus_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(corpus_root)
    seen_all = fit_total_model(training_receipts(corpus))
    monkeypatch.setattr(cross_validation, "shipped_total_model", lambda: seen_all)
    result = run_corpus(corpus, corpus.documents, RunOptions())
    validated, validation = cross_validate_receipts(
        corpus, corpus.documents, result, RunOptions(), folds=3
    )
    receipts = [doc for doc in corpus.documents if doc.doc_type == "receipt"]
    assert validation is not None
    assert (validation.folds, validation.receipts, validation.seen) == (
        3,
        len(receipts),
        len(receipts),
    )
    assert [p.path for p in validated.predictions] == [p.path for p in result.predictions]
    assert "3-fold cross-validation" in validation.describe()
    off, none = cross_validate_receipts(corpus, corpus.documents, result, RunOptions(), folds=0)
    assert none is None
    assert off is result
