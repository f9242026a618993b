"""PDF text through PDFium: fast, the default engine.

PDFium reports text as rectangles of runs (see `pdfium_runs`); we read each
run's text and merge runs into lines (see `layout`).
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page
from doclane.core.read.layout import Fragment, clean_fragment_text, group_into_lines
from doclane.core.read.pdf.attachments import read_attachments
from doclane.core.read.pdf.errors import corrupt_pdf, encrypted_pdf
from doclane.core.read.pdf.pdfium_runs import page_text, rect_runs

ENGINE = "pdfium"
_PASSWORD_ERRORS = frozenset({4, 5})  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY (unknown handler)
_WHITESPACE = re.compile(r"\s")  # the chars str.isspace() accepts
# A generated space narrower than this (in ems of the font) is kerning or tracking, not a
# word break: letters of a word sit up to about 0.2 em apart, a word space leaves 0.3 em
# and more between the inked letters.
_KERNING_EMS = 0.24
_PROBE = 40  # real spaces seen on a page before its generator is trusted to write all of them
_LETTER_SPACE_LETTER = re.compile(r"[^\W\d_] (?=[^\W\d_])")


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
    return DocumentText(pages=pages, engine=ENGINE, attachments=attachments)


def _read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            fragments = _fragments(textpage, height)
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(number=index + 1, lines=group_into_lines(fragments), width=width, height=height)


def _fragments(textpage: pdfium.PdfTextPage, height: float) -> list[Fragment]:
    """One fragment per text rectangle, in top-left coordinates; a word cut into runs rejoined."""
    fragments: list[Fragment] = []
    joins_next = False  # the last run continues into this one (no space between)
    total = textpage.count_chars()
    text = page_text(textpage, total)
    kerning = _KerningSpaces(textpage)
    for start, count, (left, bottom, right, top) in rect_runs(textpage, total, text):
        # One char more: whether the run ends in, or is followed by, a space.
        raw = (
            text[start : start + count + 1]
            if text is not None
            else textpage.get_text_range(start, min(count + 1, total - start))
        )
        run_text = raw[:count]
        if " " in run_text:
            run_text = kerning.remove(start, run_text)
        cleaned = clean_fragment_text(run_text)
        if not cleaned:
            joins_next = False
            continue
        ends_with_space = _WHITESPACE.search(raw, count - 1) is not None
        fragment = Fragment(cleaned, left, height - top, right, height - bottom, ends_with_space)
        if joins_next and _same_baseline(fragments[-1], fragment):
            fragment = _merged(fragments.pop(), fragment)
        fragments.append(fragment)
        joins_next = not ends_with_space and raw[count : count + 1] not in ("", "\r", "\n")
    return fragments


class _KerningSpaces:
    """Drops the spaces PDFium generated between letters of one word, on one page.

    PDFium guesses a space wherever two letters sit apart a little ("Taxiunter
    nehmen" for a kerned "Taxiunternehmen"); a guessed space narrower than a
    word space is dropped. Spaces the PDF itself contains are always kept. Most
    PDFs carry their own spaces: once `_PROBE` spaces of a page were all real,
    the page is taken to be such a PDF and no more are checked.
    """

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self._textpage = textpage
        self._real = 0
        self._generated = False

    def remove(self, start: int, run_text: str) -> str:
        if not self._generated and self._real >= _PROBE:
            return run_text
        dropped = []
        for offset in _inner_spaces(run_text):
            if pdfium_c.FPDFText_IsGenerated(self._textpage, start + offset) != 1:
                self._real += 1
                continue
            self._generated = True
            if _is_kerning(self._textpage, start + offset):
                dropped.append(offset)
        if not dropped:
            return run_text
        parts, previous = [], 0
        for offset in dropped:
            parts.append(run_text[previous:offset])
            previous = offset + 1
        parts.append(run_text[previous:])
        return "".join(parts)


def _inner_spaces(run_text: str) -> list[int]:
    """Offsets of the single spaces between two letters: where kerning could have put one."""
    return [match.start() + 1 for match in _LETTER_SPACE_LETTER.finditer(run_text)]


def _is_kerning(textpage: pdfium.PdfTextPage, index: int) -> bool:
    """The inked letters either side of `index` are closer than a word space of their font."""
    gap = textpage.get_charbox(index + 1)[0] - textpage.get_charbox(index - 1)[2]
    return gap < _KERNING_EMS * pdfium_c.FPDFText_GetFontSize(textpage, index - 1)


def _same_baseline(left: Fragment, right: Fragment) -> bool:
    """Consecutive runs of one word: same row, the second starting near the first's end."""
    height = max(left.bottom - left.top, 1.0)
    middle = (right.top + right.bottom) / 2
    return left.top <= middle <= left.bottom and -height < right.x0 - left.x1 < height


def _merged(left: Fragment, right: Fragment) -> Fragment:
    """One fragment for a word PDFium cut into runs (kerning, letter spacing)."""
    return Fragment(
        left.text + right.text,
        min(left.x0, right.x0),
        min(left.top, right.top),
        max(left.x1, right.x1),
        max(left.bottom, right.bottom),
        right.ends_with_space,
    )
