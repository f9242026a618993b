-- One row per erased document (`doclane forget`, DELETE /v1/documents/{id}): what was
-- removed and by whom, with no personal data: the id only as its SHA-256, the actor as
-- an API key id, and counts.
CREATE TABLE IF NOT EXISTS erasures
(
    document_sha256  String,
    erased_at        DateTime64(6, 'UTC') DEFAULT now64(6),
    actor            String,
    rows_deleted     UInt64,
    tables_touched   UInt32,
    blobs_deleted    UInt32,
    tombstones       UInt32,
    ledger_entries   UInt32
)
ENGINE = MergeTree
ORDER BY (erased_at, document_sha256);
