"""Claim-check blob store for documents too large to travel inside a record.

Blobs are content-addressed (``blob://sha256/<hex>``) under one directory.
References are validated strictly: only that exact shape is accepted, so a
record can never make a worker read outside the store.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from doclane.exceptions import DoclaneError

_URI = re.compile(r"^blob://sha256/([0-9a-f]{64})$")


class ClaimCheckError(DoclaneError):
    """A claim-check reference is malformed or points at nothing."""

    reason_code = "bad_claim_check"


class BlobStore:
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
        return f"blob://sha256/{digest}"

    def get(self, uri: str, *, max_bytes: int | None = None) -> bytes:
        match = _URI.match(uri)
        if match is None:
            raise ClaimCheckError(f"claim-check reference {uri[:200]!r} is not blob://sha256/<hex>")
        path = self._path(match.group(1))
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise ClaimCheckError(
                    f"claimed document is {size} bytes, over the {max_bytes}-byte limit",
                    reason_code="document_too_large",
                )
            payload = path.read_bytes()
        except FileNotFoundError as exc:
            raise ClaimCheckError(
                f"claim-check {uri} points at no stored document", reason_code="claim_check_missing"
            ) from exc
        except OSError as exc:
            raise ClaimCheckError(f"cannot read claimed document {uri}: {exc}") from exc
        if hashlib.sha256(payload).hexdigest() != match.group(1):
            raise ClaimCheckError(f"claimed document {uri} does not match its digest")
        return payload

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest
