"""Turning a picture upright and straight, and mapping boxes back onto the original.

A scan lies a little askew, a photo of a receipt may lie on its side. The
words are read on the corrected picture, but provenance must point at the
picture as it was sent: every rotation is kept as a `Rotation` that maps a
point of the corrected picture back onto the one before it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from PIL import Image

# Skew a deskew looks for (degrees either way) and the finest step it resolves.
_MAX_SKEW = 6.0
_COARSE_STEP = 0.5
_FINE_STEP = 0.1
# Below this the picture is left as it is: lines that straight group fine.
_MIN_SKEW = 0.25
_PROBE_WIDTH = 800  # the skew is measured on a picture this wide
_INK = 160  # grey level below which a pixel is ink


@dataclass(frozen=True, slots=True)
class Rotation:
    """A counter-clockwise rotation by `degrees` about the centre that turned a picture of
    `before` size into one of `after` size (Pillow's `rotate(..., expand=True)`)."""

    degrees: float
    before: tuple[int, int]
    after: tuple[int, int]

    def to_before(self, x: float, y: float) -> tuple[float, float]:
        theta = math.radians(self.degrees)
        cos, sin = math.cos(theta), math.sin(theta)
        dx, dy = x - self.after[0] / 2, y - self.after[1] / 2
        return (
            self.before[0] / 2 + dx * cos - dy * sin,
            self.before[1] / 2 + dx * sin + dy * cos,
        )


def rotate(image: Image.Image, degrees: float) -> tuple[Image.Image, Rotation]:
    """The picture turned counter-clockwise by `degrees`, white where it had no pixels."""
    if degrees % 90 == 0:
        turned = image.rotate(degrees, expand=True)
    else:
        turned = image.rotate(
            degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
        )
    return turned, Rotation(degrees, image.size, turned.size)


def box_before(
    rotations: list[Rotation], box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) on the original picture: its corners mapped back through
    every rotation, last first, and boxed again."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    for rotation in reversed(rotations):
        corners = [rotation.to_before(x, y) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def skew_degrees(image: Image.Image) -> float:
    """The counter-clockwise turn that makes the text lines of a grey picture horizontal.

    Rows of ink are sharpest (their profile varies most from row to row) when the
    lines lie level; the turn that maximises that variation is searched coarsely,
    then finely around the best. 0.0 when the picture is straight enough already.
    """
    scale = min(1.0, _PROBE_WIDTH / max(image.width, 1))
    probe = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    ink = probe.point(lambda level: 255 if level < _INK else 0)
    best = _best_angle(ink, _angles(0.0, _MAX_SKEW, _COARSE_STEP))
    best = _best_angle(ink, _angles(best, _COARSE_STEP, _FINE_STEP))
    return best if abs(best) >= _MIN_SKEW else 0.0


def _angles(centre: float, reach: float, step: float) -> list[float]:
    count = round(reach / step)
    return [round(centre + step * i, 2) for i in range(-count, count + 1)]


def _best_angle(ink: Image.Image, angles: list[float]) -> float:
    # Pillow alone (no numpy: its import would grow every parse process): squeezing the
    # picture to one column averages each row.
    def sharpness(angle: float) -> float:
        rows = ink.rotate(angle).resize((1, ink.height), Image.Resampling.BOX).tobytes()
        return float(sum((b - a) ** 2 for a, b in itertools.pairwise(rows)))

    return max(angles, key=lambda angle: (sharpness(angle), -abs(angle)))
