-- Schema v3 of DocumentResult: the probability of every document type, and
-- where on the page each field was read (PDF points from the top-left corner).
-- ADD COLUMN IF NOT EXISTS keeps this idempotent on stores created before v3.
ALTER TABLE documents
    ADD COLUMN IF NOT EXISTS type_scores  Map(LowCardinality(String), Float64);

ALTER TABLE fields
    ADD COLUMN IF NOT EXISTS x0  Nullable(Float32),
    ADD COLUMN IF NOT EXISTS y0  Nullable(Float32),
    ADD COLUMN IF NOT EXISTS x1  Nullable(Float32),
    ADD COLUMN IF NOT EXISTS y1  Nullable(Float32);

-- The view lists columns as they were when it was created; recreate it so it
-- shows the v3 columns.
CREATE OR REPLACE VIEW documents_latest AS
SELECT * FROM documents FINAL
