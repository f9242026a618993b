"""Edges of the pipeline: ingest producers and the ClickHouse sink."""
