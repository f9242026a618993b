"""Multipart and raw bodies read as a stream, in chunks of any size."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from doclane.api.errors import ApiError, UnsupportedContentError, UploadTooLargeError
from doclane.api.spool import Spool
from doclane.api.uploads import ReceivedFile, receive_multipart, receive_raw
from doclane.streaming.blobs import BlobStore

BOUNDARY = "----doclane-test-boundary"


def _multipart(parts: list[tuple[str, str | None, str | None, bytes]]) -> bytes:
    body = b""
    for name, filename, content_type, payload in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if content_type:
            body += f"Content-Type: {content_type}\r\n".encode()
        body += b"\r\n" + payload + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


async def _chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _receive(
    body: bytes, tmp_path: Path, chunk: int, max_bytes: int = 10_000
) -> list[ReceivedFile]:
    store = BlobStore(tmp_path)

    def new_spool() -> Spool:
        return Spool(inline_limit=200, max_bytes=max_bytes, open_writer=store.writer)

    return asyncio.run(
        receive_multipart(
            _chunks(body, chunk),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            new_spool=new_spool,
        )
    )


@pytest.mark.parametrize("chunk", [1, 7, 64, 100_000])
def test_many_files_come_out_whole_whatever_the_chunk_size(tmp_path: Path, chunk: int) -> None:
    large = b"%PDF-1.7\n" + bytes(range(256)) * 4
    body = _multipart(
        [
            ("file", "a.pdf", "application/pdf", b"%PDF-1.4 small"),
            ("note", None, None, b"a form field, not a file"),
            ("file", "b.txt", None, b"Invoice 42\nTotal 10.00"),
            ("file", "large", "application/octet-stream", large),
        ]
    )
    files = _receive(body, tmp_path, chunk)
    assert [(f.filename, f.content_type) for f in files] == [
        ("a.pdf", "application/pdf"),
        ("b.txt", "text/plain"),
        ("large", "application/pdf"),  # decided by its first bytes
    ]
    assert files[0].spooled.payload == b"%PDF-1.4 small"
    assert files[1].spooled.payload == b"Invoice 42\nTotal 10.00"
    claimed = files[2].spooled
    assert claimed.payload is None
    assert BlobStore(tmp_path).get(claimed.claim_check_uri or "") == large


def test_one_unreadable_file_refuses_the_whole_upload(tmp_path: Path) -> None:
    body = _multipart(
        [
            ("file", "a.pdf", "application/pdf", b"%PDF-1.4"),
            ("file", "clip.gif", "image/gif", b"GIF89a"),
        ]
    )
    with pytest.raises(UnsupportedContentError):
        _receive(body, tmp_path, 50)


def test_a_file_over_the_limit_is_refused_while_it_arrives(tmp_path: Path) -> None:
    body = _multipart([("file", "big.pdf", "application/pdf", b"%PDF" + b"x" * 5000)])
    with pytest.raises(UploadTooLargeError):
        _receive(body, tmp_path, 512, max_bytes=1000)


def test_a_body_without_a_file_part_is_a_bad_request(tmp_path: Path) -> None:
    with pytest.raises(ApiError, match="no file part"):
        _receive(_multipart([("note", None, None, b"hello")]), tmp_path, 10)


def test_a_raw_body_is_one_file_named_by_the_caller(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    (received,) = asyncio.run(
        receive_raw(
            _chunks(b"<?xml version='1.0'?><Invoice/>", 5),
            filename="x.bin",
            content_type=None,
            new_spool=lambda: Spool(inline_limit=100, max_bytes=1000, open_writer=store.writer),
        )
    )
    assert received.filename == "x.bin"
    assert received.content_type == "application/xml"
