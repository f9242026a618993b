"""`doclane eval` / `python -m doclane.evaluation`: measure the core on labelled corpora.

`add_arguments` and `run` let the project's own command line mount the same
options as a subcommand.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TextIO

from doclane.evaluation.corpus import load_corpus, select_documents
from doclane.evaluation.cross_validation import DEFAULT_FOLDS, cross_validate_receipts
from doclane.evaluation.defaults import (
    GENERATED_COUNT,
    GENERATED_SEED,
    generated_corpus,
    shared_corpus,
)
from doclane.evaluation.exceptions import EvaluationError
from doclane.evaluation.export import (
    evaluation_json,
    prediction_json,
    write_json,
    write_json_lines,
)
from doclane.evaluation.ocr import DEFAULT_OCR_DOCUMENTS, compare_ocr
from doclane.evaluation.report import render
from doclane.evaluation.runner import RunOptions, run_corpus
from doclane.evaluation.summary import CorpusEvaluation, evaluate_run
from doclane.exceptions import DoclaneError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpora",
        nargs="*",
        type=Path,
        metavar="CORPUS",
        help="corpus folders (manifest.csv + label JSON beside each document); default: "
        f"{GENERATED_COUNT} generated samples, and ../shared/corpus when it exists",
    )
    parser.add_argument(
        "--processes",
        type=_positive_int,
        default=_usable_cpus(),
        help="worker processes (default: the number of CPUs; 1 runs in this process)",
    )
    parser.add_argument(
        "--limit", type=_positive_int, help="at most N documents per corpus, spread evenly"
    )
    parser.add_argument(
        "--doc-type",
        action="append",
        type=_doc_types,
        metavar="TYPE[,TYPE]",
        help="only documents of these true types (repeatable)",
    )
    parser.add_argument(
        "--no-xml",
        action="store_true",
        help="ignore embedded e-invoice XML: measure the text layer only",
    )
    parser.add_argument(
        "--oracle-type",
        action="store_true",
        help="extract with the true doc type instead of the predicted one",
    )
    parser.add_argument("--pdf-engine", choices=("pdfium", "pdfminer"), default="pdfium")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers as JSON")
    parser.add_argument(
        "--predictions",
        type=Path,
        metavar="PATH",
        help="write one JSON line per document: path, types, confidence, normalised fields",
    )
    parser.add_argument(
        "--examples",
        type=int,
        default=0,
        metavar="N",
        help="print up to N misses (label vs prediction) per field",
    )
    parser.add_argument(
        "--samples-count",
        type=_positive_int,
        default=GENERATED_COUNT,
        help=f"size of the default generated corpus ({GENERATED_COUNT})",
    )
    parser.add_argument(
        "--samples-seed",
        type=int,
        default=GENERATED_SEED,
        help=f"seed of the default generated corpus ({GENERATED_SEED})",
    )
    parser.add_argument(
        "--cross-validate",
        type=int,
        default=DEFAULT_FOLDS,
        metavar="K",
        help="score receipts by K-fold cross-validation when the shipped receipt model was "
        f"trained on some of them (default {DEFAULT_FOLDS}; 0: never)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.add_argument(
        "--ocr",
        type=int,
        default=0,
        metavar="N",
        help="also read N generated invoices and receipts as 200 dpi scans and compare their "
        "fields with their text layer's (about 6 s of CPU each; `make eval` asks for "
        f"{DEFAULT_OCR_DOCUMENTS}, OCR= for more; default 0: skip)",
    )


def _usable_cpus() -> int:
    """CPUs this process may run on (a container's limit), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _doc_types(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    try:
        evaluate_corpora(args, out=sys.stdout)
        if args.ocr > 0:
            comparison = compare_ocr(args.ocr, processes=args.processes)
            print(comparison.describe(), flush=True)
    except (DoclaneError, OSError) as exc:
        print(f"doclane eval: {exc}", file=sys.stderr)
        return 1
    return 0


def evaluate_corpora(args: argparse.Namespace, *, out: TextIO) -> list[CorpusEvaluation]:
    """Evaluate every corpus the arguments name, print each report, write the files asked for."""
    options = RunOptions(
        use_xml=not args.no_xml, oracle_type=args.oracle_type, pdf_engine=args.pdf_engine
    )
    doc_types = {kind for group in args.doc_type or () for kind in group}
    evaluations: list[CorpusEvaluation] = []
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        for name, root in _corpora(args, stack):
            corpus = load_corpus(root)
            documents = select_documents(corpus.documents, doc_types=doc_types, limit=args.limit)
            if not documents:
                print(f"{name}: no documents selected; skipped.", file=out)
                continue
            with _progress(len(documents), name, enabled=not args.no_progress) as advance:
                result = run_corpus(
                    corpus, documents, options, processes=args.processes, progress=advance
                )
            result, validation = cross_validate_receipts(
                corpus, documents, result, options, folds=args.cross_validate
            )
            evaluation = evaluate_run(
                name, root, documents, result, options, examples=max(0, args.examples)
            )
            print(render(evaluation), file=out, flush=True)
            if validation is not None:
                print(validation.describe() + "\n", file=out, flush=True)
            evaluations.append(evaluation)
            rows += [prediction_json(name, prediction) for prediction in result.predictions]
    if not evaluations:
        raise EvaluationError("No documents selected in any corpus; check --doc-type.")
    if args.json is not None:
        write_json(args.json, evaluation_json(evaluations))
    if args.predictions is not None:
        write_json_lines(args.predictions, rows)
    return evaluations


def _corpora(args: argparse.Namespace, stack: ExitStack) -> Iterator[tuple[str, Path]]:
    """(name, folder) of each corpus to evaluate, generating the default samples lazily."""
    if args.corpora:
        for root in args.corpora:
            yield str(root), root
        return
    count, seed = args.samples_count, args.samples_seed
    yield (
        f"generated samples ({count} documents, seed {seed})",
        stack.enter_context(generated_corpus(count, seed)),
    )
    shared = shared_corpus()
    if shared is not None:
        yield "shared corpus", shared


@contextmanager
def _progress(total: int, name: str, *, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr when it is a terminal; None otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=name, unit="doc", leave=False) as bar:
        yield bar.update


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m doclane.evaluation",
        description="Evaluate classification and field extraction on labelled corpora.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
