"""The claim-check blob store on an S3-compatible service.

The service is moto's S3 server, started here on loopback: an S3-compatible
HTTP endpoint like MinIO's, reached through boto3 exactly as a deployment
reaches AWS or MinIO (this machine has no cloud access and no Docker).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace

import boto3
import pytest
from moto.server import ThreadedMotoServer

from doclane.exceptions import ConfigurationError
from doclane.settings import Settings
from doclane.streaming.blobs import ClaimCheckError, open_blob_store
from doclane.streaming.blobs.s3 import S3BlobStore

PORT = 32555
ENDPOINT = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    try:
        yield ENDPOINT
    finally:
        server.stop()


@pytest.fixture
def store(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3BlobStore:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "doclane-test",
        "AWS_SECRET_ACCESS_KEY": "doclane-test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="claims")
    settings = replace(
        Settings.from_env({}), blob_store_url="s3://claims/doclane", s3_endpoint_url=s3_endpoint
    )
    opened = open_blob_store(settings)
    assert isinstance(opened, S3BlobStore)
    return opened


def test_a_stored_document_comes_back_by_its_reference(store: S3BlobStore) -> None:
    payload = b"%PDF-1.7 a large scanned invoice" * 1000
    uri = store.put(payload)
    assert uri == f"blob://sha256/{hashlib.sha256(payload).hexdigest()}"
    assert store.get(uri) == payload
    keys = [o["Key"] for o in store.client.list_objects_v2(Bucket="claims")["Contents"]]
    assert f"doclane/{uri[14:16]}/{uri[14:]}" in keys


def test_references_that_point_nowhere_or_elsewhere_are_refused(store: S3BlobStore) -> None:
    with pytest.raises(ClaimCheckError) as missing:
        store.get(f"blob://sha256/{'0' * 64}")
    assert missing.value.reason_code == "claim_check_missing"
    assert missing.value.transient
    for bad in ("s3://claims/doclane/../secret", "blob://sha256/../../etc", "file:///etc/passwd"):
        with pytest.raises(ClaimCheckError) as refused:
            store.get(bad)
        assert refused.value.reason_code == "bad_claim_check"


def test_a_tampered_or_oversized_blob_is_refused(store: S3BlobStore) -> None:
    uri = store.put(b"original bytes")
    digest = uri.rsplit("/", 1)[1]
    store.client.put_object(Bucket="claims", Key=f"doclane/{digest[:2]}/{digest}", Body=b"changed")
    with pytest.raises(ClaimCheckError, match="does not match its digest"):
        store.get(uri)
    big = store.put(b"x" * 5000)
    with pytest.raises(ClaimCheckError) as too_large:
        store.get(big, max_bytes=1000)
    assert too_large.value.reason_code == "document_too_large"


def test_only_s3_urls_configure_a_remote_store() -> None:
    settings = replace(Settings.from_env({}), blob_store_url="ftp://claims")
    with pytest.raises(ConfigurationError, match="DOCLANE_BLOB_STORE"):
        open_blob_store(settings)
    assert Settings.from_env({"DOCLANE_BLOB_STORE": "s3://b/p"}).blob_store_url == "s3://b/p"


def test_a_document_streamed_in_chunks_is_stored_as_put_would_store_it(store: S3BlobStore) -> None:
    chunks = [bytes([n]) * 100_000 for n in range(12)]  # over the writer's in-memory spool
    writer = store.writer()
    for chunk in chunks:
        writer.write(chunk)
    uri = writer.commit()
    payload = b"".join(chunks)
    assert uri == f"blob://sha256/{hashlib.sha256(payload).hexdigest()}"
    assert writer.sha256 == uri[14:]
    assert writer.size == len(payload)
    assert store.get(uri) == payload

    dropped = store.writer()
    dropped.write(b"never committed")
    dropped.abort()
    keys = [o["Key"] for o in store.client.list_objects_v2(Bucket="claims")["Contents"]]
    digest = hashlib.sha256(b"never committed").hexdigest()
    assert not any(key.endswith(digest) for key in keys)
