"""PDF text through pdfminer.six layout analysis: slower, a second opinion.

Attachments are still read through PDFium, which has the simpler API for them.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page
from doclane.core.read.layout import Fragment, clean_fragment_text, group_into_lines
from doclane.core.read.pdf.attachments import read_attachments
from doclane.core.read.pdf.errors import corrupt_pdf, encrypted_pdf

ENGINE = "pdfminer"


def read_pdf_pdfminer(payload: bytes) -> DocumentText:
    try:
        pages = tuple(
            _read_page(layout, number)
            for number, layout in enumerate(
                extract_pages(io.BytesIO(payload), laparams=LAParams()), 1
            )
        )
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise encrypted_pdf() from exc
    except MemoryError:
        raise
    except Exception as exc:
        raise corrupt_pdf(str(exc) or type(exc).__name__) from exc
    return DocumentText(pages=pages, engine=ENGINE, attachments=_attachments(payload))


def _read_page(layout: LTPage, number: int) -> Page:
    height = layout.height
    fragments = [
        Fragment(text, line.x0, height - line.y1, line.x1, height - line.y0)
        for container in layout
        if isinstance(container, LTTextContainer)
        for line in container
        if isinstance(line, LTTextLine) and (text := clean_fragment_text(line.get_text()))
    ]
    return Page(number=number, lines=group_into_lines(fragments), width=layout.width, height=height)


def _attachments(payload: bytes) -> dict[str, bytes]:
    try:
        pdf = pdfium.PdfDocument(payload)
    except pdfium.PdfiumError:
        return {}
    try:
        return read_attachments(pdf)
    except (UnreadableDocumentError, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - attachments are a bonus; the text was read
        return {}
    finally:
        pdf.close()
