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
    stored_at    DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (document_id, position)
SETTINGS non_replicated_deduplication_window = 1000
