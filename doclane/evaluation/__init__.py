"""Evaluation harness: run the core over labelled corpora and score it.

The data flows through the modules in this order: `corpus` (manifest and
labels), `runner` (read → classify → extract per document, in a process pool),
`cross_validation` (receipts the shipped learned model was fitted on,
extracted again fold by fold), `scoring` (pure metrics, with the field rules of
`fields`), `summary` (scores per class and per field group), `report` (text
tables) and `export` (JSON and per-document JSON lines); `cli` ties them
together.
"""

from doclane.evaluation.corpus import Corpus, CorpusDocument, Label, load_corpus
from doclane.evaluation.exceptions import EvaluationError
from doclane.evaluation.runner import Prediction, RunOptions, run_corpus
from doclane.evaluation.summary import CorpusEvaluation, evaluate_run

__all__ = [
    "Corpus",
    "CorpusDocument",
    "CorpusEvaluation",
    "EvaluationError",
    "Label",
    "Prediction",
    "RunOptions",
    "evaluate_run",
    "load_corpus",
    "run_corpus",
]
