-- One row per extracted field of a document.
CREATE TABLE IF NOT EXISTS fields
(
    document_id       String,
    name              LowCardinality(String),
    ordinal           UInt16,
    value             String,
    normalized_value  Nullable(String),
    confidence        Float64,
    source            LowCardinality(String),
    page              Nullable(Int32),
    line              Nullable(Int32),
    doc_type          LowCardinality(String),
    stored_at         DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, name, ordinal)
SETTINGS non_replicated_deduplication_window = 1000
