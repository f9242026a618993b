"""Pictures of documents (PNG, JPEG, TIFF with one page per frame) read by OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page
from doclane.core.read.ocr import OCR_ENGINE, ocr_page
from doclane.core.read.pdf.errors import require_text

# A page scanned at 600 dpi is 35 MP; far larger pictures are refused before decoding.
MAX_PIXELS = 80_000_000
MAX_PAGES = 200
# Resolution assumed when a picture does not state a plausible one (phones write 72).
DEFAULT_DPI = 300.0
_PLAUSIBLE_DPI = (100.0, 1200.0)


def read_image(payload: bytes) -> DocumentText:
    try:
        with Image.open(io.BytesIO(payload)) as picture:
            _check_size(picture)
            pages = _read_frames(picture)
    except UnreadableDocumentError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_large(str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise UnreadableDocumentError(
            f"The picture is damaged or truncated and cannot be decoded ({exc}).",
            reason_code="corrupt_image",
            stage="read",
        ) from exc
    return require_text(DocumentText(pages=pages, engine=OCR_ENGINE), ocr_ran=True)


def _read_frames(picture: Image.Image) -> tuple[Page, ...]:
    pages = []
    for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
        if number > MAX_PAGES:
            raise UnreadableDocumentError(
                f"The picture has more than {MAX_PAGES} pages; split it into smaller files.",
                reason_code="too_many_pages",
                stage="read",
            )
        pages.append(_read_frame(frame, number))
    return tuple(pages)


def _read_frame(frame: Image.Image, number: int) -> Page:
    _check_size(frame)
    upright = ImageOps.exif_transpose(frame) if number == 1 else frame
    return ocr_page(upright.convert("L"), number=number, dpi=picture_dpi(frame))


def picture_dpi(picture: Image.Image) -> float:
    """The resolution the picture states, when plausible; else the scan default. Boxes of
    its text are in points at this resolution (72 points per inch)."""
    stated = picture.info.get("dpi")
    try:
        dpi = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    low, high = _PLAUSIBLE_DPI
    return dpi if low <= dpi <= high else DEFAULT_DPI


def _check_size(picture: Image.Image) -> None:
    width, height = picture.size
    if width * height > MAX_PIXELS:
        raise _too_large(f"{width} x {height} pixels")


def _too_large(what: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The picture is too large to read ({what}; at most {MAX_PIXELS // 1_000_000} MP).",
        reason_code="image_too_large",
        stage="read",
    )
