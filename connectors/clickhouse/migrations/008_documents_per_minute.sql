-- Documents per minute by type and status, maintained on every insert into
-- documents. It counts inserted rows: a replayed document counts again here
-- (documents itself keeps one logical row). Query with sum(documents).
CREATE TABLE IF NOT EXISTS documents_per_minute
(
    minute     DateTime('UTC'),
    doc_type   LowCardinality(String),
    status     LowCardinality(String),
    documents  UInt64
)
ENGINE = SummingMergeTree
ORDER BY (minute, doc_type, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS documents_per_minute_mv TO documents_per_minute AS
SELECT toStartOfMinute(stored_at) AS minute, doc_type, status, count() AS documents
FROM documents
GROUP BY minute, doc_type, status
