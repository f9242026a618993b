"""`python -m doclane.samples`: write a generated corpus to a folder.

`add_arguments` and `run` let the project's own command line mount the same
options as a subcommand.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from doclane.exceptions import DoclaneError
from doclane.samples.corpus import generate_corpus
from doclane.samples.generator import KINDS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpus to")
    parser.add_argument("--count", type=int, default=100, help="number of documents (100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; same seed, same bytes")
    parser.add_argument(
        "--kinds",
        type=_kinds,
        default=None,
        help=f"comma-separated subset of {','.join(KINDS)} (default: the usual mix)",
    )
    parser.add_argument(
        "--single-page", action="store_true", help="no multi-page invoices or contracts"
    )


def _kinds(text: str) -> list[str]:
    kinds = [kind.strip() for kind in text.split(",") if kind.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown kinds {unknown}; choose from {','.join(KINDS)}")
    return kinds


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        paths = generate_corpus(
            args.out, args.count, seed=args.seed, kinds=args.kinds, single_page=args.single_page
        )
    except (DoclaneError, OSError) as exc:
        print(f"doclane.samples: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"wrote {len(paths)} documents and manifest.csv to {args.out} in {elapsed:.1f}s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m doclane.samples",
        description="Generate sample documents with ground-truth labels in the corpus format.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
