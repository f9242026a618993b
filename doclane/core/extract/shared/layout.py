"""Where a printed label's value sits: right of it on its line, or below it in its column.

Lines carry one box each; the reading engine joins the runs of a visual row
with wide gaps, so a line splits into cells at runs of two or more spaces. A
cell's horizontal extent is estimated from the line box: text width grows
with the character count, and the space left over is shared by the gaps.
Lines without a box (plain text) use character offsets as coordinates, which
is exact for monospaced tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from doclane.core.extract.shared.lines import Located

_RUN = re.compile(r"\S+(?: \S+)*")
_DEFAULT_CHAR_WIDTH = 0.5  # of the line height, for a proportional font
# How far below a label its value may sit, in label line heights (text: in lines).
_BELOW_REACH_HEIGHTS = 3.2
_BELOW_REACH_LINES = 2
# Gaps narrower than this many line heights, on average, separate words rather than columns.
_WORD_SPACED_GAP = 2.5
_SEPARATORS = frozenset("·•●|/,;-")  # a run of one of these between two runs joins them
_SEPARATOR_CHAR = re.compile("[" + re.escape("".join(sorted(_SEPARATORS))) + "]")


class Cell(NamedTuple):
    """A run of text between column gaps, with its estimated horizontal extent.

    A tuple rather than a dataclass: every line of every document is split into cells.
    """

    text: str
    start: int  # offset in the line's text
    end: int
    x0: float
    x1: float

    def x_of(self, offset: int) -> float:
        """Estimated x of a character offset inside this cell."""
        if self.end <= self.start:
            return self.x0
        share = (offset - self.start) / (self.end - self.start)
        return self.x0 + (self.x1 - self.x0) * min(max(share, 0.0), 1.0)


@dataclass(frozen=True, slots=True)
class Below:
    """A value candidate found under a label: the line, the cell and its rank below."""

    position: int
    cell: Cell
    rank: int  # 1 = the first line below


class DocumentLayout:
    """Cells and column neighbours of every line of a document, computed once."""

    def __init__(
        self, lines: tuple[Located, ...], page_heights: dict[int, float] | None = None
    ) -> None:
        self.lines = lines
        self._char_width = _char_widths(lines)
        self._cells: list[tuple[Cell, ...] | None] = [None] * len(lines)
        known = {page: height for page, height in (page_heights or {}).items() if height > 0}
        self._heights = dict(known)
        for located in lines:
            box = located.line.bbox
            if box is not None and located.page not in known:
                self._heights[located.page] = max(self._heights.get(located.page, 0.0), box.y1)

    def page_height(self, page: int) -> float:
        """The page's height in points; 0.0 for text without layout."""
        return self._heights.get(page, 0.0)

    def vertical_share(self, position: int) -> float | None:
        """How far down its page a line starts (0 top, 1 bottom); None without boxes."""
        located = self.lines[position]
        box = located.line.bbox
        height = self.page_height(located.page)
        if box is None or height <= 0.0:
            return None
        return box.y0 / height

    def cells(self, position: int) -> tuple[Cell, ...]:
        cached = self._cells[position]
        if cached is None:
            cached = _split_cells(
                self.lines[position], self._char_width.get(self.lines[position].page)
            )
            self._cells[position] = cached
        return cached

    def cell_at(self, position: int, offset: int) -> Cell | None:
        return next((c for c in self.cells(position) if c.start <= offset < c.end), None)

    def span_x(self, position: int, start: int, end: int) -> tuple[float, float]:
        """Estimated x extent of the characters start..end of a line."""
        cells = self.cells(position)
        first = next((c for c in cells if c.end > start), None)
        last = next((c for c in reversed(cells) if c.start < end), None)
        if first is None or last is None:
            box = self.lines[position].line.bbox
            return (box.x0, box.x1) if box else (float(start), float(end))
        return first.x_of(max(start, first.start)), last.x_of(min(end, last.end))

    def below(
        self, position: int, x0: float, x1: float, *, chained: bool = False
    ) -> Iterator[Below]:
        """The cell aligned with x0..x1 in each of the next few lines of the same page.

        `chained` measures the reach from the last line found rather than from
        the label, to follow a column of figures down.
        """
        rank = 0
        current = position
        while True:
            following = None
            for following in self._lines_below(current):
                rank += 1
                cell = _aligned_cell(self.cells(following), x0, x1)
                if cell is not None:
                    yield Below(following, cell, rank)
                    if chained:
                        break
            else:
                return
            if following is None:
                return
            current = following

    def column(self, position: int, x0: float, x1: float, limit: int = 6) -> Iterator[Below]:
        """Cells stacked under x0..x1, line after line, until a gap or a line without one."""
        current = position
        for rank in range(1, limit + 1):
            found = next(
                (
                    (following, cell)
                    for following in self._lines_below(current, reach=3.0 if rank == 1 else 2.0)
                    if (cell := _edge_aligned_cell(self.cells(following), x0, x1))
                ),
                None,
            )
            if found is None:
                return
            yield Below(found[0], found[1], rank)
            current = found[0]

    def above(self, position: int, x0: float, x1: float) -> Below | None:
        """The edge-aligned cell of the line right above, when it is close (same block)."""
        located = self.lines[position]
        box = located.line.bbox
        previous = position - 1
        if previous < 0 or self.lines[previous].page != located.page:
            return None
        other = self.lines[previous].line.bbox
        if (
            box is not None
            and other is not None
            and box.y0 - other.y1 > 1.5 * max(box.y1 - box.y0, 1.0)
        ):
            return None
        cell = _edge_aligned_cell(self.cells(previous), x0, x1)
        return Below(previous, cell, -1) if cell is not None else None

    def _lines_below(self, position: int, reach: float = _BELOW_REACH_HEIGHTS) -> Iterator[int]:
        located = self.lines[position]
        box = located.line.bbox
        for following in range(position + 1, min(position + 6, len(self.lines))):
            other = self.lines[following]
            if other.page != located.page:
                return
            if box is None or other.line.bbox is None:
                if following - position > _BELOW_REACH_LINES:
                    return
            else:
                height = max(box.y1 - box.y0, 1.0)
                if other.line.bbox.y0 - box.y1 > reach * height:
                    return
            yield following


