"""The corpus on disk: manifest like the shared corpus's, and the same bytes for the same seed."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from doclane.samples import KINDS, SampleRequestError, generate_corpus, iter_documents
from doclane.samples.cli import main
from doclane.samples.generator import KIND_WEIGHTS
from doclane.samples.parties import load_vendor_master

CORPUS_COLUMNS = ["path", "doc_type", "labels", "source", "license"]


def read_manifest(root: Path) -> list[dict[str, str]]:
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CORPUS_COLUMNS
        return list(reader)


def test_corpus_layout_matches_the_shared_corpus(tmp_path: Path) -> None:
    paths = generate_corpus(tmp_path, 40, seed=2)
    rows = read_manifest(tmp_path)
    assert len(rows) == len(paths) == 40
    for row, path in zip(rows, paths, strict=True):
        assert (tmp_path / row["path"]) == path
        assert path.is_file()
        assert row["labels"] == row["path"] + ".json"
        assert row["path"].startswith("docs/")
        assert "/generated/" in row["path"]
        label = json.loads((tmp_path / row["labels"]).read_text(encoding="utf-8"))
        assert label["doc_type"] == row["doc_type"]
        assert row["license"] == "Apache-2.0"
        assert "seed=2" in row["source"]
    assert b"\r\n" not in (tmp_path / "manifest.csv").read_bytes()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "a", 25, seed=9)
    second = generate_corpus(tmp_path / "b", 25, seed=9)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
        assert Path(f"{one}.json").read_bytes() == Path(f"{two}.json").read_bytes()
    assert (tmp_path / "a/manifest.csv").read_bytes() == (tmp_path / "b/manifest.csv").read_bytes()
    other = [document.payload for document in iter_documents(25, seed=10)]
    assert other != [path.read_bytes() for path in first]


def test_a_longer_stream_starts_with_the_shorter_one() -> None:
    short = [document.payload for document in iter_documents(10, seed=4)]
    long = [document.payload for document in iter_documents(20, seed=4)]
    assert long[:10] == short


def test_default_mix_follows_the_kind_weights() -> None:
    counts = Counter(document.kind for document in iter_documents(400, seed=1, single_page=True))
    assert set(counts) == set(KINDS)
    weight_sum = sum(KIND_WEIGHTS.values())
    for kind, weight in KIND_WEIGHTS.items():  # within about three standard deviations
        assert abs(counts[kind] / 400 - weight / weight_sum) < 0.07, kind


def test_kinds_restrict_the_stream() -> None:
    kinds = {
        document.kind for document in iter_documents(30, seed=0, kinds=["receipt", "contract"])
    }
    assert kinds == {"receipt", "contract"}


def test_unknown_kinds_and_bad_counts_are_typed_errors() -> None:
    with pytest.raises(SampleRequestError, match="unknown"):
        list(iter_documents(3, kinds=["letter"]))
    with pytest.raises(SampleRequestError, match="negative"):
        list(iter_documents(-1))


def test_vendor_master_is_read_from_the_package() -> None:
    vendors = load_vendor_master()
    assert len(vendors) == 30
    assert len({vendor.vendor_id for vendor in vendors}) == 30
    assert all(vendor.name and vendor.country and vendor.city for vendor in vendors)


def test_command_line_writes_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--out", str(tmp_path), "--count", "6", "--seed", "1", "--kinds", "receipt,invoice"]
    )
    assert code == 0
    rows = read_manifest(tmp_path)
    assert len(rows) == 6
    assert {row["doc_type"] for row in rows} <= {"receipt", "invoice"}
    assert "wrote 6 documents" in capsys.readouterr().out


def test_command_line_rejects_unknown_kinds(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path), "--kinds", "memo"])
    assert exit_info.value.code == 2
