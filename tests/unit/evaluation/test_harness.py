"""The harness end to end on a small generated corpus: outputs' shape, sane numbers, no crashes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from doclane.evaluation import cli
from doclane.evaluation.cli import main
from doclane.samples import generate_corpus

CORPUS_SIZE = 20
PREDICTION_KEYS = {
    "corpus",
    "path",
    "true_doc_type",
    "predicted_doc_type",
    "confidence",
    "extracted_as",
    "fields",
    "field_confidences",
    "values",
    "parties",
    "fields_without_xml",
    "issues",
    "review_reasons",
    "error",
    "seconds",
}
# A minimal Factur-X / ZUGFeRD 2 (CII) invoice, embedded in a PDF whose text says otherwise.
CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>XML-42</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20240303</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:GrandTotalAmount>357.00</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate_corpus(root, CORPUS_SIZE, seed=3)
    return root


@pytest.fixture
def damaged(generated: Path, tmp_path: Path) -> Path:
    """The generated corpus plus a corrupt PDF, a missing file and an e-invoice with XML."""
    root = tmp_path / "damaged"
    shutil.copytree(generated, root)
    extra = {
        "docs/bad/broken.pdf": (b"%PDF-1.7\nthis is not a pdf", {"doc_type": "invoice"}),
        "docs/bad/missing.pdf": (None, {"doc_type": "receipt", "fields": {"total": "1.00"}}),
        "docs/einvoice/facturx.pdf": (
            _einvoice_pdf(),
            {"doc_type": "invoice", "fields": {"invoice_number": "XML-42", "total": "357.00"}},
        ),
    }
    with (root / "manifest.csv").open("a", encoding="utf-8") as manifest:
        for path, (payload, label) in extra.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            if payload is not None:
                (root / path).write_bytes(payload)
            (root / f"{path}.json").write_text(json.dumps(label), encoding="utf-8")
            manifest.write(f"{path},{label['doc_type']},,test,MIT\n")
    return root


def _einvoice_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for line in (
        "Rechnung",
        "Rechnungsnummer: TXT-7",
        "Rechnungsdatum: 03.03.2024",
        "Gesamtbetrag 357,00 EUR",
    ):
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.embed_file(bytes=CII, basename="factur-x.xml")
    return bytes(pdf.output())


def _in_unit_interval(value: Any) -> bool:
    return value is None or (isinstance(value, float | int) and 0.0 <= value <= 1.0)


def _scores(node: Any) -> Iterator[tuple[str, Any]]:
    """Every precision/recall/f1/accuracy number anywhere in the JSON."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {
                "precision",
                "recall",
                "f1",
                "accuracy",
                "macro_f1",
                "macro_f1_true_classes",
            }:
                yield key, value
            else:
                yield from _scores(value)
    elif isinstance(node, list):
        for item in node:
            yield from _scores(item)


