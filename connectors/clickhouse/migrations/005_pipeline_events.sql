-- The time series: one row per document and stage (submitted, classify,
-- extract, validate, enrich, dead_letter), with when it ran and for how long.
CREATE TABLE IF NOT EXISTS pipeline_events
(
    document_id  String,
    stage        LowCardinality(String),
    started_at   DateTime64(6, 'UTC'),
    finished_at  DateTime64(6, 'UTC'),
    duration_ms  Float64,
    worker       LowCardinality(String),
    doc_type     LowCardinality(String),
    status       LowCardinality(String),
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (stage, document_id)
SETTINGS non_replicated_deduplication_window = 1000
