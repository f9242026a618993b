"""PDF text through PDFium: fast, the default engine.

PDFium reports text as rectangles of runs; we read each run's text inside its
rectangle and merge runs into lines (see `layout`).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from doclane.understanding.exceptions import UnreadableDocumentError
from doclane.understanding.model import DocumentText, Page
from doclane.understanding.reading.layout import Fragment, clean_fragment_text, group_into_lines
from doclane.understanding.reading.pdf_attachments import read_attachments
from doclane.understanding.reading.pdf_errors import corrupt_pdf, encrypted_pdf, require_text

ENGINE = "pdfium"
_PASSWORD_ERRORS = frozenset({4, 5})  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY (unknown handler)


def read_pdf_pdfium(payload: bytes) -> DocumentText:
    try:
        pdf = pdfium.PdfDocument(payload)
    except pdfium.PdfiumError as exc:
        if exc.err_code in _PASSWORD_ERRORS:
            raise encrypted_pdf() from exc
        raise corrupt_pdf(str(exc)) from exc
    try:
        pages = tuple(_read_page(pdf, index) for index in range(len(pdf)))
        attachments = read_attachments(pdf)
    except (UnreadableDocumentError, MemoryError):
        raise
    except Exception as exc:
        raise corrupt_pdf(str(exc)) from exc
    finally:
        pdf.close()
    return require_text(DocumentText(pages=pages, engine=ENGINE, attachments=attachments))


def _read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            fragments = []
            for rect_index in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(rect_index)
                raw = textpage.get_text_bounded(left, bottom, right, top)
                text = clean_fragment_text(raw)
                if text:
                    fragments.append(
                        Fragment(
                            text, left, height - top, right, height - bottom, raw[-1:].isspace()
                        )
                    )
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(number=index + 1, lines=group_into_lines(fragments), width=width, height=height)
