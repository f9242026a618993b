-- The logical view of documents: exactly one row per document id, whatever
-- merges have or have not happened yet.
CREATE VIEW IF NOT EXISTS documents_latest AS
SELECT * FROM documents FINAL
