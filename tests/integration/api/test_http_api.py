"""The HTTP API over real HTTP, in front of the real broker, workers and sink.

One pipeline (sink, a worker, the API under the supervisor `doclane run`
uses) serves every test of this module; uploads go through uvicorn on a test
port with httpx, and what they did is read back from the ingest topic, the
blob store and ClickHouse through the API itself.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.security.keys import KeyChecker
from doclane.settings import PROJECT_ROOT, Secret, Settings
from doclane.streaming.blobs import BlobStore
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests import ports
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.broker

KEY = "test-key-" + "k" * 24
MAX_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def api(broker_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    unique = uuid.uuid4().hex[:10]
    slot = int(unique[:4], 16)
    web_port, sink_port = ports.per_test(slot)
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"t{unique}.",
        app_id=f"doclane-t{unique}",
        partitions=3,
        data_dir=tmp_path_factory.mktemp("api") / "var",
        cache_dir=PROJECT_ROOT / ".cache",
        web_port=web_port,
        sink_port=sink_port,
        api_port=ports.per_test_api(slot),
        api_keys=(Secret(KEY),),
        max_document_bytes=MAX_BYTES,
        parse_processes=1,
        sink_batch_seconds=0.3,
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
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
    )
    try:
        yield _Api(settings, supervisor, client)
    finally:
        client.close()
        supervisor.stop()


class _Api:
    def __init__(self, settings: Settings, supervisor: Supervisor, client: httpx.Client) -> None:
        self.settings = settings
        self.supervisor = supervisor
        self.client = client
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.codecs = Codecs.from_settings(settings)

    def ingest_records(self) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for key, value in read_topic(self.settings.bootstrap_servers, self.names.ingest):
            found.setdefault(key.decode(), []).append(self.codecs.submitted.decode(value))
        return found

    def wait_done(self, document_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.client.get(f"/v1/documents/{document_id}").json()
            if body["done"]:
                return body
            time.sleep(0.3)
        raise AssertionError(f"{document_id} not done after {timeout} s")


def _padded_pdf(payload: bytes, size: int) -> bytes:
    """A real sample PDF made `size` bytes long by a trailing comment (readers skip it)."""
    return payload + b"\n%" + b"x" * (size - len(payload) - 3) + b"\n"


def test_many_files_are_accepted_at_once_and_land_on_the_ingest_topic(api: _Api) -> None:
    invoice, receipt = iter_documents(2, seed=41, kinds=["invoice", "receipt"], single_page=True)
    large = _padded_pdf(invoice.payload, 1024 * 1024)  # over the claim-check threshold
    answer = api.client.post(
        "/v1/documents",
        files=[
            ("file", (invoice.filename, invoice.payload, invoice.content_type)),
            ("file", ("large.pdf", large, "application/pdf")),
            ("file", (receipt.filename, receipt.payload, "application/octet-stream")),
        ],
    )
    assert answer.status_code == 202
    accepted = answer.json()["documents"]
    assert [d["filename"] for d in accepted] == [invoice.filename, "large.pdf", receipt.filename]
    assert len({d["document_id"] for d in accepted}) == 3

    records = api.ingest_records()
    small, claimed, third = (records[d["document_id"]] for d in accepted)
    assert [len(small), len(claimed), len(third)] == [1, 1, 1]
    assert small[0]["payload"] == invoice.payload
    assert small[0]["source"] == "api"
    assert claimed[0]["payload"] is None
    assert claimed[0]["size_bytes"] == len(large)
    blobs = BlobStore(api.settings.blob_dir)
    assert blobs.get(claimed[0]["claim_check_uri"]) == large
    assert third[0]["content_type"] == receipt.content_type  # what its bytes or name say

    done = api.wait_done(accepted[0]["document_id"])
    assert done["status"] in ("accepted", "review")
    assert done["result"]["doc_type"] == invoice.label["doc_type"]
    assert {f["name"] for f in done["result"]["fields"]} >= {"invoice_number", "total"}
    assert {s["stage"] for s in done["result"]["stages"]} >= {
        "classify", "extract", "validate", "enrich",
    }  # fmt: skip
    claimed_done = api.wait_done(accepted[1]["document_id"])
    assert claimed_done["result"]["size_bytes"] == len(large)
    assert claimed_done["result"]["doc_type"] == invoice.label["doc_type"]


def test_a_raw_body_upload_is_processing_then_done_and_its_events_stream_per_stage(
    api: _Api,
) -> None:
    (receipt,) = iter_documents(1, seed=43, kinds=["receipt"], single_page=True)
    answer = api.client.post(
        "/v1/documents",
        params={"filename": receipt.filename},
        content=receipt.payload,
        headers={"Content-Type": receipt.content_type},
    )
    assert answer.status_code == 202
    (accepted,) = answer.json()["documents"]
    document_id = accepted["document_id"]
    assert accepted["filename"] == receipt.filename
    first = api.client.get(f"/v1/documents/{document_id}").json()
    assert first == {
        "document_id": document_id,
        "status": "processing",
        "done": False,
        "filename": receipt.filename,
        "submitted_at": first["submitted_at"],
        "result": None,
    }

    events = []
    with api.client.stream("GET", f"/v1/documents/{document_id}/events") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((kind, json.loads(line.removeprefix("data: "))))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "processing"
    assert kinds[-1] == "done"  # and the stream ended by itself
    stages = [data["stage"] for kind, data in events if kind == "stage"]
    assert stages == ["submitted", "classify", "extract", "validate", "enrich"]
    done = api.client.get(f"/v1/documents/{document_id}").json()
    assert events[-1][1]["status"] == done["status"]
    assert done["result"]["doc_type"] == "receipt"


def test_a_retried_upload_returns_the_same_ids_and_submits_nothing_twice(api: _Api) -> None:
    documents = list(iter_documents(2, seed=47, single_page=True))
    files = [("file", (d.filename, d.payload, d.content_type)) for d in documents]
    key = {"Idempotency-Key": f"retry-{uuid.uuid4().hex}"}
    first = api.client.post("/v1/documents", files=files, headers=key)
    again = api.client.post("/v1/documents", files=files, headers=key)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"

    # The key is remembered by a restarted API process too.
    api_child = api.supervisor.api_server
    assert api_child is not None
    api_child.signal(15)
    api_child.wait(30)
    assert api.supervisor.restart_dead() == ["api"]
    _wait_ready(api)
    after_restart = api.client.post("/v1/documents", files=files, headers=key)
    assert after_restart.json() == first.json()

    ids = [d["document_id"] for d in first.json()["documents"]]
    records = api.ingest_records()
    assert [len(records[i]) for i in ids] == [1, 1]
    digests = {hashlib.sha256(d.payload).hexdigest() for d in documents}
    same_files = [r for rs in records.values() for r in rs if r["sha256"] in digests]
    assert len(same_files) == 2
    other = api.client.post(
        "/v1/documents", files=files, headers={"Idempotency-Key": f"new-{uuid.uuid4().hex}"}
    )
    assert {d["document_id"] for d in other.json()["documents"]}.isdisjoint(ids)


def _wait_ready(api: _Api, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if api.client.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("the API did not come back")


def test_refusals_say_why_and_submit_nothing(api: _Api, tmp_path: Path) -> None:
    (invoice,) = iter_documents(1, seed=53, kinds=["invoice"], single_page=True)
    before = sum(len(records) for records in api.ingest_records().values())
    anonymous = httpx.post(
        f"{api.client.base_url}/v1/documents",
        files=[("file", (invoice.filename, invoice.payload, "application/pdf"))],
    )
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    wrong = httpx.get(
        f"{api.client.base_url}/v1/documents/abc", headers={"X-API-Key": "wrong-" + "x" * 20}
    )
    assert wrong.status_code == 401
    assert (
        httpx.get(f"{api.client.base_url}/v1/documents/abc", headers={"X-API-Key": KEY}).status_code
        == 404
    )  # the other header works too

    too_large = _padded_pdf(invoice.payload, MAX_BYTES + 1)
    raw = api.client.post(
        "/v1/documents", params={"filename": "big.pdf"}, content=too_large,
        headers={"Content-Type": "application/pdf"},
    )  # fmt: skip
    assert raw.status_code == 413
    assert raw.json()["error"] == "document_too_large"
    multipart = api.client.post(
        "/v1/documents",
        files=[
            ("file", (invoice.filename, invoice.payload, "application/pdf")),
            ("file", ("big.pdf", too_large, "application/pdf")),
        ],
    )
    assert multipart.status_code == 413

    gif = api.client.post(
        "/v1/documents",
        files=[("file", ("clip.gif", b"GIF89a" + b"0" * 100, "image/gif"))],
    )
    assert gif.status_code == 415
    assert "application/pdf" in gif.json()["detail"]
    unknown_bytes = api.client.post(
        "/v1/documents", params={"filename": "blob"}, content=b"\x00\x01" * 600
    )
    assert unknown_bytes.status_code == 415
    assert api.client.get(f"/v1/documents/{uuid.uuid4().hex}").status_code == 404
    assert api.client.get(f"/v1/documents/{uuid.uuid4().hex}/events").status_code == 404

    after = sum(len(records) for records in api.ingest_records().values())
    assert after == before  # not even the good file of the refused multipart upload
    metrics = httpx.get(f"{api.client.base_url}/metrics").text
    assert 'doclane_api_refusals_total{reason="unsupported_content_type"}' in metrics
    assert 'doclane_api_refusals_total{reason="document_too_large"}' in metrics


def test_the_openapi_document_and_its_docs_page_are_served(api: _Api) -> None:
    spec = httpx.get(f"{api.client.base_url}/openapi.json").json()
    assert {
        "/v1/documents",
        "/v1/documents/{document_id}",
        "/v1/documents/{document_id}/events",
    } <= set(spec["paths"])
    assert set(spec["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}
    upload = spec["paths"]["/v1/documents"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    docs = httpx.get(f"{api.client.base_url}/docs")
    assert docs.status_code == 200
    assert "POST /v1/documents" in docs.text
    assert "<script" not in docs.text  # readable offline: nothing to fetch
    assert "Idempotency-Key" in docs.text
    swagger = httpx.get(f"{api.client.base_url}/docs/swagger")
    assert swagger.status_code == 200
    assert "swagger" in swagger.text.lower()


def test_the_review_queue_lists_documents_sent_to_review_with_counts(api: _Api) -> None:
    (letter,) = iter_documents(1, seed=59, kinds=["other"], single_page=True)
    answer = api.client.post(
        "/v1/documents", files=[("file", (letter.filename, letter.payload, letter.content_type))]
    )
    (accepted,) = answer.json()["documents"]
    assert api.wait_done(accepted["document_id"])["status"] == "review"
    queue: dict[str, Any] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the review copy lands beside the result
        queue = api.client.get("/v1/review", params={"doc_type": "other"}).json()
        if any(d["document_id"] == accepted["document_id"] for d in queue["documents"]):
            break
        time.sleep(0.3)
    (entry,) = [d for d in queue["documents"] if d["document_id"] == accepted["document_id"]]
    assert entry["filename"] == letter.filename
    assert "The document type could not be recognised." in entry["reasons"]
    assert {row["doc_type"] for row in queue["by_type"]} == {"other"}
    assert queue["total"] >= 1
    assert any(
        row["reason"] == "The document type could not be recognised." for row in queue["by_reason"]
    )
    # A filter with quotes is a filter, not SQL.
    odd = api.client.get("/v1/review", params={"vendor": "x' OR 1=1 --"})
    assert odd.status_code == 200
    assert odd.json()["documents"] == []
    assert httpx.get(f"{api.client.base_url}/v1/review").status_code == 401

    page = httpx.get(f"{api.client.base_url}/review")
    assert page.status_code == 401
    assert "API key" in page.text  # a sign-in form, not the queue
    with httpx.Client(base_url=str(api.client.base_url)) as browser:
        signed_in = browser.post("/review/login", data={"key": KEY}, follow_redirects=True)
        assert signed_in.status_code == 200
        assert accepted["document_id"] in signed_in.text
        assert "http" not in signed_in.text.split("<body>")[0].replace(
            "http-equiv", ""
        )  # nothing from outside
        filtered = browser.get("/review", params={"doc_type": "invoice"})
        assert accepted["document_id"] not in filtered.text
        detail = browser.get(f"/review/{accepted['document_id']}")
        assert detail.status_code == 200
        assert "The document type could not be recognised." in detail.text
        assert "classify" in detail.text


def _land_in_review(api: _Api, seed: int, kind: str) -> str:
    (document,) = iter_documents(1, seed=seed, kinds=[kind], single_page=True)
    answer = api.client.post(
        "/v1/documents",
        files=[("file", (document.filename, document.payload, document.content_type))],
    )
    (accepted,) = answer.json()["documents"]
    document_id: str = accepted["document_id"]
    api.wait_done(document_id)
    return document_id


def _until(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"not true within {timeout} s")


def test_a_correction_publishes_a_new_version_an_audit_row_and_leaves_the_queue(
    api: _Api,
) -> None:
    from doclane.ops.analytics import SinkQueryRunner

    document_id = _land_in_review(api, seed=61, kind="other")
    # Through the review page's form, signed in with the cookie, as a clerk does.
    with httpx.Client(base_url=str(api.client.base_url)) as browser:
        browser.post("/review/login", data={"key": KEY})
        page = browser.get(f"/review/{document_id}")
        assert "Save corrections" in page.text
        assert "accesskey=p" not in page.text  # opened directly: no document before it
        came_from = "0" * 8 + "-0000-4000-8000-" + "0" * 12
        stepped = browser.get(f"/review/{document_id}", params={"from": came_from})
        assert f"<a href='/review/{came_from}' accesskey=p>" in stepped.text
        assert "name=base_version value=1" in page.text
        assert f"/review/{document_id}/pages/1.png" in page.text  # the original is kept
        picture = browser.get(f"/review/{document_id}/pages/1.png")
        assert picture.headers["content-type"] == "image/png"
        assert picture.content[:8] == b"\x89PNG\r\n\x1a\n"
        sent = browser.post(
            f"/review/{document_id}/corrections",
            data={
                "action": "correct",
                "doc_type": "invoice",
                "new_field": "total",
                "new_value": "1.234,50",
                "base_version": "1",
                "comment": "a letter with a bill inside",
            },
        )
        assert sent.status_code == 303  # on to the next document, or back to the queue
        refused = browser.post(
            f"/review/{document_id}/corrections",
            data={"action": "correct", "field.total": "twelve", "base_version": "1"},
        )
        assert refused.status_code in (409, 422)  # a stale version or an unreadable amount

    def corrected() -> dict[str, Any] | None:
        body = api.client.get(f"/v1/documents/{document_id}").json()
        return body if body.get("result", {}).get("result_version") == 2 else None

    body = _until(corrected)
    result = body["result"]
    assert result["doc_type"] == "invoice"
    assert result["status"] == "accepted"
    assert {"name": "total", "normalized_value": "1234.50", "source": "reviewer"}.items() <= next(
        f for f in result["fields"] if f["name"] == "total"
    ).items()
    queue = api.client.get("/v1/review").json()
    assert document_id not in {d["document_id"] for d in queue["documents"]}

    runner = SinkQueryRunner.for_settings(api.settings)
    audit = runner.query(
        "SELECT field, old_value, new_value, reviewer, action FROM correction_audit "
        f"FINAL WHERE document_id = '{document_id}' ORDER BY field"
    ).rows
    # The audit names the key by its id, never the key itself.
    principal = KeyChecker((Secret(KEY),), frozenset({"admin"}), None).principal_of(KEY)
    assert principal is not None
    reviewer = principal.key_id
    assert audit == [
        ("doc_type", "other", "invoice", reviewer, "correct"),
        ("total", None, "1234.50", reviewer, "correct"),
    ]

    # Both records are on their topics, committed together.
    corrections = [
        api.codecs.correction.decode(value)
        for key, value in read_topic(api.settings.bootstrap_servers, api.names.corrections)
        if key.decode() == document_id
    ]
    assert [(c["action"], c["base_version"], c["reviewer"]) for c in corrections] == [
        ("CORRECT", 1, reviewer)
    ]
    versions = sorted(
        api.codecs.result.decode(value)["version"]
        for key, value in read_topic(api.settings.bootstrap_servers, api.names.results)
        if key.decode() == document_id
    )
    assert versions == [1, 2]

    picture = api.client.get(f"/v1/documents/{document_id}/pages/1.png")
    assert picture.status_code == 200
    assert picture.content[:4] == b"\x89PNG"
    assert api.client.get(f"/v1/documents/{document_id}/pages/9.png").status_code == 404
    assert (
        httpx.get(f"{api.client.base_url}/v1/documents/{document_id}/pages/1.png").status_code
        == 401
    )

    # The JSON route: approving the corrected version is version 3; a stale version is refused.
    stale = api.client.post(
        f"/v1/review/{document_id}/corrections", json={"action": "approve", "base_version": 1}
    )
    assert stale.status_code == 409
    approved = api.client.post(
        f"/v1/review/{document_id}/corrections", json={"action": "approve", "base_version": 2}
    )
    assert approved.status_code == 202
    assert approved.json()["version"] == 3
    unchanged = api.client.post(
        f"/v1/review/{document_id}/corrections", json={"fields": {"total": "1234.5"}}
    )
    assert unchanged.status_code == 422
    assert unchanged.json()["error"] == "correction_refused"


def test_a_corrected_vendor_document_teaches_the_next_one_of_that_vendor(api: _Api) -> None:
    from doclane.evaluation.vendor_memory import vendor_documents

    first, second = vendor_documents(vendor_index=0, count=2, seed=3)

    def upload(document: Any) -> str:
        answer = api.client.post(
            "/v1/documents",
            content=document.text.encode(),
            headers={"Content-Type": "text/plain"},
        )
        assert answer.status_code == 202, answer.text
        (accepted,) = answer.json()["documents"]
        return str(accepted["document_id"])

    first_id = upload(first)
    before = api.wait_done(first_id)["result"]
    found = {f["name"]: f["normalized_value"] for f in before["fields"]}
    assert found.get("total") != first.truth["total"]  # the layout defeats extraction
    taught = api.client.post(
        f"/v1/review/{first_id}/corrections",
        json={"fields": {name: first.truth[name] for name in ("total", "vendor_name", "currency")}},
    )
    assert taught.status_code == 202, taught.text
    hints = {
        key.decode(): api.codecs.vendor_hint.decode(value)
        for key, value in read_topic(api.settings.bootstrap_servers, api.names.vendor_memory)
    }
    total_hint = next(h for k, h in hints.items() if k.endswith("|total"))
    assert total_hint["label"] == "zu begleichen"
    assert total_hint["correction_id"] == taught.json()["correction_id"]

    time.sleep(2.5)  # the workers re-read their vendor-memory table every 2 s
    result = api.wait_done(upload(second))["result"]
    fields = {f["name"]: f for f in result["fields"]}
    assert fields["total"]["normalized_value"] == second.truth["total"]
    assert fields["total"]["source"] == "vendor_memory"
    assert fields["vendor_name"]["value"] == second.truth["vendor_name"]
    assert fields["currency"]["normalized_value"] == second.truth["currency"]
