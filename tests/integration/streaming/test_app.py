"""Each Faust agent on the real broker: one record in on its topic, the right record out.

One worker process runs the whole topology. Every test writes a hand-made
record straight onto one stage's input topic (bypassing the stages before it),
so each agent is checked on its own: what it consumes, what it produces, and
where failures go.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer

from doclane.core.model import (
    BoundingBox,
    Classification,
    DocType,
    DocumentText,
    Page,
    TextLine,
)
from doclane.ops.reference import seed_reference_data
from doclane.samples import iter_documents
from doclane.settings import Settings
from doclane.streaming.blobs import BlobStore
from doclane.wire.records import result_from_submission, utc_now
from doclane.wire.text_layer import decode_text_layer, encode_text_layer
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests import ports
from tests.kafka_tools import child_env
from tests.records import text_to_avro_v3

pytestmark = pytest.mark.broker

INVOICE_LINES = (
    "Nordwind Handels GmbH",
    "Hafenstrasse 12, 20457 Hamburg",
    "USt-IdNr. DE123456789",
    "INVOICE",
    "Invoice number: INV-2026-0042",
    "Invoice date: 2026-03-14",
    "Due date: 2026-04-13",
    "Bill to: Example Buyer Ltd",
    "Net total: 1,000.00 EUR",
    "VAT 19%: 190.00 EUR",
    "Total: 1,190.00 EUR",
)


@dataclass
class Worker:
    settings: Settings
    names: TopicNames
    codecs: Codecs
    producer: Producer
    consumer: Consumer
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "doclane.streaming.worker", "--index", "0"],
                env=child_env(self.settings),
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        _wait_ready(self.settings.web_port, self.process, self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def send(self, topic: str, key: str, value: bytes) -> None:
        self.producer.produce(topic, key=key.encode(), value=value)
        self.producer.flush(10)

    def expect(self, topic: str, key: str, timeout: float = 60.0) -> bytes:
        """The first record on `topic` with this key (topics are read from the start)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.consumer.consume(100, timeout=0.5):
                if message.error() is None:
                    self.seen.setdefault((message.topic(), message.key()), message.value())
            if (topic, key.encode()) in self.seen:
                return self.seen[(topic, key.encode())]
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise AssertionError(f"no record with key {key} on {topic} within {timeout}s\n{tail}")

    def nothing_on(self, topic: str, key: str) -> bool:
        for message in self.consumer.consume(100, timeout=1.0):
            if message.error() is None:
                self.seen.setdefault((message.topic(), message.key()), message.value())
        return (topic, key.encode()) not in self.seen

    def __post_init__(self) -> None:
        self.seen: dict[tuple[str, bytes], bytes] = {}


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"worker never became ready:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def worker(broker_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    unique = uuid.uuid4().hex[:8]
    root = tmp_path_factory.mktemp("agents")
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"agents{unique}.",
        app_id=f"doclane-agents-{unique}",
        partitions=2,
        data_dir=root / "var",
        web_port=ports.AGENTS_WEB,
        parse_processes=1,
        retry_delays=(1.0, 2.0),
    )
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    seed_reference_data(settings)
    consumer = Consumer(
        {
            "bootstrap.servers": broker_bootstrap,
            "group.id": f"agents-test-{unique}",
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
        }
    )
    consumer.subscribe(
        [names.classified, names.extracted, names.validated, names.results, names.review, names.dlq]
    )
    worker = Worker(
        settings,
        names,
        Codecs.from_settings(settings),
        Producer({"bootstrap.servers": broker_bootstrap}),
        consumer,
        root / "worker.log",
    )
    try:
        worker.start()
        yield worker
    finally:
        consumer.close()
        worker.stop()


def _submission(payload: bytes, filename: str, content_type: str) -> dict[str, Any]:
    return {
        "document_id": str(uuid.uuid4()),
        "correlation_id": "agents-test",
        "source": "test",
        "filename": filename,
        "content_type": content_type,
        "size_bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "payload": payload,
        "claim_check_uri": None,
        "submitted_at": utc_now(),
        "priority": 0,
        "metadata": {"case": "agents"},
    }


