-- Containers and their children (DocumentResult v5): one row per document that
-- was unpacked from a container (parent_id set) and per container (child_count
-- set). Children of X: WHERE parent_id = X; how many X held: WHERE document_id = X.
CREATE TABLE IF NOT EXISTS document_lineage
(
    document_id  String,
    parent_id    String,
    path         String,
    filename     String,
    doc_type     LowCardinality(String),
    status       LowCardinality(String),
    child_count  Nullable(UInt32),
    submitted_at DateTime64(6, 'UTC'),
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (parent_id, document_id)
SETTINGS non_replicated_deduplication_window = 1000
