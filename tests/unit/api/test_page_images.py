"""Page pictures: a PDF page rendered with its fields' boxes outlined where the text is."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from doclane.api.page_images import (
    RENDER_SCALE,
    PageImageError,
    draw_field_boxes,
    page_picture,
)
from doclane.core.pipeline import Knowledge, understand
from doclane.samples import iter_documents


def _boxed_fields() -> tuple[bytes, list[dict[str, object]]]:
    (invoice,) = iter_documents(1, seed=11, kinds=["invoice"], single_page=True)
    understood = understand(invoice.payload, Knowledge(), content_type="application/pdf")
    fields = [
        {"name": f.name, "page": f.provenance.page, "source": f.provenance.source,
         **({"x0": f.provenance.bbox.x0, "y0": f.provenance.bbox.y0,
             "x1": f.provenance.bbox.x1, "y1": f.provenance.bbox.y1} if f.provenance.bbox else {"x0": None})}
        for f in understood.extraction.fields
    ]  # fmt: skip
    return invoice.payload, fields


def test_a_pdf_page_is_rendered_with_a_red_outline_on_each_boxed_field() -> None:
    payload, fields = _boxed_fields()
    boxed = [f for f in fields if f["x0"] is not None and f["page"] == 1]
    assert boxed, "the sample invoice has boxed fields"
    picture = page_picture(payload, "application/pdf", 1)
    png = draw_field_boxes(picture, fields, 1)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    plain = picture.image
    field = boxed[0]
    x0, y0 = float(field["x0"]) * RENDER_SCALE, float(field["y0"]) * RENDER_SCALE  # type: ignore[arg-type]
    x1 = float(field["x1"]) * RENDER_SCALE  # type: ignore[arg-type]
    corner = (int(x0) + 1, int(y0) + 1)
    assert image.getpixel(corner) == (200, 30, 30)
    assert plain.getpixel(corner) != (200, 30, 30)  # drawn, not in the rendering
    assert image.size == plain.size
    assert x1 > x0


def test_pictures_are_served_as_they_are_and_missing_pages_are_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, format="PNG", dpi=(144, 144))
    picture = page_picture(buffer.getvalue(), "image/png", 1)
    assert picture.image.size == (300, 200)
    assert picture.pixels_per_point == pytest.approx(2.0, rel=1e-3)  # PNG stores dots per metre
    with pytest.raises(PageImageError):
        page_picture(buffer.getvalue(), "image/png", 2)
    payload, _ = _boxed_fields()
    with pytest.raises(PageImageError, match="1 page"):
        page_picture(payload, "application/pdf", 2)
    with pytest.raises(PageImageError):
        page_picture(b"hello", "text/plain", 1)
