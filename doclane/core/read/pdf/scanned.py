"""PDF pages without a usable text layer (scans, or text that decodes to garbage) read by OCR.

Such a page is rendered by PDFium at `OCR_DPI` and its picture read by
Tesseract; its lines replace the page's, in the same PDF points, so
provenance of a scanned page looks like that of a text page.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page
from doclane.core.read.ocr import OCR_ENGINE, ocr_page
from doclane.core.read.pdf.errors import corrupt_pdf

OCR_DPI = 300.0
# A page larger than this many pixels at OCR_DPI (A0 and up) is rendered coarser.
_MAX_RENDER_PIXELS = 40_000_000
# Fewer letters and digits than this, or more than this share of undecodable
# characters, and the text layer is not worth reading.
_MIN_CHARACTERS = 8
_MAX_GARBAGE_SHARE = 0.3
# Replacement characters, C0 controls and the private-use area: what a font without a
# usable encoding decodes to.
_GARBAGE = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")
_BLANK_LEVEL = 200  # a rendered page whose darkest pixel is lighter than this is blank


def has_usable_text(page: Page) -> bool:
    text = "".join(line.text for line in page.lines)
    if sum(map(str.isalnum, text)) < _MIN_CHARACTERS:
        return False
    return len(_GARBAGE.findall(text)) <= len(text) * _MAX_GARBAGE_SHARE


def ocr_pages_without_text(payload: bytes, document: DocumentText) -> DocumentText:
    """The document with every page that lacks a usable text layer read by OCR instead."""
    missing = [index for index, page in enumerate(document.pages) if not has_usable_text(page)]
    if not missing:
        return document
    pages = list(document.pages)
    try:
        pdf = pdfium.PdfDocument(payload)
    except pdfium.PdfiumError as exc:
        raise corrupt_pdf(str(exc)) from exc
    try:
        for index in missing:
            scanned = _ocr_page(pdf, index)
            if scanned.lines:
                pages[index] = scanned
    except (UnreadableDocumentError, MemoryError):
        raise
    except Exception as exc:
        raise corrupt_pdf(f"rendering a page for OCR failed: {exc}") from exc
    finally:
        pdf.close()
    return DocumentText(
        pages=tuple(pages),
        engine=f"{document.engine}+{OCR_ENGINE}",
        attachments=document.attachments,
    )


def _ocr_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        dpi = OCR_DPI
        pixels = width * height * (dpi / 72) ** 2
        if pixels > _MAX_RENDER_PIXELS:
            dpi *= (_MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        try:
            picture = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    finally:
        page.close()
    if picture.getextrema()[0] > _BLANK_LEVEL:
        return Page(number=index + 1, lines=(), width=width, height=height)
    return ocr_page(picture, number=index + 1, dpi=dpi)
