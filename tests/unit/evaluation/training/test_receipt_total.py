"""Fitting the receipt-total weights: deterministic, and it learns the totals it is shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from doclane.core.extract.receipt.total import choose_total
from doclane.core.extract.receipt.total_evidence import FEATURE_NAMES, total_candidates
from doclane.core.extract.receipt.total_model import model_from_json
from doclane.evaluation.corpus import load_corpus
from doclane.evaluation.training.receipt_total import (
    fit_total_model,
    main,
    training_receipts,
)
from doclane.samples import generate_corpus


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("receipts")
    generate_corpus(root, 40, seed=11, kinds=["receipt"])
    return root


def test_the_same_receipts_give_the_same_weights(corpus_root: Path) -> None:
    receipts = training_receipts(load_corpus(corpus_root))
    assert len(receipts) == 40
    first, second = fit_total_model(receipts), fit_total_model(receipts)
    assert first.weights == second.weights
    assert set(first.weights) == set(FEATURE_NAMES)
    assert first.training_sources == {"doclane.samples"}


def test_the_fitted_weights_find_the_totals_they_were_fitted_on(corpus_root: Path) -> None:
    receipts = training_receipts(load_corpus(corpus_root))
    model = fit_total_model(receipts)
    found = [
        choose_total(r.lines, total_candidates(r.lines), model.weights).normalized for r in receipts
    ]
    assert found == [f"{r.total:.2f}" for r in receipts]


def test_the_command_writes_a_model_the_extractor_accepts(
    corpus_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model.json"
    assert main([str(corpus_root), "--out", str(out)]) == 0
    model = model_from_json(json.loads(out.read_text(encoding="utf-8")))
    assert model is not None
    assert model.training_sources == {"doclane.samples"}


def test_a_corpus_without_receipts_trains_nothing(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 3, seed=2, kinds=["contract"])
    assert main([str(tmp_path), "--out", str(tmp_path / "model.json")]) == 1
    assert not (tmp_path / "model.json").exists()
