"""Generated documents as a scanner or a phone would deliver them.

A generated PDF is rendered to a picture (pypdfium2), turned by a small angle
and speckled with noise (Pillow, numpy), then handed over as a PNG (a TIFF with
a frame per page for several pages) or as a PDF without a text layer: the
input OCR has to read, with the labels of the document it came from.
Receipts are generated as text; they are typeset as a narrow till roll first.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image

from doclane.samples.generator import GeneratedDocument

SCAN_DPI = 200.0
_MAX_SKEW_DEGREES = 1.5
_SPECKLE_SHARE = 0.004  # of the pixels turned black or white at random
_GRAIN = 10.0  # standard deviation of the grey-level noise
_ROLL_WIDTH_MM = 80.0
_ROLL_LINE_MM = 4.2
_ROLL_FONT_PT = 9.0
_COURIER_EM = 0.6  # every Courier character is 0.6 em wide
_MM_PER_PT = 25.4 / 72


def scan(document: GeneratedDocument, rng: random.Random, *, as_pdf: bool = False,
         dpi: float = SCAN_DPI) -> GeneratedDocument:  # fmt: skip
    """The document as a scan: a PNG (a multi-page TIFF when it has several pages), or an
    image-only PDF."""
    pdf = document.payload if document.content_type == "application/pdf" else None
    pictures = scan_pictures(pdf or till_roll_pdf(document.payload.decode("utf-8")), rng, dpi=dpi)
    stem = document.filename.rsplit(".", 1)[0]
    if as_pdf:
        payload, suffix, content_type = image_pdf(pictures, dpi), "pdf", "application/pdf"
    elif len(pictures) > 1:
        payload, suffix, content_type = tiff(pictures, dpi), "tiff", "image/tiff"
    else:
        payload, suffix, content_type = png(pictures[0], dpi), "png", "image/png"
    return replace(
        document, filename=f"{stem}-scan.{suffix}", content_type=content_type, payload=payload
    )


def scan_pictures(pdf: bytes, rng: random.Random, *, dpi: float = SCAN_DPI) -> list[Image.Image]:
    """Every page of `pdf` at `dpi`, each turned by up to 1.5 degrees and speckled."""
    document = pdfium.PdfDocument(pdf)
    try:
        pictures = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            pictures.append(_scanned(bitmap.to_pil().convert("L"), rng))
            bitmap.close()
            page.close()
        return pictures
    finally:
        document.close()


def _scanned(picture: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(-_MAX_SKEW_DEGREES, _MAX_SKEW_DEGREES)
    turned = picture.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    noise = np.random.default_rng(rng.getrandbits(32))
    grey = np.asarray(turned, dtype=np.float32) + noise.normal(
        0.0, _GRAIN, (turned.height, turned.width)
    )
    speckles = noise.random(grey.shape)
    grey[speckles < _SPECKLE_SHARE / 2] = 0.0
    grey[speckles > 1 - _SPECKLE_SHARE / 2] = 255.0
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8), mode="L")


def png(picture: Image.Image, dpi: float = SCAN_DPI) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def tiff(pictures: list[Image.Image], dpi: float = SCAN_DPI) -> bytes:
    """One TIFF with a frame per page, as a multi-page scanner writes it."""
    out = io.BytesIO()
    pictures[0].save(
        out,
        "TIFF",
        save_all=True,
        append_images=pictures[1:],
        dpi=(dpi, dpi),
        compression="tiff_lzw",
    )
    return out.getvalue()


def image_pdf(pictures: list[Image.Image], dpi: float = SCAN_DPI) -> bytes:
    """A PDF of these pictures, one page each, with no text layer (what a scanner writes)."""
    out = io.BytesIO()
    pictures[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pictures[1:])
    return out.getvalue()


def till_roll_pdf(text: str) -> bytes:
    """Receipt text typeset in Courier on an 80 mm roll, one PDF page as long as it needs."""
    lines = text.splitlines()
    height = 20.0 + _ROLL_LINE_MM * len(lines)
    widest = (
        max((len(line) for line in lines), default=0) * _COURIER_EM * _ROLL_FONT_PT * _MM_PER_PT
    )
    pdf = FPDF(unit="mm", format=(max(_ROLL_WIDTH_MM, widest + 10.0), max(height, 60.0)))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Courier", size=_ROLL_FONT_PT)
    for number, line in enumerate(lines):
        printable = line.encode("windows-1252", "replace").decode("windows-1252")
        pdf.text(5.0, 12.0 + _ROLL_LINE_MM * number, printable)
    return bytes(pdf.output())