def _classified_invoice(lines: tuple[str, ...] = INVOICE_LINES) -> dict[str, Any]:
    """A record as the classify agent would have produced it for a one-page invoice."""
    text = DocumentText(
        pages=(
            Page(
                number=1,
                lines=tuple(
                    TextLine(line, BoundingBox(50.0, 50.0 + 14 * i, 400.0, 62.0 + 14 * i))
                    for i, line in enumerate(lines)
                ),
                width=595.0,
                height=842.0,
            ),
        ),
        engine="pdfium",
    )
    submission = _submission(b"(text layer only)", "invoice.pdf", "application/pdf")
    return result_from_submission(
        submission, Classification(DocType.INVOICE, 0.95), encode_text_layer(text)
    )


def _fields(record: dict[str, Any]) -> dict[str, str | None]:
    return {field["name"]: field["normalized_value"] for field in record["fields"]}


def test_classify_reads_the_payload_and_types_the_document(worker: Worker) -> None:
    document = next(iter_documents(1, seed=21, kinds=["invoice"], single_page=True))
    submission = _submission(document.payload, document.filename, document.content_type)
    key = submission["document_id"]
    worker.send(
        worker.names.ingest, key, worker.codecs.submitted.encode(submission, worker.names.ingest)
    )
    record = worker.codecs.result.decode(worker.expect(worker.names.classified, key))
    assert record["stage"] == "CLASSIFIED"
    assert record["doc_type"]["label"] == "invoice"
    assert 0.0 < record["doc_type"]["confidence"] <= 1.0
    assert record["metadata"] == {"case": "agents"}
    assert record["text"] is None
    assert decode_text_layer(record["text_layer"]).pages[0].lines
    assert [t["stage"] for t in record["timings"]] == ["classify"]


def test_extract_fills_the_invoice_header_fields(worker: Worker) -> None:
    classified = _classified_invoice()
    key = classified["document_id"]
    worker.send(worker.names.classified, key, worker.codecs.result.encode(classified, "classified"))
    record = worker.codecs.result.decode(worker.expect(worker.names.extracted, key))
    fields = _fields(record)
    assert record["stage"] == "EXTRACTED"
    assert fields["invoice_number"] == "INV-2026-0042"
    assert fields["issue_date"] == "2026-03-14"
    assert fields["total"] == "1190.00"
    assert fields["currency"] == "EUR"
    assert fields["vendor_name"] == "Nordwind Handels GmbH"
    provenance = next(f["provenance"] for f in record["fields"] if f["name"] == "total")
    assert provenance["page"] == 1
    assert provenance["bbox"] is not None
    # Later stages need no text layer; the language was found while it was at hand.
    assert record["text_layer"] is None
    assert record["text"] is None
    assert record["language"] == "en"
    assert [e["name"] for e in record["enrichments"]] == ["language"]


def test_extract_reads_a_record_an_older_worker_classified(worker: Worker) -> None:
    """Schema v3 workers carried the text layer as nested records: a rolling upgrade works."""
    classified = _classified_invoice()
    text = decode_text_layer(classified["text_layer"])
    classified.update(text=text_to_avro_v3(text), text_layer=None)
    key = classified["document_id"]
    worker.send(worker.names.classified, key, worker.codecs.result.encode(classified, "classified"))
    record = worker.codecs.result.decode(worker.expect(worker.names.extracted, key))
    assert _fields(record)["invoice_number"] == "INV-2026-0042"
    assert record["language"] == "en"
    assert [t["stage"] for t in record["timings"]] == ["extract"]


def test_validate_reports_a_missing_total(worker: Worker) -> None:
    extracted = _classified_invoice()
    extracted.update(
        stage="EXTRACTED",
        fields=[
            {
                "name": "invoice_number",
                "value": "INV-1",
                "normalized_value": "INV-1",
                "confidence": 0.9,
                "provenance": {"source": "text", "page": 1, "line": 1, "bbox": None},
            }
        ],
    )
    key = extracted["document_id"]
    worker.send(worker.names.extracted, key, worker.codecs.result.encode(extracted, "extracted"))
    record = worker.codecs.result.decode(worker.expect(worker.names.validated, key))
    assert record["stage"] == "VALIDATED"
    codes = {issue["code"] for issue in record["issues"]}
    assert any("total" in code for code in codes), codes


