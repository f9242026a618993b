"""A value read by OCR is only as sure as OCR was of the line it came from.

Each field and line item found on an OCR'd line has its confidence multiplied
by that line's OCR confidence (the mean of its words'), so a smudged total
falls below the review threshold where a crisp one stays above it. Values
from a text layer or an e-invoice XML are left as they are.
"""

from __future__ import annotations

from dataclasses import replace

from doclane.core.model import DocumentText, Extraction, Provenance


def discount_ocr_confidence(extraction: Extraction, text: DocumentText) -> Extraction:
    by_line = {
        (page, number): line.confidence
        for page, number, line in text.iter_lines()
        if line.confidence is not None
    }
    if not by_line:
        return extraction

    def discounted(confidence: float, provenance: Provenance) -> float:
        ocr = (
            by_line.get((provenance.page, provenance.line)) if provenance.source == "text" else None
        )
        return confidence if ocr is None else round(confidence * ocr, 4)

    return Extraction(
        fields=tuple(
            replace(f, confidence=discounted(f.confidence, f.provenance)) for f in extraction.fields
        ),
        line_items=tuple(
            replace(item, confidence=discounted(item.confidence, item.provenance))
            for item in extraction.line_items
        ),
    )
