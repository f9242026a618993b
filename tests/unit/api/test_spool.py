"""An upload spooled chunk by chunk: inline while small, into the blob store once large."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from doclane.api.errors import UploadTooLargeError
from doclane.api.spool import Spool
from doclane.streaming.blobs import BlobStore


def _spool(store: BlobStore, *, inline_limit: int = 100, max_bytes: int = 1000) -> Spool:
    return Spool(inline_limit=inline_limit, max_bytes=max_bytes, open_writer=store.writer)


def test_a_small_upload_stays_inline_and_writes_nothing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    spool = _spool(store)
    for chunk in (b"%PDF-1.7 ", b"tiny"):
        spool.write(chunk)
    done = spool.finish()
    assert done.payload == b"%PDF-1.7 tiny"
    assert done.claim_check_uri is None
    assert done.sha256 == hashlib.sha256(b"%PDF-1.7 tiny").hexdigest()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_large_upload_is_streamed_into_the_store_and_reads_back_whole(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    spool = _spool(store, inline_limit=100, max_bytes=10_000)
    chunks = [bytes([n]) * 300 for n in range(10)]
    for chunk in chunks:
        spool.write(chunk)
    assert spool.head == chunks[0] + chunks[1] + chunks[2] + chunks[3][:124]
    done = spool.finish()
    payload = b"".join(chunks)
    assert done.payload is None
    assert done.size == len(payload)
    assert done.sha256 == hashlib.sha256(payload).hexdigest()
    assert done.claim_check_uri == f"blob://sha256/{done.sha256}"
    assert store.get(done.claim_check_uri) == payload
    assert list((tmp_path / "incoming").iterdir()) == []  # no temporary file left


def test_an_upload_over_the_limit_stops_and_leaves_nothing_behind(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    spool = _spool(store, inline_limit=100, max_bytes=500)
    spool.write(b"a" * 400)  # past the inline limit: a temporary blob exists now
    with pytest.raises(UploadTooLargeError) as refused:
        spool.write(b"a" * 200)
    assert refused.value.status_code == 413
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_same_bytes_uploaded_twice_are_stored_once(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    uris = []
    for _ in range(2):
        spool = _spool(store, inline_limit=10)
        spool.write(b"x" * 50)
        uris.append(spool.finish().claim_check_uri)
    assert uris[0] == uris[1]
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1
