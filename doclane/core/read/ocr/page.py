"""One picture of a page through OCR into a `Page` of positioned lines."""

from __future__ import annotations

from PIL import Image, ImageOps

from doclane.core.model import BoundingBox, Page, TextLine
from doclane.core.read.layout import Fragment, group_into_lines
from doclane.core.read.ocr.engine import read_words, upright_rotation
from doclane.core.read.ocr.geometry import Rotation, box_before, rotate, skew_degrees

OCR_ENGINE = "tesseract"
_POINTS_PER_INCH = 72.0
# A page read with less mean confidence than this, after turning it, is read again unturned.
_DOUBTFUL = 0.6


def ocr_page(image: Image.Image, *, number: int, dpi: float) -> Page:
    """The page's lines, boxed in PDF points on the picture as it was given.

    `dpi` is the picture's resolution: a pixel is 72 / dpi points. The picture is
    read in grey, turned upright when Tesseract is sure it lies on its side or
    upside down, and deskewed.
    """
    grey = ImageOps.grayscale(image) if image.mode != "L" else image
    turn = upright_rotation(grey, dpi)
    lines = _read(grey, turn, dpi)
    if turn and _mean_confidence(lines) < _DOUBTFUL:
        # Orientation detection is unsure on sparse or noisy pages: if the turned
        # picture read badly, the picture as it came may read better.
        as_given = _read(grey, 0, dpi)
        if _mean_confidence(as_given) > _mean_confidence(lines):
            lines = as_given
    scale = _POINTS_PER_INCH / dpi
    return Page(
        number=number,
        lines=tuple(
            TextLine(line.text, _in_points(line.bbox, scale), line.confidence) for line in lines
        ),
        width=round(image.width * scale, 2),
        height=round(image.height * scale, 2),
    )


def _read(grey: Image.Image, turn: int, dpi: float) -> tuple[TextLine, ...]:
    """The lines of the picture turned clockwise by `turn` and deskewed, boxed in pixels
    of the picture as given."""
    rotations: list[Rotation] = []
    if turn:
        grey, rotation = rotate(grey, -turn)  # Tesseract says clockwise; Pillow turns the other way
        rotations.append(rotation)
    skew = skew_degrees(grey)
    if skew:
        grey, rotation = rotate(grey, skew)
        rotations.append(rotation)
    fragments = [
        Fragment(word.text, word.left, word.top, word.right, word.bottom, True, word.confidence)
        for word in read_words(grey, dpi)
    ]
    return tuple(_on_given(line, rotations) for line in group_into_lines(fragments))


def _on_given(line: TextLine, rotations: list[Rotation]) -> TextLine:
    box = line.bbox
    if box is None or not rotations:  # group_into_lines boxes every line
        return line
    x0, y0, x1, y1 = box_before(rotations, (box.x0, box.y0, box.x1, box.y1))
    return TextLine(line.text, BoundingBox(x0, y0, x1, y1), line.confidence)


def _in_points(box: BoundingBox | None, scale: float) -> BoundingBox | None:
    if box is None:
        return None
    return BoundingBox(
        round(box.x0 * scale, 2),
        round(box.y0 * scale, 2),
        round(box.x1 * scale, 2),
        round(box.y1 * scale, 2),
    )


def _mean_confidence(lines: tuple[TextLine, ...]) -> float:
    """OCR's confidence in the page: its lines' mean, weighted by their length."""
    weights = [len(line.text) for line in lines]
    if not sum(weights):
        return 0.0
    total = sum(w * (line.confidence or 0.0) for w, line in zip(weights, lines, strict=True))
    return total / sum(weights)
