"""Write generated documents in the layout of the development corpus.

`out_dir/manifest.csv` (`path,doc_type,labels,source,license`, paths relative
to `out_dir`) and `out_dir/docs/<folder>/generated/<file>` with `<file>.json`
beside it, so any tool that reads the corpus reads generated samples too.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from doclane.samples.generator import GENERATOR, iter_documents

MANIFEST_COLUMNS = ("path", "doc_type", "labels", "source", "license")
LICENSE = "Apache-2.0"  # the project's own licence; the samples are its output
# Folder per doc_type, spelt as the corpus spells them.
FOLDERS = {
    "invoice": "invoices",
    "credit_note": "credit-notes",
    "receipt": "receipts",
    "purchase_order": "purchase-orders",
    "contract": "contracts",
    "bank_statement": "bank-statements",
    "other": "other",
}


def label_json(label: dict[str, object]) -> str:
    """A label as the corpus writes it: indented by one, non-ASCII kept."""
    return json.dumps(label, indent=1, ensure_ascii=False) + "\n"


def generate_corpus(
    out_dir: Path,
    count: int,
    *,
    seed: int = 0,
    kinds: Sequence[str] | None = None,
    single_page: bool = False,
) -> list[Path]:
    """Write `count` documents and their manifest under `out_dir`; return the documents' paths."""
    out_dir = Path(out_dir)
    source = f"{GENERATOR} (seed={seed})"
    written: list[Path] = []
    rows: list[tuple[str, ...]] = []
    for document in iter_documents(count, seed=seed, kinds=kinds, single_page=single_page):
        relative = f"docs/{FOLDERS[document.kind]}/generated/{document.filename}"
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document.payload)
        Path(f"{path}.json").write_text(label_json(document.label), encoding="utf-8")
        rows.append((relative, document.kind, f"{relative}.json", source, LICENSE))
        written.append(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        writer.writerows(rows)
    return written
