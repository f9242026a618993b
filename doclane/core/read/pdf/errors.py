"""Typed errors shared by the PDF engines."""

from __future__ import annotations

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText


def corrupt_pdf(detail: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The PDF is damaged or truncated and cannot be opened ({detail}).",
        reason_code="corrupt_pdf",
        stage="read",
    )


def encrypted_pdf() -> UnreadableDocumentError:
    return UnreadableDocumentError(
        "The PDF is password-protected; send an unprotected copy.",
        reason_code="encrypted_pdf",
        stage="read",
    )


def require_text(document: DocumentText, *, ocr_ran: bool = False) -> DocumentText:
    """Refuse a document in which neither its text layer nor OCR found any text."""
    if any(page.lines for page in document.pages):
        return document
    how = "neither in a text layer nor by OCR" if ocr_ran else "in no text layer"
    raise UnreadableDocumentError(
        f"No legible text was found in the document ({how}): its pages are blank, or the "
        "scan is too faint or too coarse to read; send a sharper scan, a PDF with text or "
        "an e-invoice XML.",
        reason_code="no_text_layer",
        stage="read",
    )
