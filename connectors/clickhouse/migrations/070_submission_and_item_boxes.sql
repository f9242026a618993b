-- What a submission carried besides its bytes (priority, the caller's metadata)
-- and where each line item was found, so a result rebuilt from ClickHouse (a
-- reviewer's correction publishes one) keeps them.
ALTER TABLE documents
    ADD COLUMN IF NOT EXISTS priority Int32,
    ADD COLUMN IF NOT EXISTS metadata Map(String, String);

CREATE OR REPLACE VIEW documents_latest AS
SELECT * FROM documents FINAL;

ALTER TABLE line_items
    ADD COLUMN IF NOT EXISTS line Nullable(Int32),
    ADD COLUMN IF NOT EXISTS x0 Nullable(Float32),
    ADD COLUMN IF NOT EXISTS y0 Nullable(Float32),
    ADD COLUMN IF NOT EXISTS x1 Nullable(Float32),
    ADD COLUMN IF NOT EXISTS y1 Nullable(Float32);
