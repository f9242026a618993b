"""Enrichment: what the fields mean beyond the page (vendor master, base currency, language)."""
