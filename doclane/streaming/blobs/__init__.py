"""Claim-check blob store for documents too large to travel inside a record.

Blobs are content-addressed (``blob://sha256/<hex>``) under one directory, or in
an S3-compatible bucket (`doclane.streaming.blobs.s3`).
References are validated strictly: only that exact shape is accepted, so a
record can never make a worker read outside the store.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from doclane.exceptions import ConfigurationError, DoclaneError
from doclane.settings import Settings

_URI = re.compile(r"^blob://sha256/([0-9a-f]{64})$")
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class ClaimCheckError(DoclaneError):
    """A claim-check reference is malformed or points at nothing."""

    reason_code = "bad_claim_check"


class ClaimCheckMissingError(ClaimCheckError):
    """The reference is well formed but nothing is stored under it (yet)."""

    reason_code = "claim_check_missing"
    transient = True  # a shared store may show the blob after the record arrives


def reference_for(digest: str) -> str:
    return f"blob://sha256/{digest}"


def digest_of(uri: str) -> str:
    """The digest a reference names; anything but `blob://sha256/<64 hex>` is refused."""
    match = _URI.match(uri)
    if match is None:
        raise ClaimCheckError(f"claim-check reference {uri[:200]!r} is not blob://sha256/<hex>")
    return match.group(1)


class Blobs(Protocol):
    """Where claimed documents are kept: a local directory or an S3-compatible bucket."""

    def put(self, payload: bytes) -> str: ...

    def get(self, uri: str, *, max_bytes: int | None = None) -> bytes: ...


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


class BlobStore:
    """Blobs under one local directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, payload: bytes) -> str:
        digest = hashlib.sha256(payload).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(payload)
            tmp.replace(path)
        return reference_for(digest)

    def get(self, uri: str, *, max_bytes: int | None = None) -> bytes:
        digest = digest_of(uri)
        payload = self._read(uri, self._path(digest), max_bytes)
        if hashlib.sha256(payload).hexdigest() != digest:
            raise ClaimCheckError(f"claimed document {uri} does not match its digest")
        return payload

    def _read(self, uri: str, path: Path, max_bytes: int | None) -> bytes:
        """The stored bytes; only a regular file that really lives under the store is read.

        A symlink (to /dev/zero, a FIFO, a file elsewhere) is refused before it
        is opened, and the size limit is checked on the open file, then enforced
        while reading, so a file that grows meanwhile cannot exceed it.
        """
        try:
            if not path.parent.resolve(strict=True).is_relative_to(self.root.resolve(strict=True)):
                raise ClaimCheckError(f"claim-check {uri} resolves outside the blob store")
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _O_CLOEXEC)
        except FileNotFoundError as exc:
            raise ClaimCheckMissingError(f"claim-check {uri} points at no stored document") from exc
        except OSError as exc:  # ELOOP: the blob itself is a symlink
            raise ClaimCheckError(f"cannot read claimed document {uri}: {exc}") from exc
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ClaimCheckError(f"claim-check {uri} is not a regular file")
            if max_bytes is not None and info.st_size > max_bytes:
                raise ClaimCheckError(
                    f"claimed document is {info.st_size} bytes, over the {max_bytes}-byte limit",
                    reason_code="document_too_large",
                )
            try:
                payload = file.read(-1 if max_bytes is None else max_bytes + 1)
            except OSError as exc:
                raise ClaimCheckError(f"cannot read claimed document {uri}: {exc}") from exc
        if max_bytes is not None and len(payload) > max_bytes:
            raise ClaimCheckError(
                f"claimed document grew over the {max_bytes}-byte limit while read",
                reason_code="document_too_large",
            )
        return payload

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest
