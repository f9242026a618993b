"""Which uploads the API takes: the formats the core reads, decided from hints or first bytes.

Plain functions over headers and bytes, so they are tested without a server.
A content type that names a readable format is taken as it is; a generic one
(`application/octet-stream`, none at all, what `curl --data-binary` sends)
is decided by the file name's suffix, else by the payload's first bytes.
Anything else is refused with 415 before more of the body is read.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from python_multipart.multipart import parse_options_header

from doclane.api.errors import UnsupportedContentError
from doclane.core.read.formats import (
    SUPPORTED_CONTENT_TYPES,
    SUPPORTED_SUFFIXES,
    Format,
    format_from_head,
    format_from_hints,
)

# Enough of the payload to find the PDF header where readers still accept it.
HEAD_BYTES = 1024

GENERIC_CONTENT_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/x-www-form-urlencoded",  # curl --data-binary without -H
        "application/zip",  # a Word file is a ZIP archive; its first bytes decide
        "application/x-zip-compressed",
    }
)

_EXTENDED_FILENAME = re.compile(r"filename\*\s*=\s*UTF-8'[^']*'([^;\s]+)", re.IGNORECASE)

CONTENT_TYPE_OF = {
    Format.PDF: "application/pdf",
    Format.TEXT: "text/plain",
    Format.XML: "application/xml",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.CSV: "text/csv",
    Format.IMAGE: "application/octet-stream",  # the reader knows a picture by its bytes
    Format.ZIP: "application/zip",
    Format.EML: "message/rfc822",
    Format.MSG: "application/vnd.ms-outlook",
}


def media_type(content_type: str | None) -> str:
    """`Text/Plain; charset=utf-8` -> `text/plain`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_generic(content_type: str | None) -> bool:
    return media_type(content_type) in GENERIC_CONTENT_TYPES


def format_from_declared(content_type: str | None, filename: str | None) -> Format | None:
    """The format the headers name: a specific content type, else the file suffix.

    Raises `UnsupportedContentError` for a specific content type the core
    cannot read; returns None when only the first bytes can tell.
    """
    if not is_generic(content_type):
        found = format_from_hints(content_type, None)
        if found is None:
            raise _unsupported(content_type, filename)
        return found
    return format_from_hints(None, filename)


def format_from_payload_head(content_type: str | None, filename: str | None, head: bytes) -> Format:
    """The format of an upload the headers left open, from its first bytes."""
    found = format_from_head(head)
    if found is None:
        raise _unsupported(content_type, filename)
    return found


def recorded_content_type(content_type: str | None, found: Format) -> str:
    """What goes on the record: the client's own type, unless it said nothing useful."""
    return CONTENT_TYPE_OF[found] if is_generic(content_type) else (content_type or "").strip()


def filename_from_disposition(header: str | None) -> str | None:
    """The file name of a Content-Disposition header (`filename*=UTF-8''...` preferred)."""
    if not header:
        return None
    extended = _EXTENDED_FILENAME.search(header)
    if extended:  # RFC 6266 / 8187: filename*=UTF-8''percent-encoded
        name = unquote(extended.group(1), encoding="utf-8", errors="replace")
    else:
        _, options = parse_options_header(header)
        raw = options.get(b"filename")
        name = raw.decode("utf-8", "replace") if raw else ""
    return safe_filename(name)


def safe_filename(name: str) -> str | None:
    """Only the last path component travels: a client's directories are not our business."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:255] or None


def _unsupported(content_type: str | None, filename: str | None) -> UnsupportedContentError:
    return UnsupportedContentError(
        f"cannot read content type {media_type(content_type) or 'none'}"
        f"{f' ({filename})' if filename else ''}; send one of "
        f"{', '.join(SUPPORTED_CONTENT_TYPES)}, or a file ending in {', '.join(SUPPORTED_SUFFIXES)}"
    )
