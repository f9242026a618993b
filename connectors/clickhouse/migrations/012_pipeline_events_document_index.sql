-- One document's stage rows are read by id (the HTTP API's status and event
-- stream), but pipeline_events is sorted by stage first; a bloom filter on
-- document_id lets ClickHouse skip the granules that cannot hold it. Parts
-- written before this migration carry no index and are read as before.
ALTER TABLE pipeline_events
    ADD INDEX IF NOT EXISTS document_idx document_id TYPE bloom_filter(0.01) GRANULARITY 1