def _field(name: str, value: str, normalized: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "value": value,
        "normalized_value": normalized if normalized is not None else value,
        "confidence": 0.95,
        "provenance": {"source": "text", "page": 1, "line": 0, "bbox": None},
    }


def test_enrich_matches_the_vendor_converts_the_total_and_drops_the_text_layer(
    worker: Worker,
) -> None:
    validated = _classified_invoice()
    validated.update(
        stage="VALIDATED",
        fields=[
            _field("vendor_name", "Musterlieferant GmbH."),
            _field("total", "1,190.00", "1190.00"),
            _field("currency", "USD"),
        ],
    )
    key = validated["document_id"]
    worker.send(worker.names.validated, key, worker.codecs.result.encode(validated, "validated"))
    record = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert record["stage"] == "ENRICHED"
    assert record["text"] is None
    assert record["status"] in ("ACCEPTED", "REVIEW")
    enrichments = {e["name"]: e for e in record["enrichments"]}
    # The vendor master and the rates come from the compacted reference topics
    # (seeded from the bundled CSV files), through the workers' global tables.
    assert enrichments["vendor_id"]["value"] == "V0001"
    assert enrichments["vendor_id"]["score"] >= 90
    assert enrichments["total_in_base_currency"]["value"] == "1094.80"  # 1190 USD at 0.92
    assert enrichments["total_in_base_currency"]["source"].startswith("fx:EUR@")
    assert record["language"] == enrichments["language"]["value"]


def _extracted_invoice(sha256: str, number: str) -> dict[str, Any]:
    record = _classified_invoice()
    record.update(
        stage="EXTRACTED",
        sha256=sha256,
        fields=[
            _field("invoice_number", number),
            _field("vendor_name", "Musterlieferant GmbH"),
            _field("total", "99.00", "99.00"),
            _field("currency", "EUR"),
            _field("issue_date", "2026-03-01"),
        ],
    )
    return record


def _validated(worker: Worker, record: dict[str, Any]) -> dict[str, Any]:
    key = record["document_id"]
    worker.send(worker.names.extracted, key, worker.codecs.result.encode(record, "extracted"))
    return worker.codecs.result.decode(worker.expect(worker.names.validated, key))


def test_validate_flags_the_same_file_and_the_same_invoice_across_a_restart(
    worker: Worker,
) -> None:
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    number = f"DUP-{uuid.uuid4().hex[:6]}"
    first = _validated(worker, _extracted_invoice(sha, number))
    assert first["duplicate_of"] is None
    assert not {i["code"] for i in first["issues"]} & {"duplicate_content", "duplicate_document"}

    same_file = _validated(worker, _extracted_invoice(sha, number))
    assert same_file["duplicate_of"] == first["document_id"]
    assert {"duplicate_content", "duplicate_document"} <= {i["code"] for i in same_file["issues"]}

    # A restarted worker recovers the table from its changelog topic.
    worker.stop()
    worker.start()
    other_scan = _validated(
        worker, _extracted_invoice(hashlib.sha256(b"rescan" + sha.encode()).hexdigest(), number)
    )
    codes = {i["code"] for i in other_scan["issues"]}
    assert "duplicate_document" in codes
    assert "duplicate_content" not in codes
    assert other_scan["duplicate_of"] == first["document_id"]
    # Reprocessing the first document itself (a retry or a replay) is not a duplicate.
    again = _extracted_invoice(sha, number)
    again["document_id"] = first["document_id"]
    assert _validated_again(worker, again)["duplicate_of"] is None


def _validated_again(worker: Worker, record: dict[str, Any]) -> dict[str, Any]:
    """Like `_validated`, for a key already seen on the topic: wait for the newest record."""
    key = record["document_id"].encode()
    worker.seen.pop((worker.names.validated, key), None)
    return _validated(worker, record)


