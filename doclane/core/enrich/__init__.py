"""Enrichment: what the fields mean beyond the page (vendor master, base currency, language)."""

from __future__ import annotations

from doclane.core.enrich.fx import FxRates, total_in_base_currency
from doclane.core.enrich.vendors import VendorMaster, vendor_enrichments
from doclane.core.language import detect_language
from doclane.core.model import DocumentText, Enrichment, Extraction

__all__ = ["enrich_extraction"]


def enrich_extraction(
    text: DocumentText,
    extraction: Extraction,
    vendors: VendorMaster,
    fx: FxRates | None = None,
) -> tuple[Enrichment, ...]:
    """Vendor master match (with score), total in the base currency, language."""
    enrichments = vendor_enrichments(extraction, vendors)
    if fx is not None:
        enrichments.extend(total_in_base_currency(extraction, fx))
    language = detect_language(text.text)
    if language is not None:
        enrichments.append(Enrichment("language", language[0], language[1], "stop_words"))
    return tuple(enrichments)
