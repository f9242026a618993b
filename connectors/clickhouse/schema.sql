-- The ClickHouse schema as it stands: every table and view of the `doclane`
-- database, in one file to read. The store is built by the idempotent
-- migrations in migrations/ (applied in order at every start, so older stores
-- catch up); tests/integration/connectors/clickhouse/test_schema.py checks that
-- applying them gives exactly this. Change both together.

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
    version          UInt64,
    -- since DocumentResult v2 (010)
    parties             Array(String),
    duplicate_of        Nullable(String),
    due_date            Nullable(Date32),
    net_total           Nullable(Decimal(18, 2)),
    tax_total           Nullable(Decimal(18, 2)),
    vendor_match_score  Nullable(Float64),
    total_in_base       Nullable(Decimal(18, 2)),
    base_currency       LowCardinality(String),
    -- since DocumentResult v3 (011): the probability of every document type
    type_scores         Map(LowCardinality(String), Float64),
    -- since DocumentResult v6 (050): 1, then + 1 per reviewer correction (0: stored before v6, read as 1)
    result_version      UInt32,
    -- since 070: what the submission carried besides its bytes
    priority            Int32,
    metadata            Map(String, String)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY document_id
SETTINGS non_replicated_deduplication_window = 1000;

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
    stored_at         DateTime64(6, 'UTC') DEFAULT now64(6),
    -- since v3 (011): where on the page the field was read, PDF points from the top left
    x0                Nullable(Float32),
    y0                Nullable(Float32),
    x1                Nullable(Float32),
    y1                Nullable(Float32)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, name, ordinal)
SETTINGS non_replicated_deduplication_window = 1000;

-- One row per line item of an invoice, credit note or purchase order.
CREATE TABLE IF NOT EXISTS line_items
(
    document_id  String,
    position     UInt16,
    description  Nullable(String),
    quantity     Nullable(String),
    unit_price   Nullable(String),
    amount       Nullable(String),
    confidence   Float64,
    page         Nullable(Int32),
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6),
    -- since 070: where the item was read (line, and its box in PDF points from the top left)
    line         Nullable(Int32),
    x0           Nullable(Float32),
    y0           Nullable(Float32),
    x1           Nullable(Float32),
    y1           Nullable(Float32)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, position)
SETTINGS non_replicated_deduplication_window = 1000;

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
SETTINGS non_replicated_deduplication_window = 1000;

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
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6),
    -- since 012: finds one document's rows without reading every stage's
    INDEX document_idx document_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(stored_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (stage, document_id)
SETTINGS non_replicated_deduplication_window = 1000;

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
SETTINGS non_replicated_deduplication_window = 1000;

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
SETTINGS non_replicated_deduplication_window = 1000;

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
SETTINGS non_replicated_deduplication_window = 1000;

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
GROUP BY minute, doc_type, status;

-- The logical view of documents: exactly one row per document id, whatever
-- merges have or have not happened yet.
CREATE VIEW IF NOT EXISTS documents_latest AS
SELECT * FROM documents FINAL;

-- One row per erased document: the id only as its SHA-256, the actor as an API key id, counts.
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
SETTINGS non_replicated_deduplication_window = 1000;
