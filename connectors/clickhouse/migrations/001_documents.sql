-- One logical row per document. Replays and retries insert the same document
-- again; ReplacingMergeTree keeps the row with the highest version (the last
-- time the pipeline finished it). Read with FINAL, or through documents_latest,
-- for an exact count before background merges have run.
CREATE TABLE IF NOT EXISTS documents
(
    document_id      String,
    correlation_id   String,
    source           LowCardinality(String),
    filename         Nullable(String),
    content_type     LowCardinality(String),
    size_bytes       UInt64,
    sha256           String,
    doc_type         LowCardinality(String),
    type_confidence  Float64,
    status           LowCardinality(String),  -- accepted, review, failed
    language         LowCardinality(String),
    vendor_name      Nullable(String),
    vendor_id        Nullable(String),
    invoice_number   Nullable(String),
    issue_date       Nullable(Date32),
    currency         LowCardinality(Nullable(String)),
    total            Nullable(Decimal(18, 2)),
    field_count      UInt16,
    line_item_count  UInt16,
    error_count      UInt16,
    warning_count    UInt16,
    review_reasons   Array(String),
    failure_stage    LowCardinality(String),
    failure_reason   LowCardinality(String),
    failure_message  String,
    submitted_at     DateTime64(3, 'UTC'),
    completed_at     DateTime64(6, 'UTC'),
    stored_at        DateTime64(6, 'UTC') DEFAULT now64(6),
    version          UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY document_id
SETTINGS non_replicated_deduplication_window = 1000
