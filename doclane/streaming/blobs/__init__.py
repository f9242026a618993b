"""Claim-check blob store for documents too large to travel inside a record.

Blobs are content-addressed (``blob://sha256/<hex>``) under one directory
(`local`), or in an S3-compatible bucket (`s3`); `references` validates the
reference strictly, so a record can never make a worker read outside the store.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from doclane.exceptions import ConfigurationError
from doclane.settings import Settings
from doclane.streaming.blobs.local import BlobStore
from doclane.streaming.blobs.references import ClaimCheckError, ClaimCheckMissingError

__all__ = [
    "BlobStore",
    "BlobWriter",
    "Blobs",
    "ClaimCheckError",
    "ClaimCheckMissingError",
    "open_blob_store",
]


class BlobWriter(Protocol):
    """One blob written chunk by chunk; `commit` returns its reference, `abort` drops it."""

    size: int

    def write(self, chunk: bytes) -> None: ...

    def commit(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    def abort(self) -> None: ...


class Blobs(Protocol):
    """Where claimed documents are kept: a local directory or an S3-compatible bucket."""

    def put(self, payload: bytes) -> str: ...

    def writer(self) -> BlobWriter: ...

    def get(self, uri: str, *, max_bytes: int | None = None) -> bytes: ...

    def delete(self, digest: str) -> bool: ...

    def exists(self, digest: str) -> bool: ...

    def sweep(self, older_than: float) -> int: ...


def open_blob_store(settings: Settings) -> Blobs:
    """The store the settings name: `s3://bucket/prefix`, else the local directory."""
    url = settings.blob_store_url
    if url is None:
        return BlobStore(settings.blob_dir)
    from doclane.streaming.blobs.s3 import S3BlobStore

    parsed = urlsplit(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ConfigurationError(f"DOCLANE_BLOB_STORE must be s3://bucket[/prefix], got {url!r}")
    return S3BlobStore(parsed.netloc, parsed.path, endpoint_url=settings.s3_endpoint_url)