def test_json_and_predictions_have_the_promised_shape(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, predictions = tmp_path / "eval.json", tmp_path / "predictions.jsonl"
    code = main(
        [
            str(generated),
            "--processes",
            "2",
            "--json",
            str(summary),
            "--predictions",
            str(predictions),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    for heading in (
        "Classification: accuracy",
        "Confusion matrix",
        "micro-average",
        "fuzzy",
        "docs/s",
    ):
        assert heading in printed
    (corpus,) = json.loads(summary.read_text(encoding="utf-8"))["corpora"]
    assert corpus["documents"] == CORPUS_SIZE
    assert all(set(error) == {"path", "stage", "reason"} for error in corpus["errors"])
    classification = corpus["classification"]
    size = len(classification["classes"])
    assert len(classification["confusion"]) == size
    assert all(len(row) == size for row in classification["confusion"])
    assert sum(map(sum, classification["confusion"])) == CORPUS_SIZE
    assert set(corpus["fields"]) <= {
        "invoice",
        "credit_note",
        "receipt",
        "purchase_order",
        "contract",
    }
    for group in corpus["fields"].values():
        assert group["micro"]["tp"] + group["micro"]["fn"] > 0
    scores = list(_scores(corpus))
    assert len(scores) > 20
    assert all(_in_unit_interval(value) for _, value in scores), scores
    assert corpus["throughput"]["docs_per_second_total"] > 0
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == CORPUS_SIZE
    manifest_paths = [
        line.split(",")[0] for line in (generated / "manifest.csv").read_text().splitlines()[1:]
    ]
    assert [row["path"] for row in rows] == manifest_paths
    for row in rows:
        assert set(row) == PREDICTION_KEYS
        assert 0.0 <= row["confidence"] <= 1.0
        assert all(isinstance(value, str) for value in row["fields"].values())
        assert set(row["field_confidences"]) == set(row["fields"])
        assert all(0.0 <= value <= 1.0 for value in row["field_confidences"].values())


def test_bad_documents_are_listed_and_xml_is_measured_both_ways(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, predictions = tmp_path / "eval.json", tmp_path / "predictions.jsonl"
    assert (
        main(
            [
                str(damaged),
                "--processes",
                "1",
                "--json",
                str(summary),
                "--predictions",
                str(predictions),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "docs/bad/broken.pdf: [read]" in printed
    assert "embedded XML switched OFF" in printed
    (corpus,) = json.loads(summary.read_text(encoding="utf-8"))["corpora"]
    errors = {error["path"]: error for error in corpus["errors"]}
    assert {"docs/bad/broken.pdf", "docs/bad/missing.pdf"} <= set(errors)
    assert errors["docs/bad/missing.pdf"]["stage"] == "load"
    assert errors["docs/bad/broken.pdf"]["stage"] == "read"
    assert corpus["documents_with_attachments"] == 1
    assert corpus["fields_text_layer"] is not None
    rows = {row["path"]: row for row in map(json.loads, predictions.read_text().splitlines())}
    broken = rows["docs/bad/broken.pdf"]
    assert (broken["predicted_doc_type"], broken["confidence"]) == ("other", 0.0)
    einvoice = rows["docs/einvoice/facturx.pdf"]
    assert einvoice["fields"]["invoice_number"] == "XML-42"
    assert einvoice["fields_without_xml"]["invoice_number"] != "XML-42"


def test_no_xml_reads_the_text_layer_only(damaged: Path, tmp_path: Path) -> None:
    predictions = tmp_path / "predictions.jsonl"
    summary = tmp_path / "eval.json"
    argv = [str(damaged), "--no-xml", "--doc-type", "invoice", "--processes", "1"]
    assert main([*argv, "--predictions", str(predictions), "--json", str(summary)]) == 0
    rows = {row["path"]: row for row in map(json.loads, predictions.read_text().splitlines())}
    assert {row["true_doc_type"] for row in rows.values()} == {"invoice"}
    assert rows["docs/einvoice/facturx.pdf"]["fields"].get("invoice_number") != "XML-42"
    assert rows["docs/einvoice/facturx.pdf"]["fields_without_xml"] is None
    (corpus,) = json.loads(summary.read_text(encoding="utf-8"))["corpora"]
    assert corpus["fields_text_layer"] is None
    assert corpus["options"]["use_xml"] is False


def test_oracle_type_extracts_with_the_true_type(generated: Path, tmp_path: Path) -> None:
    predictions = tmp_path / "predictions.jsonl"
    argv = [str(generated), "--oracle-type", "--limit", "6", "--processes", "1"]
    assert main([*argv, "--predictions", str(predictions)]) == 0
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(rows) == 6
    assert all(row["extracted_as"] == row["true_doc_type"] for row in rows)


def test_default_corpus_is_generated_and_deterministic(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "shared_corpus", lambda: None)
    runs = []
    for attempt in ("a", "b"):
        predictions = tmp_path / f"{attempt}.jsonl"
        argv = ["--samples-count", "8", "--processes", "1", "--predictions", str(predictions)]
        assert main(argv) == 0
        runs.append(
            [{**json.loads(line), "seconds": 0} for line in predictions.read_text().splitlines()]
        )
    assert runs[0] == runs[1]
    assert len(runs[0]) == 8
    assert "generated samples (8 documents" in capsys.readouterr().out


def test_a_broken_corpus_exits_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 1
    assert "manifest.csv" in capsys.readouterr().err


def test_filters_that_select_nothing_are_an_error(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(generated), "--doc-type", "bank_statement"]) == 1
    assert "No documents selected" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "doclane.evaluation", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "--no-xml" in done.stdout


def test_doclane_eval_subcommand_runs_the_same_harness(generated: Path, tmp_path: Path) -> None:
    from doclane.cli import main as doclane_main

    summary = tmp_path / "summary.json"
    argv = ["eval", str(generated), "--processes", "1", "--limit", "6", "--no-progress"]
    assert doclane_main([*argv, "--json", str(summary)]) == 0
    corpora = json.loads(summary.read_text(encoding="utf-8"))["corpora"]
    assert [corpus["documents"] for corpus in corpora] == [6]