def test_a_low_confidence_document_goes_to_review_with_reasons(worker: Worker) -> None:
    validated = _classified_invoice(("hello", "nothing to see here"))
    validated.update(stage="VALIDATED", doc_type={"label": "invoice", "confidence": 0.2})
    key = validated["document_id"]
    worker.send(worker.names.validated, key, worker.codecs.result.encode(validated, "validated"))
    review = worker.codecs.result.decode(worker.expect(worker.names.review, key))
    result = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert review["status"] == result["status"] == "REVIEW"
    assert review["review_reasons"]


def test_an_undecodable_record_goes_to_the_dead_letter_topic(worker: Worker) -> None:
    key = f"garbage-{uuid.uuid4().hex[:6]}"
    worker.send(worker.names.ingest, key, b"\x00\x01 definitely not avro")
    letter = worker.codecs.dead_letter.decode(worker.expect(worker.names.dlq, key))
    assert letter["stage"] == "classify"
    assert letter["reason_code"]
    assert letter["original_topic"] == worker.names.ingest
    assert worker.nothing_on(worker.names.classified, key)


def test_an_unreadable_pdf_goes_to_the_dead_letter_topic_and_the_agent_keeps_going(
    worker: Worker,
) -> None:
    broken = _submission(b"%PDF-1.7\n1 0 obj << /Type /Catalog", "broken.pdf", "application/pdf")
    worker.send(
        worker.names.ingest,
        broken["document_id"],
        worker.codecs.submitted.encode(broken, worker.names.ingest),
    )
    letter = worker.codecs.dead_letter.decode(
        worker.expect(worker.names.dlq, broken["document_id"])
    )
    assert letter["stage"] == "classify"
    assert letter["document_id"] == broken["document_id"]
    assert letter["attempt"] == 1  # a damaged file is a permanent failure: no retries
    good = next(iter_documents(1, seed=22, kinds=["receipt"], single_page=True))
    submission = _submission(good.payload, good.filename, good.content_type)
    worker.send(
        worker.names.ingest,
        submission["document_id"],
        worker.codecs.submitted.encode(submission, worker.names.ingest),
    )
    record = worker.codecs.result.decode(
        worker.expect(worker.names.classified, submission["document_id"])
    )
    assert record["doc_type"]["label"] == "receipt"


def test_the_worker_serves_health_and_stage_metrics(worker: Worker) -> None:
    port = worker.settings.web_port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        metrics = response.read().decode()
    for stage in ("classify", "extract", "validate", "enrich"):
        assert f'stage="{stage}"' in metrics


def _claimed_submission(worker: Worker, payload: bytes) -> tuple[dict[str, Any], str]:
    digest = hashlib.sha256(payload).hexdigest()
    submission = _submission(payload, "claimed.txt", "text/plain")
    submission["payload"] = None
    submission["claim_check_uri"] = f"blob://sha256/{digest}"
    worker.send(
        worker.names.ingest,
        submission["document_id"],
        worker.codecs.submitted.encode(submission, worker.names.ingest),
    )
    return submission, digest


def _retries_counted(worker: Worker, reason: str) -> float:
    url = f"http://127.0.0.1:{worker.settings.web_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        metrics = response.read().decode()
    wanted = f'doclane_stage_retries_total{{reason="{reason}",stage="classify"}}'
    return sum(
        float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(wanted)
    )


def test_a_transient_failure_is_retried_after_a_delay_and_then_succeeds(worker: Worker) -> None:
    before = _retries_counted(worker, "claim_check_missing")
    payload = f"INVOICE\nInvoice No: RT-{uuid.uuid4().hex[:6]}\nTotal 10.00 EUR\n".encode()
    submission, digest = _claimed_submission(worker, payload)
    deadline = time.monotonic() + 30
    while _retries_counted(worker, "claim_check_missing") <= before:
        assert time.monotonic() < deadline, "the first attempt never failed"
        time.sleep(0.1)
    # The blob shows up after the first attempt failed, as on a lagging shared store.
    BlobStore(worker.settings.blob_dir).put(payload)
    record = worker.codecs.result.decode(
        worker.expect(worker.names.classified, submission["document_id"])
    )
    assert record["sha256"] == digest
    assert worker.nothing_on(worker.names.dlq, submission["document_id"])


