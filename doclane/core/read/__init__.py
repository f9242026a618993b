"""Reading: bytes in, `DocumentText` (pages of positioned lines, attachments) out.

`read_document` is the only entry point; the only exceptions it lets escape are
`UnderstandingError` subclasses carrying a `reason_code`.
"""

from __future__ import annotations

from collections.abc import Callable

from doclane.core.exceptions import UnderstandingError, UnreadableDocumentError
from doclane.core.model import DocumentText
from doclane.core.read.docx import read_docx
from doclane.core.read.formats import Format, sniff_format
from doclane.core.read.images import read_image
from doclane.core.read.pdf.bombs import refuse_decompression_bombs
from doclane.core.read.pdf.errors import require_text
from doclane.core.read.pdf.pdfium import read_pdf_pdfium
from doclane.core.read.pdf.pdfminer import read_pdf_pdfminer
from doclane.core.read.pdf.scanned import ocr_pages_without_text
from doclane.core.read.plain_text import read_plain_text
from doclane.core.read.sheets import read_csv, read_xlsx
from doclane.core.read.xml_document import read_xml

__all__ = ["PDF_ENGINES", "read_document"]

PDF_ENGINES: dict[str, Callable[[bytes], DocumentText]] = {
    "pdfium": read_pdf_pdfium,
    "pdfminer": read_pdf_pdfminer,
}

_READERS: dict[Format, Callable[[bytes], DocumentText]] = {
    Format.IMAGE: read_image,
    Format.TEXT: read_plain_text,
    Format.CSV: read_csv,
    Format.DOCX: read_docx,
    Format.XLSX: read_xlsx,
}


def read_document(
    payload: bytes,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    pdf_engine: str = "pdfium",
) -> DocumentText:
    """Read the text of a PDF, picture, plain-text, CSV, XML, DOCX or XLSX payload.

    PDF pages without a usable text layer, and pictures, are read by OCR.
    """
    if pdf_engine not in PDF_ENGINES:
        raise UnderstandingError(
            f"Unknown PDF engine {pdf_engine!r}; choose one of {sorted(PDF_ENGINES)}.",
            reason_code="unknown_pdf_engine",
            stage="read",
        )
    kind = sniff_format(payload, content_type, filename)
    try:
        if kind is Format.PDF:
            refuse_decompression_bombs(payload)
            layer = PDF_ENGINES[pdf_engine](payload)
            return require_text(ocr_pages_without_text(payload, layer), ocr_ran=True)
        if kind is Format.XML:
            return read_xml(payload, filename)
        return _READERS[kind](payload)
    except UnderstandingError:
        raise
    except RecursionError as exc:
        raise UnreadableDocumentError(
            "The document is nested too deeply to read.",
            reason_code="corrupt_document",
            stage="read",
        ) from exc
    except MemoryError:
        pass  # raised below, once the traceback and the half-read document it holds are freed
    raise UnreadableDocumentError(
        "Reading the document needed more memory than this process may use.",
        reason_code="memory_exceeded",
        stage="read",
    )
