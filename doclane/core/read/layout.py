"""Group positioned text fragments into reading-order lines.

Both PDF engines hand over fragments (runs of text with a box in top-left
coordinates); merging fragments that share a baseline gives one line per visual
row, so a label and its value printed side by side end up on the same line.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from doclane.core.model import BoundingBox, TextLine

# Fragments further apart than this many line heights are separate columns;
# they are joined with COLUMN_GAP so later stages can still tell them apart.
_COLUMN_GAP_HEIGHTS = 1.0
COLUMN_GAP = "   "
# PDFium cuts runs at kerning changes; closer than this they belong to one word.
_WORD_GAP_HEIGHTS = 0.15


class Fragment(NamedTuple):
    """A run of text and its box; a tuple, as a page makes hundreds of them."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    ends_with_space: bool = False
    confidence: float | None = None  # OCR's, 0..1; None for a text layer


_READING_ORDER = attrgetter("top", "x0")
_LEFT, _TOP, _RIGHT, _BOTTOM = (attrgetter(edge) for edge in ("x0", "top", "x1", "bottom"))


def group_into_lines(fragments: list[Fragment]) -> tuple[TextLine, ...]:
    """One TextLine per visual row, top to bottom, fragments left to right.

    A fragment joins the row above when its middle lies within that row's
    vertical extent so far.
    """
    rows: list[list[Fragment]] = []
    top = bottom = 0.0  # the extent of rows[-1]
    for fragment in sorted(fragments, key=_READING_ORDER):
        if rows and top <= (fragment.top + fragment.bottom) / 2 <= bottom:
            rows[-1].append(fragment)
            top, bottom = min(top, fragment.top), max(bottom, fragment.bottom)
        else:
            rows.append([fragment])
            top, bottom = fragment.top, fragment.bottom
    return tuple(line for row in rows if (line := _join_row(row)) is not None)


def _join_row(row: list[Fragment]) -> TextLine | None:
    row.sort(key=_LEFT)
    parts: list[str] = []
    previous: Fragment | None = None
    for fragment in row:
        if previous is not None:
            height = max(previous.bottom - previous.top, 1.0)
            gap = fragment.x0 - previous.x1
            if gap > height * _COLUMN_GAP_HEIGHTS:
                parts.append(COLUMN_GAP)
            elif gap > height * _WORD_GAP_HEIGHTS or previous.ends_with_space:
                parts.append(" ")
        parts.append(fragment.text)
        previous = fragment
    text = "".join(parts).strip()
    if not text:
        return None
    box = BoundingBox(
        x0=round(min(map(_LEFT, row)), 2),
        y0=round(min(map(_TOP, row)), 2),
        x1=round(max(map(_RIGHT, row)), 2),
        y1=round(max(map(_BOTTOM, row)), 2),
    )
    if row[0].confidence is None:
        return TextLine(text=text, bbox=box)
    return TextLine(text=text, bbox=box, confidence=_mean_confidence(row))


def _mean_confidence(row: list[Fragment]) -> float:
    """OCR confidence of a line: its words' mean, weighted by their length."""
    weights = [max(len(fragment.text), 1) for fragment in row]
    total = sum(w * (f.confidence or 0.0) for w, f in zip(weights, row, strict=True))
    return round(total / sum(weights), 4)


def clean_fragment_text(raw: str) -> str:
    """Drop control characters and line breaks that PDF engines leave in runs."""
    stripped = raw.strip()
    if stripped.isprintable():  # the usual case: only the ends held line breaks or spaces
        return stripped
    return "".join(ch if ch.isprintable() else " " for ch in raw).strip()
