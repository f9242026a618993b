"""Enrichment: what the fields mean beyond the page (vendor master, base currency, language)."""

from __future__ import annotations

from doclane.core.enrich.fx import FxRates, total_in_base_currency
from doclane.core.enrich.vendors import VendorMaster, vendor_enrichments
from doclane.core.language import detect_language
from doclane.core.model import DocumentText, Enrichment, Extraction

__all__ = ["enrich_extraction", "language_of"]


def language_of(text: DocumentText) -> Enrichment | None:
    """The language of the text layer (stop words), while the text is at hand."""
    found = detect_language(text.text)
    if found is None:
        return None
    return Enrichment("language", found[0], found[1], "stop_words")


def enrich_extraction(
    extraction: Extraction,
    vendors: VendorMaster,
    fx: FxRates | None = None,
    language: Enrichment | None = None,
) -> tuple[Enrichment, ...]:
    """Vendor master match (with score), total in the base currency, and the language found."""
    enrichments = vendor_enrichments(extraction, vendors)
    if fx is not None:
        enrichments.extend(total_in_base_currency(extraction, fx))
    if language is not None:
        enrichments.append(language)
    return tuple(enrichments)
