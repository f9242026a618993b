from __future__ import annotations

import io
import zipfile

import pytest

from doclane.core.exceptions import UnderstandingError, UnreadableDocumentError
from doclane.core.read import read_document
from tests.hostile.pdf_builder import text_pdf
from tests.unit.core.pdf_factory import make_blank_pdf, make_pdf


def _reason(payload: bytes, **hints: str) -> str:
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(payload, **hints)
    return caught.value.reason_code


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
def test_pdf_lines_keep_umlauts_order_and_top_left_boxes(invoice_pdf: bytes, engine: str) -> None:
    text = read_document(invoice_pdf, pdf_engine=engine)
    lines = text.pages[0].lines
    assert text.engine == engine
    assert lines[0].text == "Nordlicht Bürotechnik GmbH"
    assert "Rechnungsnummer: RE-2024-0815" in [line.text for line in lines]
    tops = [line.bbox.y0 for line in lines if line.bbox]
    assert tops == sorted(tops), "lines come top to bottom"
    first = lines[0].bbox
    assert first is not None
    assert 0 < first.y0 < first.y1 < 60, "origin is the top-left corner"


def test_pdf_pages_are_numbered_from_one() -> None:
    text = read_document(make_pdf([["Seite eins"], ["Page deux"]]))
    assert [page.number for page in text.pages] == [1, 2]
    assert text.pages[1].lines[0].text == "Page deux"


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
def test_pdf_embedded_invoice_xml_becomes_an_attachment(engine: str) -> None:
    xml = b"<?xml version='1.0'?><rsm:CrossIndustryInvoice xmlns:rsm='urn:x'/>"
    payload = make_pdf([["Rechnung"]], attachments={"factur-x.xml": xml})
    assert read_document(payload, pdf_engine=engine).attachments == {"factur-x.xml": xml}


def test_password_protected_pdf_is_reported_as_encrypted() -> None:
    assert _reason(make_pdf([["secret"]], user_password="pw")) == "encrypted_pdf"


def test_truncated_pdf_is_reported_as_corrupt(invoice_pdf: bytes) -> None:
    assert _reason(invoice_pdf[: len(invoice_pdf) // 3]) == "corrupt_pdf"


def test_a_blank_pdf_has_no_legible_text_even_by_ocr() -> None:
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(make_blank_pdf())
    assert caught.value.reason_code == "no_text_layer"
    assert "by OCR" in caught.value.message


def test_empty_payload() -> None:
    assert _reason(b"") == "empty_document"


def test_unknown_bytes_are_unsupported() -> None:
    assert _reason(b"GIF89a....", filename="scan.gif") == "unsupported_content_type"


def test_a_damaged_picture_is_reported_as_corrupt() -> None:
    assert _reason(b"\x89PNG\r\n\x1a\n....", filename="scan.png") == "corrupt_image"


def test_unknown_pdf_engine_is_a_typed_error(invoice_pdf: bytes) -> None:
    with pytest.raises(UnderstandingError) as caught:
        read_document(invoice_pdf, pdf_engine="tesseract")
    assert caught.value.reason_code == "unknown_pdf_engine"


def test_plain_text_with_bom_and_form_feed_pages() -> None:
    payload = "\ufeffKassenbon\n\n  Summe 3,50  \fSeite zwei\n".encode()
    text = read_document(payload, content_type="text/plain; charset=utf-8")
    assert [[line.text for line in page.lines] for page in text.pages] == [
        ["Kassenbon", "Summe 3,50"],
        ["Seite zwei"],
    ]


def test_plain_text_falls_back_to_cp1252() -> None:
    text = read_document("Größe: 12,50 €".encode("cp1252"), filename="bon.txt")
    assert text.pages[0].lines[0].text == "Größe: 12,50 €"


def test_binary_sent_as_text_is_refused() -> None:
    assert _reason(bytes(range(256)) * 4, filename="x.txt") == "invalid_text_encoding"


def test_xml_text_lines_and_bytes_are_kept() -> None:
    payload = b"<?xml version='1.0'?><Invoice><ID>INV-1</ID><Note> two  words </Note></Invoice>"
    text = read_document(payload, filename="in/invoice.xml")
    assert [line.text for line in text.pages[0].lines] == ["INV-1", "two words"]
    assert text.attachments == {"invoice.xml": payload}


def test_xml_with_entity_declarations_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>'
    assert _reason(bomb, content_type="application/xml") == "unsafe_xml"


def _docx(paragraphs: list[str], padding: int = 0) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
        if padding:
            archive.writestr("word/media/filler.bin", b"\0" * padding)
    return buffer.getvalue()


def test_docx_paragraphs_become_lines() -> None:
    text = read_document(_docx(["SERVICE AGREEMENT", "", "This Agreement is made"]))
    assert [line.text for line in text.pages[0].lines] == [
        "SERVICE AGREEMENT",
        "This Agreement is made",
    ]


def test_docx_zip_bomb_is_refused() -> None:
    assert _reason(_docx(["x"], padding=60 * 1024 * 1024)) == "archive_too_large"


def test_overlapping_text_runs_are_read_once_each() -> None:
    """Kerned runs whose boxes overlap: reading by box repeated letters ("New YoYork")."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    first = "Governed by New"
    pdf.text(20, 30, first)
    pdf.text(20 + pdf.get_string_width(first) - pdf.get_string_width("w") * 0.6, 30, "wYork law")
    text = read_document(bytes(pdf.output()), filename="overlap.pdf")
    assert [line.text for page in text.pages for line in page.lines] == ["Governed by NewwYork law"]


@pytest.mark.parametrize(
    ("kerning", "expected"),
    [
        (-140, "Taxiunternehmen TX GmbH"),  # PDFium guesses a space in the tracked word
        (-300, "Taxiunter nehmen TX GmbH"),  # a gap as wide as a word space stays one
    ],
)
def test_spaces_pdfium_guesses_inside_a_kerned_word_are_dropped(
    kerning: int, expected: str
) -> None:
    content = b"BT /F1 10 Tf 72 712 Td [(Taxiunter) %d (nehmen) -600 (TX GmbH)] TJ ET\n" % kerning
    assert read_document(text_pdf(content)).text == expected
