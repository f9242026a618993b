"""Claim-checked documents under one local directory, content-addressed."""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from pathlib import Path

from doclane.streaming.blobs.references import (
    ClaimCheckError,
    ClaimCheckMissingError,
    digest_of,
    reference_for,
)

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class BlobStore:
    """Blobs under one local directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, payload: bytes) -> str:
        digest = hashlib.sha256(payload).hexdigest()
        path = self._path(digest)
        if not _refreshed(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(payload)
            tmp.replace(path)
        return reference_for(digest)

    def writer(self) -> LocalBlobWriter:
        """A blob written chunk by chunk, for payloads too large to hold in memory."""
        return LocalBlobWriter(self)

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

    def delete(self, digest: str) -> bool:
        """Remove the blob of this content hash; False when there was none."""
        path = self._path(digest_of(reference_for(digest)))  # validates the digest
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def exists(self, digest: str) -> bool:
        return self._path(digest_of(reference_for(digest))).is_file()

    def sweep(self, older_than: float) -> int:
        """Remove blobs (and abandoned partial uploads) last written before `older_than`."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for path in self.root.glob("*/*"):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < older_than:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest


class LocalBlobWriter:
    """Streams one blob into a temporary file, hashing as it goes; `commit` files it by digest.

    The temporary file lives inside the store (same file system, so the final
    rename is atomic) under a name no reference can produce.
    """

    def __init__(self, store: BlobStore) -> None:
        self._store = store
        incoming = store.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        self._tmp = incoming / f"{uuid.uuid4().hex}.part"
        self._file = self._tmp.open("wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def commit(self) -> str:
        """Closes the blob and stores it under its digest; returns its reference."""
        self._file.close()
        digest = self._hash.hexdigest()
        path = self._store._path(digest)
        if _refreshed(path):  # content-addressed: the same bytes are stored already
            self._tmp.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp.replace(path)
        return reference_for(digest)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def _refreshed(path: Path) -> bool:
    """True when the blob is stored already; its time is then set to now.

    The retention sweep goes by that time: a document sent again with the same bytes
    must keep the blob for its own retention, not the first sender's.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # not a blob doclane wrote (a link, say): the real bytes replace it
        os.utime(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True
