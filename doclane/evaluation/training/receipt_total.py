"""Fit the receipt-total weights on a labelled corpus: `make train`.

The model is a conditional logit over a receipt's candidate amounts: the
probability that candidate i is the total is softmax(X w)_i over the
receipt's candidates, X being their evidence features
(`receipt_total_evidence`). The weights start from the rule weights (scaled
to log-odds) and are shrunk towards them (L2), so evidence the corpus rarely
shows (a label on the amount's own line, common outside SROIE) keeps its rule
weight. Full-batch Adam for a fixed number of steps from that fixed start: no
randomness, the same corpus gives the same file.

    python -m doclane.evaluation.training.receipt_total ../shared/corpus --out doclane/data/receipt_total_model.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from doclane.core import pipeline
from doclane.core.extract.receipt.fields import tidy_receipt_lines
from doclane.core.extract.receipt.total import RULE_SCALE, RULE_WEIGHTS
from doclane.core.extract.receipt.total_evidence import FEATURE_NAMES, total_candidates
from doclane.core.extract.receipt.total_model import MODEL_PATH, TotalModel
from doclane.core.extract.shared.lines import Located, locate_lines
from doclane.core.fields import FieldName
from doclane.evaluation.corpus import Corpus, CorpusDocument, load_corpus
from doclane.exceptions import DoclaneError

L2 = 0.01  # per receipt, towards the scaled rule weights
STEPS = 1500
LEARNING_RATE = 0.05
_BETAS = (0.9, 0.999)
RECEIPT = "receipt"


@dataclass(frozen=True)
class TrainingReceipt:
    lines: tuple[Located, ...]
    total: Decimal
    collection: str  # where it comes from (`CorpusDocument.collection`)


def training_receipts(
    corpus: Corpus, documents: Sequence[CorpusDocument] | None = None
) -> list[TrainingReceipt]:
    """The corpus's receipts that carry a readable total label, read as extraction reads them."""
    found = []
    for document in corpus.documents if documents is None else documents:
        raw_total = document.label.fields.get(FieldName.TOTAL)
        if document.doc_type != RECEIPT or raw_total is None:
            continue
        try:
            total = Decimal(raw_total)
            payload = (corpus.root / document.path).read_bytes()
            text = pipeline.read(payload, pipeline.Knowledge(), filename=Path(document.path).name)
        except (InvalidOperation, OSError, DoclaneError):
            continue
        lines = tidy_receipt_lines(locate_lines(text))
        found.append(TrainingReceipt(lines, total, document.collection))
    return found


def fit_total_model(receipts: Sequence[TrainingReceipt], description: str = "") -> TotalModel:
    """Weights fitted on `receipts`; those whose total is no candidate teach nothing and are skipped."""
    names = list(FEATURE_NAMES)
    column = {name: i for i, name in enumerate(names)}
    blocks, targets = [], []
    for receipt in receipts:
        candidates = total_candidates(receipt.lines)
        hits = [c.value == receipt.total for c in candidates]
        if len(candidates) < 2 or not any(hits):
            continue
        block = np.zeros((len(candidates), len(names)))
        for row, candidate in enumerate(candidates):
            for name, value in candidate.features.items():
                block[row, column[name]] = value
        blocks.append(block)
        targets.append(np.array(hits, dtype=float) / sum(hits))
    prior = np.array([RULE_SCALE * RULE_WEIGHTS.get(name, 0.0) for name in names])
    weights = _fit(blocks, targets, prior) if blocks else prior
    return TotalModel(
        weights=dict(zip(names, (float(w) for w in weights), strict=True)),
        training_sources=frozenset(r.collection for r in receipts),
        description=description,
    )


def _fit(blocks: list[np.ndarray], targets: list[np.ndarray], prior: np.ndarray) -> np.ndarray:
    features = np.vstack(blocks)
    sizes = [len(block) for block in blocks]
    starts = np.cumsum([0, *sizes[:-1]])
    owner = np.repeat(np.arange(len(blocks)), sizes)
    observed = features.T @ np.concatenate(targets)
    weights, first, second = prior.copy(), np.zeros_like(prior), np.zeros_like(prior)
    for step in range(1, STEPS + 1):
        scores = features @ weights
        exp = np.exp(scores - np.maximum.reduceat(scores, starts)[owner])
        expected = features.T @ (exp / np.add.reduceat(exp, starts)[owner])
        gradient = (expected - observed) / len(blocks) + L2 * (weights - prior)
        first = _BETAS[0] * first + (1 - _BETAS[0]) * gradient
        second = _BETAS[1] * second + (1 - _BETAS[1]) * gradient**2
        unbiased = first / (1 - _BETAS[0] ** step), second / (1 - _BETAS[1] ** step)
        weights = weights - LEARNING_RATE * unbiased[0] / (np.sqrt(unbiased[1]) + 1e-8)
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m doclane.evaluation.training.receipt_total",
        description="Fit the receipt-total weights on a labelled corpus's receipts.",
    )
    parser.add_argument("corpus", type=Path, help="corpus folder (manifest.csv + labels)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"default: {MODEL_PATH}")
    args = parser.parse_args(argv)
    try:
        receipts = training_receipts(load_corpus(args.corpus))
    except DoclaneError as exc:
        print(f"train: {exc}", file=sys.stderr)
        return 1
    if not receipts:
        print(f"train: no receipt with a total label in {args.corpus}", file=sys.stderr)
        return 1
    model = fit_total_model(
        receipts,
        description=f"conditional logit over candidate amounts, fitted on {len(receipts)} "
        f"labelled receipts; L2 {L2} towards the rule weights x {RULE_SCALE:.4f}; "
        f"{STEPS} Adam steps",
    )
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(receipts)} receipts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
