-- Schema v2 of DocumentResult: contract parties, duplicates, amounts in the
-- base currency, the vendor match score, and more header fields. ADD COLUMN IF
-- NOT EXISTS keeps this idempotent on stores created before v2.
ALTER TABLE documents
    ADD COLUMN IF NOT EXISTS parties             Array(String),
    ADD COLUMN IF NOT EXISTS duplicate_of        Nullable(String),
    ADD COLUMN IF NOT EXISTS due_date            Nullable(Date32),
    ADD COLUMN IF NOT EXISTS net_total           Nullable(Decimal(18, 2)),
    ADD COLUMN IF NOT EXISTS tax_total           Nullable(Decimal(18, 2)),
    ADD COLUMN IF NOT EXISTS vendor_match_score  Nullable(Float64),
    ADD COLUMN IF NOT EXISTS total_in_base       Nullable(Decimal(18, 2)),
    ADD COLUMN IF NOT EXISTS base_currency       LowCardinality(String);

-- The view lists columns as they were when it was created; recreate it so it
-- shows the v2 columns.
CREATE OR REPLACE VIEW documents_latest AS
SELECT * FROM documents FINAL
