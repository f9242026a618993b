"""Prometheus metrics of the HTTP API, served on its own `/metrics`."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

DOCUMENTS_ACCEPTED = Counter(
    "doclane_api_documents_accepted_total", "Documents accepted (202) and on the ingest topic."
)
BYTES_ACCEPTED = Counter("doclane_api_bytes_accepted_total", "Bytes of the accepted documents.")
REFUSALS = Counter(
    "doclane_api_refusals_total", "Requests the API refused, by reason code.", ["reason"]
)
IDEMPOTENT_REPLAYS = Counter(
    "doclane_api_idempotent_replays_total", "Uploads answered from a stored Idempotency-Key."
)
UPLOAD_SECONDS = Histogram(
    "doclane_api_upload_seconds",
    "From the start of an upload request to its 202: body read and stored, broker acknowledged.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
