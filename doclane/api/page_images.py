"""A document page as a PNG, with the extracted fields' boxes drawn on it.

PDF pages are rendered by PDFium; pictures (PNG, JPEG, TIFF frames) are used
as they are, turned upright as the reader turns them. Boxes are in points from
the page's top-left corner (as the readers write them), so they are scaled by
the picture's pixels per point.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageOps, ImageSequence

from doclane.core.read.images import picture_dpi
from doclane.exceptions import DoclaneError

RENDER_SCALE = 1.5  # pixels per PDF point: 108 dpi, sharp enough to read on a screen
MAX_PAGE = 500
_BOX = (200, 30, 30)  # red outline
_REVIEWED = (30, 120, 200)


class PageImageError(DoclaneError):
    reason_code = "no_page_image"


@dataclass(frozen=True)
class PagePicture:
    image: Image.Image
    pixels_per_point: float


def page_picture(payload: bytes, content_type: str, page: int) -> PagePicture:
    """Page `page` (1-based) of the document; raises `PageImageError` when there is none."""
    if page < 1 or page > MAX_PAGE:
        raise PageImageError(f"no page {page}")
    if content_type == "application/pdf":
        return _pdf_page(payload, page)
    if content_type.startswith("image/"):
        return _picture_page(payload, page)
    raise PageImageError(f"a {content_type} document has no page images")


def _pdf_page(payload: bytes, page: int) -> PagePicture:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(payload)
        try:
            if page > len(pdf):
                raise PageImageError(f"the PDF has {len(pdf)} page(s), not {page}")
            bitmap = pdf[page - 1].render(scale=RENDER_SCALE)
            image = bitmap.to_pil().convert("RGB")
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise PageImageError(f"PDFium cannot render page {page}: {exc}") from exc
    return PagePicture(image, RENDER_SCALE)


def _picture_page(payload: bytes, page: int) -> PagePicture:
    try:
        picture = Image.open(io.BytesIO(payload))
        for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            if number == page:
                upright = ImageOps.exif_transpose(frame) if number == 1 else frame
                return PagePicture(upright.convert("RGB"), picture_dpi(frame) / 72)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PageImageError(f"the picture cannot be decoded: {exc}") from exc
    raise PageImageError(f"the picture has no page {page}")


def draw_field_boxes(picture: PagePicture, fields: list[dict[str, Any]], page: int) -> bytes:
    """The page as PNG with each boxed field of this page outlined and named."""
    image = picture.image.copy()
    pen = ImageDraw.Draw(image)
    scale = picture.pixels_per_point
    for stored in fields:
        if stored.get("page") != page or stored.get("x0") is None:
            continue
        box = [float(stored[k]) * scale for k in ("x0", "y0", "x1", "y1")]
        colour = _REVIEWED if stored.get("source") == "vendor_memory" else _BOX
        pen.rectangle(box, outline=colour, width=2)
        pen.text((box[0], max(0.0, box[1] - 11)), str(stored["name"]), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
