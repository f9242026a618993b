"""The corpora `doclane eval` measures when given none: generated samples, and the shared corpus.

The generated corpus is written afresh to a temporary folder (a few seconds
for 300 documents) so it always matches the current generator; the fixed seed
makes it the same corpus on every run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from doclane.samples import generate_corpus
from doclane.settings import PROJECT_ROOT

GENERATED_COUNT = 300
GENERATED_SEED = 2024
SHARED_CORPUS = Path("..") / "shared" / "corpus"  # relative to the project root


def shared_corpus() -> Path | None:
    """`../shared/corpus` beside the project (or the working directory), when it exists."""
    for base in (PROJECT_ROOT, Path.cwd()):
        candidate = (base / SHARED_CORPUS).resolve()
        if (candidate / "manifest.csv").is_file():
            return candidate
    return None


@contextmanager
def generated_corpus(count: int, seed: int) -> Iterator[Path]:
    """A freshly generated corpus in a temporary folder, removed on exit."""
    with tempfile.TemporaryDirectory(prefix="doclane-eval-") as folder:
        root = Path(folder)
        generate_corpus(root, count, seed=seed)
        yield root
