"""The guided search for PDFium's text rectangles finds exactly what a plain binary search finds."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doclane.core.read.layout import clean_fragment_text
from doclane.core.read.pdf.pdfium_runs import find_runs, page_text, rect_runs
from tests.unit.core.pdf_factory import make_pdf


class _FakeTextPage:
    """`count_rects` / `get_rect(0)` as PDFium computes them: a new rectangle wherever the text
    object changes; generated and zero-size chars (`skipped`) belong to no rectangle."""

    def __init__(self, chars: list[tuple[int, bool]]) -> None:
        self._chars = chars  # (text object, skipped) per char
        self._rects: list[tuple[float, float, float, float]] = []
        self.calls = 0

    def count_rects(self, start: int, count: int) -> int:
        self.calls += 1
        rects: list[tuple[float, float, float, float]] = []
        current: int | None = None
        first = last = -1
        for index in range(start, min(start + count, len(self._chars))):
            text_object, skipped = self._chars[index]
            if skipped:
                continue
            if current is not None and text_object != current:
                rects.append((first, 0.0, last, 0.0))
                first = -1
            current = text_object
            first, last = (index if first < 0 else first), index
        rects.append((first, 0.0, last, 0.0))
        self._rects = rects
        return len(rects)

    def first_rect(self) -> tuple[float, float, float, float]:
        return self._rects[0]


def _binary_search_runs(textpage: _FakeTextPage, total: int) -> list[tuple[int, int, tuple]]:
    """The specification: for each start, the longest run `count_rects` counts as one."""
    runs = []
    start = 0
    while start < total:
        low, high = 1, total - start
        while low < high:
            middle = (low + high + 1) // 2
            if textpage.count_rects(start, middle) <= 1:
                low = middle
            else:
                high = middle - 1
        textpage.count_rects(start, low)
        runs.append((start, low, textpage.first_rect()))
        start += low
    return runs


_CHARS = st.lists(st.tuples(st.integers(0, 1), st.booleans()), min_size=1, max_size=60).map(
    lambda flips: [
        (sum(flip for flip, _ in flips[: index + 1]), skipped)
        for index, (_, skipped) in enumerate(flips)
    ]
)


@settings(max_examples=400, deadline=None)
@given(chars=_CHARS, words=st.one_of(st.none(), st.text(alphabet="ab \n", min_size=60)))
def test_runs_match_a_plain_binary_search_whatever_the_guesses(
    chars: list[tuple[int, bool]], words: str | None
) -> None:
    text = None if words is None else words[: len(chars)]
    expected = _binary_search_runs(_FakeTextPage(chars), len(chars))
    fake = _FakeTextPage(chars)
    assert find_runs(fake.count_rects, fake.first_rect, len(chars), text) == expected


def test_guesses_at_word_starts_save_calls() -> None:
    words = ["Invoice", "no.", "42", "Total", "1.234,56"]
    text = "\r\n".join(words)
    chars: list[tuple[int, bool]] = []
    for text_object, word in enumerate(words):  # each word its own object, then a generated \r\n
        chars += [(text_object, False)] * len(word) + [(text_object, True)] * 2
    chars = chars[:-2]  # no line break after the last word
    guided, plain = _FakeTextPage(chars), _FakeTextPage(chars)
    found = find_runs(guided.count_rects, guided.first_rect, len(chars), text)
    assert found == _binary_search_runs(plain, len(chars))
    assert guided.calls * 2 < plain.calls


def test_real_page_runs_and_text() -> None:
    pdf = pdfium.PdfDocument(make_pdf([["Rechnung Nr. 4711", "Gesamtbetrag: 1.234,56 EUR"]]))
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        total = textpage.count_chars()
        text = page_text(textpage, total)
        assert text is not None
        runs = rect_runs(textpage, total, text)
        assert [text[start : start + count].strip() for start, count, _ in runs] == [
            "Rechnung Nr. 4711",
            "Gesamtbetrag: 1.234,56 EUR",
        ]
        assert all(
            text[start : start + count] == textpage.get_text_range(start, count)
            for start, count, _ in runs
        )
    finally:
        textpage.close()
        page.close()
        pdf.close()


@pytest.mark.parametrize(
    "raw",
    ["Total\r\n", "  a b  ", "x\x00y", "\x07end", "\u00a0nbsp\u00a0", "", "\r\n", "tab\there\x85"],
)
def test_clean_fragment_text_replaces_unprintables_then_strips(raw: str) -> None:
    assert clean_fragment_text(raw) == "".join(c if c.isprintable() else " " for c in raw).strip()
