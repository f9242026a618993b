-- Reviewer corrections (Correction records on doclane.corrections) and the
-- version of a result (DocumentResult v6): a corrected result is stored again
-- with result_version + 1, and documents keeps the newest (its version column
-- is the completion time, and a correction completes later).
ALTER TABLE documents
    ADD COLUMN IF NOT EXISTS result_version UInt32;  -- rows stored before v6 read 0: version 1

CREATE OR REPLACE VIEW documents_latest AS
SELECT * FROM documents FINAL;

-- One row per reviewer decision. A document with a row here has left the
-- review queue (see doclane/api/review.py).
CREATE TABLE IF NOT EXISTS corrections
(
    correction_id    String,
    document_id      String,
    base_version     UInt32,
    action           LowCardinality(String),  -- correct, approve, reject
    reviewer         String,                  -- the identity of the API key, never the key
    corrected_at     DateTime64(3, 'UTC'),
    doc_type_before  LowCardinality(String),
    doc_type_after   LowCardinality(String),
    vendor_id        Nullable(String),
    change_count     UInt16,
    comment          String,
    stored_at        DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, correction_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- The audit trail: who changed what, when, from which value to which.
CREATE TABLE IF NOT EXISTS correction_audit
(
    correction_id  String,
    document_id    String,
    reviewer       String,
    corrected_at   DateTime64(3, 'UTC'),
    action         LowCardinality(String),
    field          LowCardinality(String),  -- a field name, or doc_type
    old_value      Nullable(String),        -- null: the pipeline had not found it
    new_value      String,
    stored_at      DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, corrected_at, correction_id, field)
SETTINGS non_replicated_deduplication_window = 1000
