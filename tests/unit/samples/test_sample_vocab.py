"""The printed vocabulary is complete per language and printable by the PDF core fonts."""

from __future__ import annotations

from doclane.samples.parties import load_vendor_master
from doclane.samples.vocab import ITEMS, LABELS


def test_every_language_has_every_label() -> None:
    keys = {language: set(labels) for language, labels in LABELS.items()}
    assert keys["de"] == keys["en"] == keys["fr"]
    assert all(variants for labels in LABELS.values() for variants in labels.values())


def test_all_printed_text_fits_the_core_font_encoding() -> None:
    texts = [
        text for labels in LABELS.values() for variants in labels.values() for text in variants
    ]
    texts += [text for items in ITEMS.values() for text in items]
    texts += [vendor.name for vendor in load_vendor_master()]
    for text in texts:
        text.encode("cp1252")  # raises on characters Helvetica cannot print
