"""Plain text files: decode carefully, split into pages (form feeds) and lines."""

from __future__ import annotations

import codecs

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page, TextLine

ENGINE = "text"
# Share of control characters above which decoded bytes are binary, not text.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def read_plain_text(payload: bytes) -> DocumentText:
    pages = text_to_pages(decode_text(payload))
    if not any(page.lines for page in pages):
        raise UnreadableDocumentError(
            "The text file contains only blank lines.", reason_code="empty_document", stage="read"
        )
    return DocumentText(pages=pages, engine=ENGINE)


def decode_text(payload: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else cp1252 when the result is clearly text."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if payload.startswith(bom):
            return _require_text(_decode(payload, encoding))
    text = _decode(payload, "utf-8-sig")
    if text is None:
        text = _decode(payload, "cp1252")
    return _require_text(text)


def _decode(payload: bytes, encoding: str) -> str | None:
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError:
        return None


def _require_text(text: str | None) -> str:
    if text is not None:
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
        if controls <= len(text) * _MAX_CONTROL_SHARE:
            return text
    raise UnreadableDocumentError(
        "The file is not readable text: it is neither UTF-8 nor Windows-1252 text.",
        reason_code="invalid_text_encoding",
        stage="read",
    )


def text_to_pages(text: str) -> tuple[Page, ...]:
    """One page per form-feed-separated block; blank lines are dropped."""
    pages = []
    for number, block in enumerate(text.split("\f"), start=1):
        lines = tuple(
            TextLine(text=stripped) for raw in block.splitlines() if (stripped := raw.strip())
        )
        pages.append(Page(number=number, lines=lines))
    return tuple(pages)
