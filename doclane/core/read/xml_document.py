"""Standalone XML documents (CII / UBL e-invoices): keep the bytes, list element text."""

from __future__ import annotations

from doclane.core.model import DocumentText, Page, TextLine
from doclane.core.read.safe_xml import parse_xml

ENGINE = "xml"


def read_xml(payload: bytes, filename: str | None) -> DocumentText:
    """Element texts as lines; the bytes become an attachment for exact extraction."""
    root = parse_xml(payload)
    lines = tuple(
        TextLine(text=" ".join(element.text.split()))
        for element in root.iter()
        if element.text and element.text.strip()
    )
    name = filename.rsplit("/", 1)[-1] if filename else "document.xml"
    return DocumentText(
        pages=(Page(number=1, lines=lines),), engine=ENGINE, attachments={name: payload}
    )
