"""Which characters of a PDFium text page make each text rectangle.

PDFium groups consecutive characters into rectangles (one per text object).
Reading a rectangle's text by its bounds (`get_text_bounded`) also picks up
characters of overlapping neighbours ("New YoYork"), so each rectangle's
characters are found instead: from a start, the longest run of characters
that `count_rects` still counts as one rectangle. That count only grows as
the run grows, so the run's end is found by search. Where the page text is
known, the next word's start is tried first (most rectangles end at a space
or line break PDFium inserted), and a wrong guess still narrows the search:
the result is that of a plain binary search, with about three calls per
rectangle instead of a dozen over ever larger ranges.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections.abc import Callable

import pypdfium2 as pdfium

Rect = tuple[float, float, float, float]  # left, bottom, right, top
Run = tuple[int, int, Rect]  # first char, char count, rectangle

_WORD_START = re.compile(r"(?<=\s)\S")


def page_text(textpage: pdfium.PdfTextPage, total: int) -> str | None:
    """The text of all `total` chars, one str character per PDFium char; None when it is not.

    Char and text indices only differ when PDFium left chars out of the text
    (control characters) or a char does not fit one UTF-16 unit; then runs are
    read one by one, as `get_text_range` maps them.
    """
    if total <= 0:
        return None
    if pdfium.raw.FPDFText_GetTextIndexFromCharIndex(textpage, total - 1) != total - 1:
        return None
    text = textpage.get_text_range(0, total)
    return text if len(text) == total else None


def rect_runs(textpage: pdfium.PdfTextPage, total: int, text: str | None) -> list[Run]:
    """(first char, char count, rectangle) of each text rectangle, in reading order."""
    # Called a few times per rectangle, so straight into PDFium: it returns -1 only for a
    # negative start or a closed text page, never here.
    count_rects = functools.partial(pdfium.raw.FPDFText_CountRects, textpage.raw)
    return find_runs(count_rects, _first_rect_reader(textpage), total, text)


def find_runs(
    count_rects: Callable[[int, int], int],
    first_rect: Callable[[], Rect],
    total: int,
    text: str | None,
) -> list[Run]:
    """`rect_runs` over any `count_rects(start, count)` and `first_rect()` (PDFium's
    `get_rect(0)`: the first rectangle of the last count)."""
    word_starts = [m.start() for m in _WORD_START.finditer(text)] if text is not None else []
    runs: list[Run] = []
    start = 0
    next_word = 0  # the first word start after `start`
    while start < total:
        while next_word < len(word_starts) and word_starts[next_word] <= start:
            next_word += 1
        length = _one_rect_length(count_rects, start, total - start, word_starts, next_word)
        runs.append((start, length, first_rect()))
        start += length
    return runs


def _first_rect_reader(textpage: pdfium.PdfTextPage) -> Callable[[], Rect]:
    """`textpage.get_rect(0)`, with its four doubles allocated once per page."""
    left, top, right, bottom = (
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
    )
    get_rect = functools.partial(
        pdfium.raw.FPDFText_GetRect, textpage.raw, 0, left, top, right, bottom
    )

    def first_rect() -> Rect:
        if not get_rect():
            raise pdfium.PdfiumError("Failed to get rectangle.")
        return (left.value, bottom.value, right.value, top.value)

    return first_rect


def _one_rect_length(
    count_rects: Callable[[int, int], int],
    start: int,
    limit: int,
    word_starts: list[int],
    next_word: int,
) -> int:
    """The most chars from `start` (at most `limit`) that `count_rects` counts as one rectangle.

    The word starts from `next_word` on are the guesses. On return the last
    `count_rects` call covered either exactly that run or the run and the next
    char, so the run's rectangle is `get_rect(0)`.
    """
    single = 1  # this many chars are known to make one rectangle
    for index in range(next_word, len(word_starts)):
        guess = word_starts[index] - start  # the next rectangle may begin at this word
        if count_rects(start, guess + 1) <= 1:  # that word's first char is still ours
            single = guess + 1
            continue
        if guess == single:
            return guess
        if count_rects(start, guess) <= 1:  # most likely: the run ends right there
            return guess
        return _bisect(count_rects, start, single, guess)
    if count_rects(start, limit) <= 1:  # past the last word start: up to the page's end?
        return limit
    return _bisect(count_rects, start, single, limit)


def _bisect(count_rects: Callable[[int, int], int], start: int, single: int, multiple: int) -> int:
    """Binary search between `single` chars (one rectangle) and `multiple` chars (more), when
    the caller's last `count_rects` call covered `multiple` chars."""
    probed = multiple
    while multiple - single > 1:
        probed = (single + multiple) // 2
        if count_rects(start, probed) <= 1:
            single = probed
        else:
            multiple = probed
    if probed not in (single, single + 1):
        count_rects(start, single)
    return single
