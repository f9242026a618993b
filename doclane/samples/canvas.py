"""A small, fast drawing surface over fpdf2 for sample PDFs.

Only the PDF core fonts (Helvetica) are used: they need no font file, so every
machine produces the same bytes, and with the cp1252 encoding they print all of
German, French and `€`. Text is placed with `FPDF.text`, and widths come from a
per-style table measured once, which is several times faster than `cell`.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from fpdf import FPDF

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
_FONT = "Helvetica"
_ENCODING = "windows-1252"
# A fixed creation date keeps the output byte-identical across runs.
_CREATION_DATE = datetime(2024, 1, 1, tzinfo=UTC)
_PRINTABLE = "".join(chr(c) for c in range(32, 256) if chr(c).isprintable()) + "€–—‘’“”•…"


@functools.cache
def _char_widths(style: str) -> dict[str, float]:
    """Width of each printable character at 1 pt, in millimetres."""
    pdf = FPDF(unit="mm")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_font(_FONT, style=style, size=100)
    return {char: pdf.get_string_width(char) / 100 for char in _PRINTABLE}


class Canvas:
    """One PDF being drawn; coordinates in millimetres from the top-left corner."""

    def __init__(self, title: str) -> None:
        pdf = FPDF(unit="mm", format="A4")
        pdf.core_fonts_encoding = _ENCODING
        pdf.set_creation_date(_CREATION_DATE)
        pdf.set_auto_page_break(auto=False)
        pdf.set_title(title)
        pdf.set_creator("doclane.samples")
        self._pdf = pdf
        self._style = ""
        self._size = 10.0
        self._widths = _char_widths("")

    @property
    def page_count(self) -> int:
        return self._pdf.pages_count

    def add_page(self) -> None:
        self._pdf.add_page()
        self._pdf.set_font(_FONT, style=self._style, size=self._size)

    def font(self, size: float, style: str = "") -> None:
        self._style, self._size = style, size
        self._widths = _char_widths(style)
        self._pdf.set_font(_FONT, style=style, size=size)

    def gray(self, level: int) -> None:
        """Text and fill colour as a gray level, 0 black to 255 white."""
        self._pdf.set_text_color(level)
        self._pdf.set_fill_color(level)

    def width(self, text: str) -> float:
        widths = self._widths
        return sum(widths.get(char, 0.5) for char in text) * self._size

    def text(self, x: float, y: float, text: str) -> None:
        """Text whose baseline starts at (x, y)."""
        self._pdf.text(x, y, text)

    def text_right(self, x_right: float, y: float, text: str) -> None:
        self._pdf.text(x_right - self.width(text), y, text)

    def text_center(self, x_center: float, y: float, text: str) -> None:
        self._pdf.text(x_center - self.width(text) / 2, y, text)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._pdf.line(x1, y1, x2, y2)

    def rect(self, x: float, y: float, w: float, h: float, *, fill_gray: int | None = None) -> None:
        if fill_gray is None:
            self._pdf.rect(x, y, w, h)
            return
        self._pdf.set_fill_color(fill_gray)
        self._pdf.rect(x, y, w, h, style="F")

    def fit(self, text: str, max_width: float) -> str:
        """`text`, shortened with an ellipsis if it is wider than `max_width`."""
        if self.width(text) <= max_width:
            return text
        while text and self.width(text + "...") > max_width:
            text = text[:-1]
        return text.rstrip() + "..."

    def wrap(self, text: str, max_width: float) -> list[str]:
        """Greedy word wrap of `text` into lines no wider than `max_width`."""
        lines: list[str] = []
        current = ""
        space = self.width(" ")
        current_width = 0.0
        for word in text.split():
            word_width = self.width(word)
            if current and current_width + space + word_width > max_width:
                lines.append(current)
                current, current_width = word, word_width
            elif current:
                current += " " + word
                current_width += space + word_width
            else:
                current, current_width = word, word_width
        if current:
            lines.append(current)
        return lines

    def output(self) -> bytes:
        return bytes(self._pdf.output())
