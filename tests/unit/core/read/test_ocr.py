"""OCR: scans and photos of generated invoices read into the same fields as their text layer."""

from __future__ import annotations

import io
import random

import pytesseract
import pytest
from PIL import Image

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.pipeline import Knowledge, understand
from doclane.core.read import read_document
from doclane.samples import iter_documents
from doclane.samples.generator import GeneratedDocument
from doclane.samples.scans import image_pdf, png, scan, scan_pictures

KNOWLEDGE = Knowledge()


@pytest.fixture(scope="module")
def invoice() -> GeneratedDocument:
    return next(iter_documents(1, seed=21, kinds=["invoice"], single_page=True))


@pytest.fixture(scope="module")
def picture(invoice: GeneratedDocument) -> Image.Image:
    """The invoice at 200 dpi, turned by up to 1.5 degrees and speckled."""
    return scan_pictures(invoice.payload, random.Random(3))[0]


def _fields(payload: bytes, filename: str) -> dict[str, tuple[str | None, float]]:
    result = understand(payload, KNOWLEDGE, filename=filename)
    return {f.name: (f.normalized, f.confidence) for f in result.extraction.fields}


def test_a_scanned_invoice_png_gives_the_invoice_number_and_total(
    invoice: GeneratedDocument, picture: Image.Image
) -> None:
    fields = _fields(png(picture), "scan.png")
    label = invoice.label["fields"]
    assert fields["invoice_number"][0] == label["invoice_number"]
    assert fields["total"][0] == label["total"]
    assert fields["issue_date"][0] == label["issue_date"]


def test_ocr_confidence_lowers_field_confidence_below_the_text_layers(
    invoice: GeneratedDocument, picture: Image.Image
) -> None:
    scanned = _fields(png(picture), "scan.png")
    exact = _fields(invoice.payload, invoice.filename)
    assert scanned["total"][1] < exact["total"][1]
    assert scanned["total"][1] > 0.5, "a clean scan stays above the review threshold"


def test_a_scanned_pdf_without_text_layer_is_read_by_ocr(
    invoice: GeneratedDocument, picture: Image.Image
) -> None:
    text = read_document(image_pdf([picture]))
    assert text.engine == "pdfium+tesseract"
    lines = [line.text for line in text.pages[0].lines]
    assert any(invoice.label["fields"]["invoice_number"] in line for line in lines)
    assert all(line.confidence is not None for line in text.pages[0].lines)
    page = text.pages[0]
    assert all(
        0 <= line.bbox.x0 < line.bbox.x1 <= page.width + 1
        and 0 <= line.bbox.y0 < line.bbox.y1 <= page.height + 1
        for line in page.lines
        if line.bbox
    ), "boxes lie on the page, in PDF points"


def _total_box(payload: bytes) -> tuple[float, float, float, float]:
    result = understand(payload, KNOWLEDGE, filename="scan.png")
    total = result.extraction.get("total")
    assert total is not None
    box = total.provenance.bbox
    assert box is not None
    return box.x0, box.y0, box.x1, box.y1


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_on_its_side_or_upside_down_is_turned_and_boxes_stay_on_the_original(
    picture: Image.Image, turn: int
) -> None:
    width, height = (v * 72 / 200 for v in picture.size)
    x0, y0, x1, y1 = _total_box(png(picture))
    turned = _total_box(png(picture.rotate(turn, expand=True)))
    # Pillow turns counter-clockwise: where the total's box must be on the turned picture.
    expected = {
        90: (y0, width - x1, y1, width - x0),
        180: (width - x1, height - y1, width - x0, height - y0),
        270: (height - y1, x0, height - y0, x1),
    }[turn]
    assert turned == pytest.approx(expected, abs=4.0)


def test_a_multi_page_tiff_gives_one_page_per_frame(picture: Image.Image) -> None:
    out = io.BytesIO()
    second = picture.crop((0, 0, picture.width, picture.height // 2))
    picture.save(out, "TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    text = read_document(out.getvalue())
    assert [page.number for page in text.pages] == [1, 2]
    assert all(page.lines for page in text.pages)


def test_a_photographed_receipt_gives_its_total(tmp_path: object) -> None:
    receipt = next(iter_documents(1, seed=5, kinds=["receipt"]))
    scanned = scan(receipt, random.Random(1))
    fields = _fields(scanned.payload, scanned.filename)
    assert fields["total"][0] == receipt.label["fields"]["total"]


def test_without_tesseract_a_scan_is_a_dead_letter_that_says_what_to_install(
    picture: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(png(picture))
    assert caught.value.reason_code == "ocr_unavailable"
    assert "tesseract-ocr" in caught.value.message


def test_a_picture_too_large_to_decode_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (9500, 9000), 1).save(out, "PNG")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(out.getvalue())
    assert caught.value.reason_code == "image_too_large"


@pytest.mark.parametrize(
    ("lines", "usable"),
    [
        (["Invoice INV-2026-0042", "Total 1,190.00 EUR"], True),
        (["3"], False),  # a page number alone: the page is a scan with a stamped number
        (["\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd Tot 1"], False),  # a font without encoding
        (["\ue001\ue002\ue003\ue004 Rechnung 4711 \ue005\ue006\ue007\ue008\ue009\ue00a"], False),
    ],
    ids=["text", "page-number-only", "replacement-chars", "private-use-glyphs"],
)
def test_a_page_is_read_by_ocr_when_its_text_layer_is_missing_or_garbage(
    lines: list[str], usable: bool
) -> None:
    from doclane.core.model import Page, TextLine
    from doclane.core.read.pdf.scanned import has_usable_text

    assert has_usable_text(Page(1, tuple(TextLine(line) for line in lines))) is usable
