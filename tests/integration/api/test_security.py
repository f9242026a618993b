"""Data governance over the real pipeline (broker, worker, sink, API under the supervisor):
personal data never reaches the logs, erasure leaves an id nowhere, and hostile HTTP
(malformed multipart, huge headers, stalled uploads, bad content types) leaves the API
up, answering 4xx, with nothing half-written."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from doclane.connectors.clickhouse.governance import document_hash
from doclane.ops.analytics import SinkQueryRunner
from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.security.keys import KeyStore, key_store_path
from doclane.settings import PROJECT_ROOT, Secret, Settings
from doclane.streaming.blobs import BlobStore
from doclane.wire.topics import TopicNames, create_topics, state_topics
from tests import ports
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.broker

ADMIN_KEY = "security-admin-" + "s" * 24

PII = {
    "name": "Mariella Quandtberger",
    "email": "mariella.quandtberger@example.org",
    "iban": "DE89370400440532013000",
    "card": "4111111111111111",
    "phone": "+49 30 98765432",
    "street": "Kastanienallee 17",
}


def _pii_invoice(number: int) -> bytes:
    return (
        f"INVOICE\nInvoice number: INV-{number:05d}\nDate: 2026-11-02\n"
        f"Bill to: {PII['name']}, {PII['street']}, 10435 Berlin\n"
        f"E-mail: {PII['email']}  Phone: {PII['phone']}\n"
        f"Pay to IBAN {PII['iban']}, card on file {PII['card']}\n"
        "Consulting 1 x 100.00 EUR\nNet 100.00\nVAT 19% 19.00\nTotal 119.00 EUR\n"
    ).encode()


class _Pipeline:
    def __init__(self, settings: Settings, client: httpx.Client) -> None:
        self.settings = settings
        self.client = client
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.base_url = f"http://127.0.0.1:{settings.api_port}"

    def wait_done(self, document_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.client.get(f"/v1/documents/{document_id}").json()
            if body.get("done"):
                return body
            time.sleep(0.3)
        raise AssertionError(f"{document_id} not done after {timeout} s")

    def logs(self) -> str:
        return "\n".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted((self.settings.data_dir / "logs").glob("*.log"))
        )


@pytest.fixture(scope="module")
def pipeline(broker_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    unique = uuid.uuid4().hex[:10]
    slot = int(unique[:4], 16)
    web_port, sink_port = ports.per_test(slot)
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"s{unique}.",
        app_id=f"doclane-s{unique}",
        partitions=2,
        data_dir=tmp_path_factory.mktemp("security") / "var",
        cache_dir=PROJECT_ROOT / ".cache",
        web_port=web_port,
        sink_port=sink_port,
        api_port=ports.per_test_api(slot),
        api_keys=(Secret(ADMIN_KEY),),
        parse_processes=1,
        sink_batch_seconds=0.3,
        log_level="debug",
        api_upload_idle_seconds=2.0,
        max_document_bytes=2 * 1024 * 1024,
    )
    create_topics(settings)
    seed_reference_data(settings)
    supervisor = Supervisor(settings, api=True)
    try:
        supervisor.start()
    except BaseException:
        supervisor.stop()
        raise
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{settings.api_port}",
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=30,
    )
    try:
        yield _Pipeline(settings, client)
    finally:
        client.close()
        supervisor.stop()


def test_documents_full_of_personal_data_leave_none_of_it_in_any_log(pipeline: _Pipeline) -> None:
    ids = []
    for number in range(3):
        answer = pipeline.client.post(
            "/v1/documents",
            params={"filename": f"{PII['name'].replace(' ', '_')}_{number}.txt"},
            content=_pii_invoice(number),
            headers={"Content-Type": "text/plain"},
        )
        assert answer.status_code == 202
        ids.append(answer.json()["documents"][0]["document_id"])
    broken = pipeline.client.post(  # a failure path too: dead letter with a PII file name
        "/v1/documents",
        files=[
            ("file", (f"{PII['email']}.pdf", b"%PDF-1.7 " + _pii_invoice(9), "application/pdf"))
        ],
    )
    assert broken.status_code == 202
    ids.append(broken.json()["documents"][0]["document_id"])
    for document_id in ids:
        pipeline.wait_done(document_id)
    time.sleep(1.0)  # the last lines reach the files
    logs = pipeline.logs()
    assert '"level":"debug"' in logs  # the test ran at DEBUG, so there was much to leak
    assert all(document_id in logs for document_id in ids)  # ids are logged, as they should
    leaked = [what for what, value in PII.items() if value in logs]
    assert leaked == []
    assert PII["name"].replace(" ", "_") not in logs  # the upload's file name neither


def _tables_naming(runner: SinkQueryRunner, needle: str) -> dict[str, int]:
    found = {}
    tables = runner.query(
        "SELECT name FROM system.tables WHERE database = 'doclane' AND engine LIKE '%MergeTree'"
    ).rows
    for (table,) in tables:
        columns = runner.query(
            "SELECT name FROM system.columns WHERE database = 'doclane' "
            f"AND table = '{table}' AND type LIKE '%String%'"
        ).rows
        if not columns:
            continue
        where = " OR ".join(f"position(toString({c}), '{needle}') > 0" for (c,) in columns)
        count = int(runner.query(f"SELECT count() FROM {table} WHERE {where}").rows[0][0])
        if count:
            found[table] = count
    return found


def _live_records_naming(pipeline: _Pipeline, needle: bytes) -> list[str]:
    """Compacted topics as a compacted reader sees them (latest per key), read_committed."""
    live = []
    for topic in state_topics(pipeline.settings):
        latest: dict[bytes, bytes | None] = {}
        for key, value in read_topic(pipeline.settings.bootstrap_servers, topic, timeout=5):
            latest[key] = value
        live += [
            topic
            for key, value in latest.items()
            if value is not None and (needle in key or needle in value)
        ]
    return live


def test_forget_leaves_the_document_id_nowhere(pipeline: _Pipeline) -> None:
    (invoice,) = iter_documents(1, seed=53, kinds=["invoice"], single_page=True)
    large = invoice.payload + b"\n%" + b"x" * (700 * 1024) + b"\n"  # claim-checked: a blob
    answer = pipeline.client.post(
        "/v1/documents", files=[("file", ("forget-me.pdf", large, "application/pdf"))]
    )
    assert answer.status_code == 202
    accepted = answer.json()["documents"][0]
    document_id = accepted["document_id"]
    pipeline.wait_done(document_id)
    runner = SinkQueryRunner(pipeline.settings.sink_port, key=ADMIN_KEY)
    assert {"documents", "pipeline_events"} <= set(_tables_naming(runner, document_id))
    blobs = BlobStore(pipeline.settings.blob_dir)
    assert blobs.exists(accepted["sha256"])
    assert _live_records_naming(pipeline, document_id.encode())  # the published marker, seen

    store = KeyStore(key_store_path(pipeline.settings))
    _, submit_key = store.create("uploader", ["submit"])
    refused = pipeline.client.delete(
        f"/v1/documents/{document_id}", headers={"Authorization": f"Bearer {submit_key}"}
    )
    assert refused.status_code == 403
    _, admin_key = store.create("dpo", ["admin"])
    erased = pipeline.client.delete(
        f"/v1/documents/{document_id}", headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert erased.status_code == 200, erased.text
    report = erased.json()
    assert report["blobs_deleted"] == 1
    assert report["tombstones"] >= 1
    assert report["ledger_entries"] >= 1
    assert report["rows_deleted"] > 0

    assert _tables_naming(runner, document_id) == {}
    assert not blobs.exists(accepted["sha256"])
    assert _live_records_naming(pipeline, document_id.encode()) == []
    assert pipeline.client.get(f"/v1/documents/{document_id}").status_code == 404
    admin_id = admin_key.split("_")[1]
    audit = runner.query(
        "SELECT actor, rows_deleted, blobs_deleted FROM erasures "
        f"WHERE document_sha256 = '{document_hash(document_id)}'"
    ).rows
    assert audit == [(admin_id, report["rows_deleted"], 1)]


def _ingest_count(pipeline: _Pipeline) -> int:
    return len(read_topic(pipeline.settings.bootstrap_servers, pipeline.names.ingest, timeout=3))


def _nothing_half_written(pipeline: _Pipeline) -> None:
    incoming = pipeline.settings.blob_dir / "incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []
    assert pipeline.client.get("/health").status_code == 200


_boundary = st.text(alphabet="abcdefghij0123456789-", min_size=1, max_size=30)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(boundary=_boundary, body=st.binary(max_size=4096), prefix=st.sampled_from([b"", b"--"]))
def test_malformed_multipart_is_a_4xx_and_submits_nothing(
    pipeline: _Pipeline, boundary: str, body: bytes, prefix: bytes
) -> None:
    answer = pipeline.client.post(
        "/v1/documents",
        content=prefix + boundary.encode() + b"\r\n" + body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert 400 <= answer.status_code < 500, answer.text


def test_hostile_requests_are_refused_and_leave_nothing_behind(pipeline: _Pipeline) -> None:
    before = _ingest_count(pipeline)
    client = pipeline.client
    for content_type in (
        "application/x-msdownload",
        "text/html",
        "application/x-sh",
        "multipart/form-data",
        ";;;",
    ):
        answer = client.post(
            "/v1/documents",
            content=b"MZ\x90\x00" + b"\x00" * 64,
            headers={"Content-Type": content_type},
        )
        assert 400 <= answer.status_code < 500, (content_type, answer.status_code)
    assert (
        client.post(
            "/v1/documents", content=b"", headers={"Content-Type": "application/pdf"}
        ).status_code
        == 400
    )
    huge = client.post(
        "/v1/documents", content=b"%PDF-1.7", headers={"X-Padding": "p" * 200_000}
    )  # a header block of 200 kB
    assert 400 <= huge.status_code < 500
    oversized = client.post(
        "/v1/documents",
        content=b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/pdf"},
    )
    assert oversized.status_code == 413
    _stalled_upload_is_cut_off(pipeline)
    _nothing_half_written(pipeline)
    assert _ingest_count(pipeline) == before


def _stalled_upload_is_cut_off(pipeline: _Pipeline) -> None:
    """Slowloris on the body: headers promise 1 MB, a few bytes come, then nothing."""
    with socket.create_connection(("127.0.0.1", pipeline.settings.api_port), timeout=15) as sock:
        sock.sendall(
            b"POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
            + f"Authorization: Bearer {ADMIN_KEY}\r\n".encode()
            + b"Content-Length: 1048576\r\n\r\n%PDF-1.7\n"
            + b"1" * (600 * 1024)
        )  # past the claim-check threshold: a blob was being written
        started = time.monotonic()
        # Meanwhile the API serves others.
        assert pipeline.client.get("/health").status_code == 200
        reply = sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
        assert time.monotonic() - started < 10
