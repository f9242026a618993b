"""Tesseract itself: words with boxes and confidences, and the page's orientation.

pytesseract runs the `tesseract` command as a child of this process, so the
parse pool's limits hold for it too: it inherits the address-space limit and
the CPU limit, and the pool counts its CPU time with the task's.

pytesseract is imported on first use: it imports numpy, whose thread buffers
would add about 120 MB of address space to every parse process, OCR or not.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from PIL import Image

from doclane.core.exceptions import UnreadableDocumentError

# Invoices and receipts of the EU: English, German and French models at once.
LANGUAGES = "eng+deu+fra"
# Automatic page segmentation; blocks, columns and tables found by Tesseract.
_WORDS_CONFIG = "--psm 3"
_OSD_CONFIG = "--psm 0 -c min_characters_to_try=10"
# Orientation detection below this confidence (Tesseract's own scale) is a guess; a
# slightly turned, speckled 200 dpi scan scores 0.5 to 3 for the right answer.
_MIN_ORIENTATION_CONFIDENCE = 0.4


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float  # 0..1


def read_words(image: Image.Image, dpi: float) -> list[Word]:
    """Every word Tesseract reads on the grey picture, in its pixel coordinates."""
    pytesseract = _pytesseract()
    data = _call(
        pytesseract.image_to_data,
        image,
        lang=LANGUAGES,
        config=f"{_WORDS_CONFIG} --dpi {round(dpi)}",
        output_type=pytesseract.Output.DICT,
    )
    words = []
    for text, left, top, width, height, conf in zip(
        data["text"],
        data["left"],
        data["top"],
        data["width"],
        data["height"],
        data["conf"],
        strict=True,
    ):
        stripped = str(text).strip()
        if not stripped or float(conf) < 0:
            continue
        words.append(
            Word(stripped, left, top, left + width, top + height, min(float(conf), 100.0) / 100)
        )
    return words


def upright_rotation(image: Image.Image, dpi: float) -> int:
    """Degrees (0, 90, 180, 270) to turn the picture clockwise so its text stands upright;
    0 when Tesseract cannot tell (too little text, or not sure)."""
    pytesseract = _pytesseract()
    try:
        osd = _call(
            pytesseract.image_to_osd,
            image,
            config=f"{_OSD_CONFIG} --dpi {round(dpi)}",
            output_type=pytesseract.Output.DICT,
        )
    except _TooLittleTextError:
        return 0
    if float(osd.get("orientation_conf", 0.0)) < _MIN_ORIENTATION_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


class _TooLittleTextError(Exception):
    """Orientation detection found too few characters to decide."""


def _call(function: Callable[..., Any], image: Image.Image, **options: Any) -> Any:
    # One thread per call: the parse pool already runs one process per core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # Handed over as an uncompressed grey map: pytesseract would spend more time
    # compressing a PNG than Tesseract spends finding the orientation.
    with tempfile.TemporaryDirectory(prefix="doclane-ocr-") as folder:
        path = os.path.join(folder, "page.pgm")
        image.save(path, "PPM")
        return _run(function, path, **options)


def _pytesseract() -> ModuleType:
    import pytesseract

    return pytesseract


def _run(function: Callable[..., Any], path: str, **options: Any) -> Any:
    pytesseract = _pytesseract()
    try:
        return function(path, **options)
    except pytesseract.TesseractNotFoundError as exc:
        raise UnreadableDocumentError(
            "This document needs OCR, and Tesseract is not installed on this worker "
            "(Debian: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu "
            "tesseract-ocr-fra, or `make ocr`); replay the dead letter once it is.",
            reason_code="ocr_unavailable",
            stage="read",
        ) from exc
    except pytesseract.TesseractError as exc:
        if "Too few characters" in str(exc.message) or "Invalid resolution" in str(exc.message):
            raise _TooLittleTextError from exc
        raise _failed(exc) from exc


def _failed(exc: Any) -> UnreadableDocumentError:
    if exc.status == -signal.SIGXCPU:
        return UnreadableDocumentError(
            "OCR of this document took more CPU time than a parse process may spend.",
            reason_code="cpu_time_exceeded",
            stage="read",
        )
    if exc.status in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        return UnreadableDocumentError(
            "OCR of this document needed more memory than a parse process may use.",
            reason_code="memory_exceeded",
            stage="read",
        )
    return UnreadableDocumentError(
        f"Tesseract could not read the page (exit status {exc.status}: {exc.message}).",
        reason_code="ocr_failed",
        stage="read",
    )
