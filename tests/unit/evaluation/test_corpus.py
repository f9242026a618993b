"""Loading a corpus: manifest and labels, and the clear errors for a broken one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.evaluation.corpus import load_corpus, parse_label, select_documents
from doclane.evaluation.exceptions import EvaluationError
from doclane.exceptions import DoclaneError

HEADER = "path,doc_type,labels,source,license\n"


def _write(root: Path, manifest: str, labels: dict[str, object]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    for name, label in labels.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(label if isinstance(label, str) else json.dumps(label), encoding="utf-8")
    return root


def test_manifest_and_labels_load_with_unknown_fields_left_out(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        HEADER + "docs/a.txt,receipt,docs/a.txt.json,src,MIT\n" + "docs/b.pdf,contract,,src,MIT\n",
        {
            "docs/a.txt.json": {
                "doc_type": "receipt",
                "fields": {"total": "9.00", "issue_date": None, "vendor_name": "ACME"},
            },
            "docs/b.pdf.json": {"doc_type": "contract", "fields": {}, "parties": ["A", "B"]},
        },
    )
    corpus = load_corpus(root)
    first, second = corpus.documents
    assert (first.path, first.doc_type) == ("docs/a.txt", "receipt")
    assert dict(first.label.fields) == {"total": "9.00", "vendor_name": "ACME"}
    assert first.label.parties is None
    assert second.label.parties == ("A", "B")


def test_missing_manifest_is_a_clear_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match=r"manifest\.csv") as raised:
        load_corpus(tmp_path)
    assert isinstance(raised.value, DoclaneError)
    assert raised.value.reason_code == "bad_corpus"


def test_manifest_without_required_columns_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "file,kind\na.txt,receipt\n", {})
    with pytest.raises(EvaluationError, match="path, doc_type"):
        load_corpus(tmp_path)


def test_empty_manifest_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, HEADER, {})
    with pytest.raises(EvaluationError, match="no documents"):
        load_corpus(tmp_path)


def test_missing_label_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, HEADER + "docs/a.txt,receipt,,src,MIT\n", {})
    with pytest.raises(EvaluationError, match=r"a\.txt\.json"):
        load_corpus(tmp_path)


def test_unreadable_label_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, HEADER + "a.txt,receipt,,src,MIT\n", {"a.txt.json": "{not json"})
    with pytest.raises(EvaluationError, match=r"a\.txt\.json is not valid"):
        load_corpus(tmp_path)


def test_label_disagreeing_with_the_manifest_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, HEADER + "a.txt,receipt,,src,MIT\n", {"a.txt.json": {"doc_type": "invoice"}})
    with pytest.raises(EvaluationError, match="manifest says 'receipt'"):
        load_corpus(tmp_path)


def test_paths_outside_the_corpus_are_rejected(tmp_path: Path) -> None:
    _write(
        tmp_path / "c",
        HEADER + "../a.txt,receipt,,src,MIT\n",
        {"a.txt.json": {"doc_type": "receipt"}},
    )
    with pytest.raises(EvaluationError, match="outside the corpus"):
        load_corpus(tmp_path / "c")


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"fields": {}},
        {"doc_type": "receipt", "fields": ["total"]},
        {"doc_type": "receipt", "fields": {"total": {"value": 1}}},
        {"doc_type": "contract", "parties": "A and B"},
    ],
)
def test_malformed_labels_are_rejected(raw: object) -> None:
    with pytest.raises(EvaluationError):
        parse_label(raw, where="x.json")


def test_selection_filters_by_true_type_and_spreads_the_limit(tmp_path: Path) -> None:
    rows = [f"d{i}.txt,{'contract' if i < 6 else 'receipt'},,s,MIT\n" for i in range(12)]
    labels = {f"d{i}.txt.json": {"doc_type": "contract" if i < 6 else "receipt"} for i in range(12)}
    documents = load_corpus(_write(tmp_path, HEADER + "".join(rows), labels)).documents
    assert len(select_documents(documents, doc_types={"receipt"})) == 6
    spread = select_documents(documents, limit=4)
    assert [doc.path for doc in spread] == ["d0.txt", "d3.txt", "d6.txt", "d9.txt"]
    assert select_documents(documents, limit=50) == documents
    assert select_documents(documents, doc_types={"invoice"}) == ()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["doc_type", "fields", "parties", "total", "x"]), children
        )
    ),
    max_leaves=12,
)


@given(_JSON)
def test_any_json_label_parses_or_raises_only_evaluation_error(raw: object) -> None:
    try:
        label = parse_label(raw, where="fuzz.json")
    except EvaluationError:
        return
    assert isinstance(label.doc_type, str)
    assert all(isinstance(value, str) for value in label.fields.values())
