"""OCR: a picture of a page in, positioned lines with confidences out.

Tesseract (Debian's `tesseract-ocr`, through pytesseract) reads the words;
`page` turns a picture into the same `Page` a text layer gives: the picture
is turned upright (Tesseract's orientation detection) and deskewed
(`geometry`), its words are grouped into lines as a text layer's runs are
(`doclane.core.read.layout`), and every box is mapped back onto the picture as
it was, in PDF points, so provenance points at the right place of the
original. Each line keeps OCR's confidence in its words.
"""

from doclane.core.read.ocr.page import OCR_ENGINE, ocr_page

__all__ = ["OCR_ENGINE", "ocr_page"]