def test_a_transient_failure_that_persists_ends_in_the_dead_letter_topic_with_its_attempts(
    worker: Worker,
) -> None:
    submission, _ = _claimed_submission(worker, uuid.uuid4().bytes)
    letter = worker.codecs.dead_letter.decode(
        worker.expect(worker.names.dlq, submission["document_id"])
    )
    assert letter["reason_code"] == "claim_check_missing"
    assert letter["attempt"] == 3  # the first try and one per configured delay
    assert letter["original_topic"] == worker.names.ingest
    assert worker.nothing_on(worker.names.classified, submission["document_id"])


def test_every_log_line_about_a_document_names_it(worker: Worker) -> None:
    """The earlier tests dead-lettered and retried records; their lines carry both ids."""
    lines = [
        json.loads(line)
        for line in worker.log.read_text(errors="replace").splitlines()
        if line.startswith("{")
    ]
    about_documents = [
        line
        for line in lines
        if str(line.get("logger", "")).startswith("doclane.streams") and line.get("reason_code")
    ]
    assert len(about_documents) >= 3
    for line in about_documents:
        assert line.get("document_id"), line
        assert "correlation_id" in line, line


@pytest.mark.parametrize("as_pdf", [False, True], ids=["png", "scanned-pdf"])
def test_a_scan_is_read_by_ocr_through_every_stage(worker: Worker, as_pdf: bool) -> None:
    """A photo (PNG) or a scanned PDF without text layer: no longer a `no_text_layer`
    dead letter, but a result with the invoice's fields, boxed on the page."""
    import random

    from doclane.samples.scans import scan

    invoice = next(iter_documents(1, seed=21, kinds=["invoice"], single_page=True))
    scanned = scan(invoice, random.Random(3), as_pdf=as_pdf)
    submission = _submission(scanned.payload, scanned.filename, scanned.content_type)
    # A speckled scan is megabytes: it travels by claim-check, as `doclane submit` sends it.
    submission["claim_check_uri"] = BlobStore(worker.settings.blob_dir).put(scanned.payload)
    submission["payload"] = None
    key = submission["document_id"]
    worker.send(
        worker.names.ingest, key, worker.codecs.submitted.encode(submission, worker.names.ingest)
    )
    record = worker.codecs.result.decode(worker.expect(worker.names.results, key, timeout=120))
    assert record["doc_type"]["label"] == "invoice"
    fields = _fields(record)
    assert fields["invoice_number"] == invoice.label["fields"]["invoice_number"]
    assert fields["total"] == invoice.label["fields"]["total"]
    total = next(f for f in record["fields"] if f["name"] == "total")
    assert total["provenance"]["page"] == 1
    assert total["provenance"]["bbox"] is not None
    assert [t["stage"] for t in record["timings"]] == ["classify", "extract", "validate", "enrich"]


def _invoice_sheet(kind: str) -> tuple[bytes, str, str]:
    rows = [line.split(": ", 1) if ": " in line else [line] for line in INVOICE_LINES]
    if kind == "csv":
        payload = "\n".join(";".join(row) for row in rows).encode("cp1252")
        return payload, "invoice.csv", "text/csv"
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return (
        out.getvalue(),
        "invoice.xlsx",
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_invoice_exported_as_a_sheet_comes_out_with_cell_provenance(
    worker: Worker, kind: str
) -> None:
    payload, filename, content_type = _invoice_sheet(kind)
    submission = _submission(payload, filename, content_type)
    key = submission["document_id"]
    worker.send(
        worker.names.ingest, key, worker.codecs.submitted.encode(submission, worker.names.ingest)
    )
    record = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert record["doc_type"]["label"] == "invoice"
    fields = _fields(record)
    assert fields["invoice_number"] == "INV-2026-0042"
    assert fields["total"] == "1190.00"
    total = next(f for f in record["fields"] if f["name"] == "total")
    # Row 11 ("Total", "1,190.00 EUR"): columns A:B, in cell units.
    assert total["provenance"]["bbox"] == {"x0": 0.0, "y0": 10.0, "x1": 2.0, "y1": 11.0}


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _child_id(parent_id: str, path: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"doclane:{parent_id}/{path}"))


