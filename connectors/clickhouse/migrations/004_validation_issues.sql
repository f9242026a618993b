-- One row per validation issue found on a document.
CREATE TABLE IF NOT EXISTS validation_issues
(
    document_id  String,
    code         LowCardinality(String),
    severity     LowCardinality(String),
    message      String,
    field        String,
    doc_type     LowCardinality(String),
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, code, field)
SETTINGS non_replicated_deduplication_window = 1000
