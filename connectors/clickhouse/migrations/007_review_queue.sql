-- Documents a person should look at, with the reasons.
CREATE TABLE IF NOT EXISTS review_queue
(
    document_id  String,
    doc_type     LowCardinality(String),
    reasons      Array(String),
    queued_at    DateTime64(6, 'UTC'),
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY document_id
SETTINGS non_replicated_deduplication_window = 1000
