"""Golden files: text document -> expected type and normalised fields, compared exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from doclane.core.classify.classifier import classify_document
from doclane.core.extract import extract_fields
from doclane.core.read import read_document
from tests.paths import CORE_GOLDEN

GOLDEN = CORE_GOLDEN
CASES = sorted(GOLDEN.glob("*.txt"))


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 5
    assert all(case.with_suffix(".expected.json").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_golden_document(case: Path) -> None:
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = read_document(case.read_bytes(), filename=case.name)
    classification = classify_document(text)
    extraction = extract_fields(text, classification.doc_type)
    assert str(classification.doc_type) == expected["doc_type"]
    single = {f.name: f.normalized for f in extraction.fields if f.name != "party"}
    assert single == expected["fields"]
    parties = [f.normalized for f in extraction.fields if f.name == "party"]
    assert parties == expected.get("parties", [])
    if "line_items" in expected:
        items = [
            {"description": i.description, "quantity": i.quantity, "unit_price": i.unit_price,
             "amount": i.amount}
            for i in extraction.line_items
        ]  # fmt: skip
        assert items == expected["line_items"]
