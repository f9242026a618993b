-- Every dead-letter record, keyed by where the failed record came from.
CREATE TABLE IF NOT EXISTS dead_letters
(
    document_id         String,
    stage               LowCardinality(String),
    reason_code         LowCardinality(String),
    message             String,
    attempt             UInt16,
    filename            Nullable(String),
    original_topic      String,
    original_partition  Int32,
    original_offset     Int64,
    failed_at           DateTime64(3, 'UTC'),
    stored_at           DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (original_topic, original_partition, original_offset, stage)
SETTINGS non_replicated_deduplication_window = 1000
