"""The hostile corpus through the running pipeline: every file ends where it must.

All 300-odd generated hostile files (tests/hostile) are submitted to a real
worker, a good document after every few of them, plus records no file can
produce: undecodable Avro and claim-checks that point nowhere or outside the
blob store. Each hostile record must reach the dead-letter topic with its
reason code (or the results, when it is readable after all), no worker may
die, every good document must come through, and the parse processes' peak
memory must stay under the configured limit.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections import Counter
from dataclasses import replace

import pytest
from confluent_kafka import Producer

from doclane.connectors.ingest import Submitter
from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.settings import Settings
from doclane.wire.records import utc_now
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests.hostile.corpus import build_corpus
from tests.kafka_tools import read_topic

pytestmark = [pytest.mark.broker, pytest.mark.slow]

MAX_INPUT_BYTES = 8 * 1024 * 1024
MEMORY_MB = 256
GOOD_EVERY = 10


def _raw_submission(codecs: Codecs, names: TopicNames, claim_check_uri: str) -> dict[str, object]:
    return {
        "document_id": uuid.uuid4().hex,
        "correlation_id": "hostile",
        "source": "test",
        "filename": "claimed.pdf",
        "content_type": "application/pdf",
        "size_bytes": 10,
        "sha256": "0" * 64,
        "payload": None,
        "claim_check_uri": claim_check_uri,
        "submitted_at": utc_now(),
        "priority": 0,
        "metadata": {},
    }


def test_hostile_records_end_in_the_dlq_with_their_reason_and_good_documents_pass(
    pipeline_settings: Settings,
) -> None:
    settings = replace(
        pipeline_settings,
        workers=1,
        parse_processes=2,
        parse_cpu_seconds=3,
        parse_memory_mb=MEMORY_MB,
        max_document_bytes=MAX_INPUT_BYTES,
        retry_delays=(0.2,),
    )
    names = TopicNames.from_prefix(settings.topic_prefix)
    codecs = Codecs.from_settings(settings)
    create_topics(settings)
    seed_reference_data(settings)
    cases = [case for case in build_corpus(MAX_INPUT_BYTES) if case.pdf_engine == "pdfium"]
    good_documents = iter_documents(len(cases) // GOOD_EVERY + 1, seed=31, single_page=True)
    expected: dict[str, str | None] = {}
    good: set[str] = set()
    supervisor = Supervisor(settings)
    supervisor.start()
    try:
        submitter = Submitter(settings, source="hostile")
        for index, case in enumerate(cases):
            submission = submitter.submit_bytes(
                case.payload, filename=case.filename, content_type=case.content_type
            )
            expected[submission.document_id] = case.expected
            if index % GOOD_EVERY == 0:
                document = next(good_documents)
                good.add(
                    submitter.submit_bytes(
                        document.payload,
                        filename=document.filename,
                        content_type=document.content_type,
                    ).document_id
                )
        submitter.flush()
        producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
        garbage_key = f"garbage-{uuid.uuid4().hex[:8]}"
        producer.produce(names.ingest, key=garbage_key.encode(), value=b"\x00not avro at all")
        expected[garbage_key] = "undecodable_record"
        for uri, reason in (
            (f"blob://sha256/{'ab' * 32}", "claim_check_missing"),
            ("blob://sha256/../../../../etc/passwd", "bad_claim_check"),
            ("file:///etc/passwd", "bad_claim_check"),
        ):
            record = _raw_submission(codecs, names, uri)
            producer.produce(
                names.ingest,
                key=str(record["document_id"]).encode(),
                value=codecs.submitted.encode(record, names.ingest),
            )
            expected[str(record["document_id"])] = reason
        producer.flush(10)

        refused = {key for key, reason in expected.items() if reason is not None}
        readable = {key for key, reason in expected.items() if reason is None}
        dead = read_topic(settings.bootstrap_servers, names.dlq, expect=len(refused), timeout=600)
        letters = {key.decode(): codecs.dead_letter.decode(value) for key, value in dead}
        doubled = [key for key, count in Counter(key for key, _ in dead).items() if count > 1]
        results = {
            key.decode()
            for key, _ in read_topic(
                settings.bootstrap_servers,
                names.results,
                expect=len(good) + len(readable),
                timeout=300,
            )
        }
        with urllib.request.urlopen(
            f"http://127.0.0.1:{settings.web_port}/health", timeout=5
        ) as response:
            health = json.loads(response.read())
        assert all(child.alive for child in supervisor.children)
        assert all(child.restarts == 0 for child in supervisor.children)
    finally:
        supervisor.stop()

    wrong = Counter(
        (expected[key], letters[key]["reason_code"] if key in letters else "not dead-lettered")
        for key in refused
        if key not in letters or letters[key]["reason_code"] != expected[key]
    )
    assert not wrong, f"(expected, got): count {dict(wrong)}"
    assert not doubled, f"dead-lettered more than once: {doubled[:5]}"
    assert good <= results, f"{len(good - results)} good documents did not come through"
    assert readable <= results, f"{len(readable - results)} readable files did not come through"
    peak = health["parse_peak_rss_bytes"]
    print(  # shown with `pytest -s`: the figure the reliability note reports
        f"hostile corpus: {len(refused)} dead-lettered, {len(readable)} read, {len(good)} good; "
        f"parse peak RSS {peak / 2**20:.0f} MiB (limit {MEMORY_MB} MiB), "
        f"{health['parse_processes_replaced']} parse processes replaced"
    )
    assert 0 < peak < MEMORY_MB * 1024 * 1024
