"""One upload received chunk by chunk: kept in memory while small, streamed to the blob store once large.

Small documents travel inside the ingest record; past the claim-check
threshold the bytes go into a blob writer as they arrive, so memory holds at
most one threshold's worth per file. The size limit is enforced on every
chunk: an upload over it stops being read at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from doclane.api.errors import UploadTooLargeError
from doclane.streaming.blobs import BlobWriter


@dataclass(frozen=True)
class Spooled:
    """A complete upload: its bytes inline, or the claim-check reference they are stored under."""

    size: int
    sha256: str
    payload: bytes | None
    claim_check_uri: str | None


class Spool:
    def __init__(
        self,
        *,
        inline_limit: int,
        max_bytes: int,
        open_writer: Callable[[], BlobWriter],
        head_bytes: int = 1024,
    ) -> None:
        self._inline_limit = inline_limit
        self._max_bytes = max_bytes
        self._open_writer = open_writer
        self._head_bytes = head_bytes
        self._buffer = bytearray()
        self._head = b""
        self._writer: BlobWriter | None = None
        self.size = 0

    @property
    def head(self) -> bytes:
        """The first bytes (up to `head_bytes`) received so far."""
        return self._head if self._writer is not None else bytes(self._buffer[: self._head_bytes])

    @property
    def head_complete(self) -> bool:
        return self.size >= self._head_bytes

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._max_bytes:
            self.abort()
            raise UploadTooLargeError(
                f"the document is over the {self._max_bytes}-byte limit (DOCLANE_MAX_DOCUMENT_BYTES)"
            )
        if self._writer is not None:
            if len(self._head) < self._head_bytes:
                self._head += chunk[: self._head_bytes - len(self._head)]
            self._writer.write(chunk)
            return
        self._buffer += chunk
        if len(self._buffer) > self._inline_limit:  # too large to travel inline: stream it
            self._head = bytes(self._buffer[: self._head_bytes])
            self._writer = self._open_writer()
            self._writer.write(bytes(self._buffer))
            self._buffer = bytearray()

    def finish(self) -> Spooled:
        """The upload as received; a claimed one is committed to the store first."""
        if self._writer is None:
            payload = bytes(self._buffer)
            return Spooled(self.size, hashlib.sha256(payload).hexdigest(), payload, None)
        uri = self._writer.commit()
        return Spooled(self.size, self._writer.sha256, None, uri)

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        self._buffer = bytearray()
