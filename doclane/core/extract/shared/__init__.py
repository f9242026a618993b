"""Readers every document type uses: located lines, layout cells, currency, table rows."""