def _aligned_cell(
    cells: tuple[Cell, ...], x0: float, x1: float, *, strict: bool = False
) -> Cell | None:
    """The cell overlapping x0..x1 most, else (not `strict`) the nearest within a label width."""
    best: tuple[float, Cell] | None = None
    width = max(x1 - x0, 1.0)
    for cell in cells:
        overlap = min(cell.x1, x1) - max(cell.x0, x0)
        if overlap < (0.0 if strict else -width):
            continue
        score = overlap / max(min(cell.x1 - cell.x0, width), 1.0)
        if best is None or score > best[0]:
            best = (score, cell)
    return best[1] if best else None


def _edge_aligned_cell(cells: tuple[Cell, ...], x0: float, x1: float) -> Cell | None:
    """Among cells overlapping x0..x1, the one whose left or right edge lines up best."""
    overlapping = [c for c in cells if min(c.x1, x1) - max(c.x0, x0) >= 0]
    if not overlapping:
        return None
    return min(overlapping, key=lambda c: min(abs(c.x0 - x0), abs(c.x1 - x1)))


def _char_widths(lines: tuple[Located, ...]) -> dict[int, float]:
    """Per page, the median character width in line heights, from single-cell lines."""
    samples: dict[int, list[float]] = {}
    for located in lines:
        box = located.line.bbox
        text = located.line.text
        if box is None or len(text) < 6 or "  " in text:
            continue
        height = box.y1 - box.y0
        if height <= 0:
            continue
        samples.setdefault(located.page, []).append((box.x1 - box.x0) / (len(text) * height))
    return {page: sorted(values)[len(values) // 2] for page, values in samples.items()}


def _split_cells(located: Located, char_width: float | None) -> tuple[Cell, ...]:
    text = located.line.text
    box = located.line.bbox
    if "  " not in text:
        end = len(text)
        return (Cell(text, 0, end, box.x0, box.x1) if box else Cell(text, 0, end, 0.0, float(end)),)
    runs = _merge_separators([m.span() for m in _RUN.finditer(text)], text)
    if box is None:
        return tuple(Cell(text[s:e], s, e, float(s), float(e)) for s, e in runs)
    if len(runs) == 1:
        s, e = runs[0]
        return (Cell(text[s:e], s, e, box.x0, box.x1),)
    height = max(box.y1 - box.y0, 1.0)
    per_char = (char_width or _DEFAULT_CHAR_WIDTH) * height
    widths = [(e - s) * per_char for s, e in runs]
    total = box.x1 - box.x0
    free = total - sum(widths)
    if free < 0:
        scale = total / sum(widths)
        widths = [w * scale for w in widths]
        free = 0.0
    gap = free / (len(runs) - 1) if len(runs) > 1 else 0.0
    if gap < _WORD_SPACED_GAP * height:
        # Widely spaced words, not columns: the whole line is one cell.
        s, e = runs[0][0], runs[-1][1]
        return (Cell(text[s:e], s, e, box.x0, box.x1),)
    cells = []
    x = box.x0
    for (s, e), width in zip(runs, widths, strict=True):
        cells.append(Cell(text[s:e], s, e, x, x + width))
        x += width + gap
    return tuple(cells)


def _merge_separators(runs: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """A lone "·", "|" or "/" between two runs joins them: "Name   ·   Street"."""
    if _SEPARATOR_CHAR.search(text) is None:
        return runs
    merged: list[tuple[int, int]] = []
    joining = False
    for start, end in runs:
        if end - start == 1 and text[start] in _SEPARATORS and merged:
            merged[-1] = (merged[-1][0], end)
            joining = True
        elif joining:
            merged[-1] = (merged[-1][0], end)
            joining = False
        else:
            merged.append((start, end))
    return merged
