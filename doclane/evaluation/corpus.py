"""A labelled corpus on disk: `manifest.csv` plus one label JSON beside each document.

The manifest's columns are `path,doc_type,labels,source,license` with paths
relative to the corpus folder; `labels` may be empty, then the label is
`<path>.json`. Problems with the corpus itself raise `EvaluationError`; a
document that cannot be read is the runner's business, not the loader's.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from doclane.evaluation.exceptions import EvaluationError

MANIFEST = "manifest.csv"
_REQUIRED_COLUMNS = ("path", "doc_type")


@dataclass(frozen=True, slots=True)
class Label:
    """The ground truth of one document; a field absent from `fields` is unknown."""

    doc_type: str
    fields: Mapping[str, str]
    parties: tuple[str, ...] | None  # None: not labelled
    line_items: tuple[Mapping[str, str], ...] | None = None  # None: not labelled


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    path: str  # relative to the corpus folder, as the manifest writes it
    label: Label
    source: str = ""  # the manifest's source column: where the document comes from

    @property
    def collection(self) -> str:
        """The source without its last part: "repo@commit train/X0001" -> "repo@commit train"."""
        return self.source.rsplit("/", 1)[0] if "/" in self.source else self.source

    @property
    def doc_type(self) -> str:
        return self.label.doc_type


@dataclass(frozen=True, slots=True)
class Corpus:
    root: Path
    documents: tuple[CorpusDocument, ...]


def load_corpus(root: Path) -> Corpus:
    """Read the manifest and every label under `root`."""
    root = Path(root)
    manifest = root / MANIFEST
    try:
        with manifest.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = set(reader.fieldnames or ())
    except OSError as exc:
        raise EvaluationError(f"No readable {MANIFEST} in {root}: {exc.strerror}.") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{manifest} is not a UTF-8 CSV file: {exc}.") from exc
    missing = [column for column in _REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise EvaluationError(f"{manifest} lacks the column(s) {', '.join(missing)}.")
    if not rows:
        raise EvaluationError(f"{manifest} lists no documents.")
    documents = tuple(_load_document(root, row, line) for line, row in enumerate(rows, start=2))
    return Corpus(root=root, documents=documents)


def _load_document(root: Path, row: Mapping[str, str | None], line: int) -> CorpusDocument:
    where = f"{root / MANIFEST} line {line}"
    path = (row.get("path") or "").strip()
    doc_type = (row.get("doc_type") or "").strip()
    if not path or not doc_type:
        raise EvaluationError(f"{where}: path and doc_type must not be empty.")
    label_path = (row.get("labels") or "").strip() or f"{path}.json"
    for relative in (path, label_path):
        if not _is_inside(relative):
            raise EvaluationError(f"{where}: {relative!r} points outside the corpus folder.")
    label = read_label(root / label_path)
    if label.doc_type != doc_type:
        raise EvaluationError(
            f"{where}: manifest says {doc_type!r} but the label {label_path} says {label.doc_type!r}."
        )
    return CorpusDocument(path=path, label=label, source=(row.get("source") or "").strip())


def _is_inside(relative: str) -> bool:
    candidate = Path(relative)
    return not candidate.is_absolute() and ".." not in candidate.parts


def read_label(path: Path) -> Label:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluationError(f"Label {path} cannot be read: {exc.strerror}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"Label {path} is not valid UTF-8 JSON: {exc}.") from exc
    return parse_label(raw, where=str(path))


def parse_label(raw: object, *, where: str) -> Label:
    """A label from its JSON; values that are null are unknown, numbers become strings."""
    if not isinstance(raw, dict):
        raise EvaluationError(f"Label {where} is not a JSON object.")
    doc_type = raw.get("doc_type")
    fields = raw.get("fields", {})
    parties = raw.get("parties")
    line_items = raw.get("line_items")
    if not isinstance(doc_type, str) or not doc_type:
        raise EvaluationError(f"Label {where} has no doc_type.")
    if not isinstance(fields, dict) or not all(
        isinstance(value, str | int | float | None) for value in fields.values()
    ):
        raise EvaluationError(f"Label {where}: fields must map names to strings.")
    if parties is not None and (
        not isinstance(parties, list) or not all(isinstance(name, str) for name in parties)
    ):
        raise EvaluationError(f"Label {where}: parties must be a list of strings.")
    if line_items is not None and (
        not isinstance(line_items, list) or not all(isinstance(item, dict) for item in line_items)
    ):
        raise EvaluationError(f"Label {where}: line_items must be a list of objects.")
    return Label(
        doc_type=doc_type,
        fields={name: str(value) for name, value in fields.items() if value is not None},
        parties=tuple(parties) if parties is not None else None,
        line_items=tuple(
            {key: str(value) for key, value in item.items() if value is not None}
            for item in line_items
        )
        if line_items is not None
        else None,
    )


def select_documents(
    documents: Sequence[CorpusDocument],
    *,
    doc_types: Collection[str] | None = None,
    limit: int | None = None,
) -> tuple[CorpusDocument, ...]:
    """Documents of the given true types; with `limit`, that many spread evenly over the list.

    Spreading (rather than taking the first N) keeps every type of a manifest
    sorted by type in a small sample.
    """
    chosen = [doc for doc in documents if not doc_types or doc.doc_type in doc_types]
    if limit is None or limit >= len(chosen):
        return tuple(chosen)
    if limit <= 0:
        return ()
    step = len(chosen) / limit
    return tuple(chosen[int(index * step)] for index in range(limit))
