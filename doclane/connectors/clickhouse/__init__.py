"""ClickHouse sink: tables, row mapping, batched effectively-ordered inserts, query service."""
