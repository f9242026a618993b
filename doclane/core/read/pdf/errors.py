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


def require_text(document: DocumentText) -> DocumentText:
    """Refuse a PDF without a text layer: there is no OCR engine to read scans."""
    if any(page.lines for page in document.pages):
        return document
    raise UnreadableDocumentError(
        "The PDF has no text layer (probably a scan). OCR is not available on this "
        "system, so the text cannot be read; send a PDF with text or an e-invoice XML.",
        reason_code="no_text_layer",
        stage="read",
    )