def _submit(worker: Worker, payload: bytes, filename: str, content_type: str) -> str:
    submission = _submission(payload, filename, content_type)
    key = submission["document_id"]
    worker.send(
        worker.names.ingest, key, worker.codecs.submitted.encode(submission, worker.names.ingest)
    )
    return key


def test_a_zip_fans_out_into_child_documents_each_with_its_own_result(worker: Worker) -> None:
    invoice = next(iter_documents(1, seed=21, kinds=["invoice"], single_page=True))
    receipt = next(iter_documents(1, seed=22, kinds=["receipt"]))
    archive = _zip(
        {"invoices/a.pdf": invoice.payload, "old.zip": _zip({"till.txt": receipt.payload})}
    )
    key = _submit(worker, archive, "inbox.zip", "application/zip")
    parent = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert parent["doc_type"]["label"] == "container"
    assert parent["child_count"] == 2
    assert parent["status"] == "ACCEPTED"
    assert parent["parent_id"] is None
    expected = {"invoices/a.pdf": "invoice", "old.zip/till.txt": "receipt"}
    for path, doc_type in expected.items():
        child_key = _child_id(key, path)
        child = worker.codecs.result.decode(worker.expect(worker.names.results, child_key))
        assert child["parent_id"] == key
        assert child["path"] == path
        assert child["doc_type"]["label"] == doc_type
        assert child["correlation_id"] == parent["correlation_id"]
    invoice_child = worker.codecs.result.decode(
        worker.expect(worker.names.results, _child_id(key, "invoices/a.pdf"))
    )
    assert _fields(invoice_child)["total"] == invoice.label["fields"]["total"]


def test_an_email_gives_its_body_and_its_attachment_as_children(worker: Worker) -> None:
    from email.message import EmailMessage

    invoice = next(iter_documents(1, seed=23, kinds=["invoice"], single_page=True))
    message = EmailMessage()
    message["From"] = "billing@nordwind.example"
    message["To"] = "ap@buyer.example"
    message["Subject"] = "Your invoice"
    message.set_content("Dear customer,\nplease find our invoice attached.\nKind regards")
    message.add_attachment(
        invoice.payload, maintype="application", subtype="pdf", filename="invoice.pdf"
    )
    key = _submit(worker, message.as_bytes(), "mail.eml", "message/rfc822")
    parent = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert (parent["doc_type"]["label"], parent["child_count"]) == ("container", 2)
    body = worker.codecs.result.decode(worker.expect(worker.names.results, _child_id(key, "body")))
    assert body["path"] == "body"
    assert body["content_type"] == "text/plain"
    attachment = worker.codecs.result.decode(
        worker.expect(worker.names.results, _child_id(key, "invoice.pdf"))
    )
    assert attachment["doc_type"]["label"] == "invoice"
    assert _fields(attachment)["invoice_number"] == invoice.label["fields"]["invoice_number"]


def test_a_zip_bomb_is_a_dead_letter_with_its_own_reason(worker: Worker) -> None:
    bomb = _zip({"bomb.txt": bytes(50 * 2**20)})
    key = _submit(worker, bomb, "bomb.zip", "application/zip")
    letter = worker.codecs.dead_letter.decode(worker.expect(worker.names.dlq, key))
    assert letter["reason_code"] == "archive_ratio_exceeded"
    assert letter["stage"] == "classify"


def test_an_outlook_msg_gives_its_attachment_as_a_child(worker: Worker) -> None:
    from tests.unit.core.read.msg_builder import build_msg

    invoice = next(iter_documents(1, seed=24, kinds=["invoice"], single_page=True))
    payload = build_msg(
        subject="Your invoice",
        body="Dear customer,\nplease find our invoice attached.",
        sender="billing@nordwind.example",
        attachments={"invoice.pdf": invoice.payload},
    )
    key = _submit(worker, payload, "mail.msg", "application/vnd.ms-outlook")
    parent = worker.codecs.result.decode(worker.expect(worker.names.results, key))
    assert (parent["doc_type"]["label"], parent["child_count"]) == ("container", 2)
    attachment = worker.codecs.result.decode(
        worker.expect(worker.names.results, _child_id(key, "invoice.pdf"))
    )
    assert attachment["parent_id"] == key
    assert _fields(attachment)["total"] == invoice.label["fields"]["total"]
