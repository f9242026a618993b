"""One document found inside a container."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

_SNIFFED = (
    (b"%PDF", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass(frozen=True, slots=True)
class Member:
    path: str  # inside the container: "invoices/a.pdf", "inner.zip/b.pdf", "body"
    content_type: str
    payload: bytes

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def member(path: str, payload: bytes, declared: str | None = None) -> Member:
    """A member with its content type: from its bytes, else as declared, else by its name."""
    for magic, content_type in _SNIFFED:
        if payload.startswith(magic):
            return Member(path, content_type, payload)
    if declared and declared != "application/octet-stream":
        return Member(path, declared, payload)
    guessed, _ = mimetypes.guess_type(path.rsplit("/", 1)[-1])
    return Member(path, guessed or "application/octet-stream", payload)


def safe_path(raw: str) -> str:
    """A member name without drive, root or '..' parts: a path for reading, never for writing."""
    parts = [part for part in raw.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return "/".join(parts) or "unnamed"
