"""Retention and erasure on the real embedded engine: TTL on every table, a document's
rows gone from every table that names it (tables enumerated from system.tables)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from doclane.connectors.clickhouse.admin import erase_in_store, write_audit
from doclane.connectors.clickhouse.governance import apply_ttl, document_hash, merge_tree_tables
from doclane.connectors.clickhouse.rows import COLUMNS, Rows, dead_letter_rows, result_rows
from doclane.connectors.clickhouse.store import DATABASE, ClickHouseStore
from doclane.settings import Settings
from tests.records import dead_letter_record, result_record


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClickHouseStore]:
    path: Path = tmp_path_factory.mktemp("chdb-governance")
    opened = ClickHouseStore(f"chdb://{path}")
    opened.apply_ddl()
    yield opened
    opened.close()


def _store_document(store: ClickHouseStore, document_id: str, sha256: str) -> None:
    rows = Rows()
    record = result_record()
    record["document_id"] = document_id
    record["sha256"] = sha256
    rows.extend(result_rows(record, review=True))
    letter = dead_letter_record()
    letter["document_id"] = document_id
    letter["original_key"] = document_id.encode()
    letter["sha256"] = sha256
    rows.extend(dead_letter_rows(letter))
    for table, table_rows in rows.tables.items():
        store.insert(table, table_rows, COLUMNS[table])


def _tables_naming(store: ClickHouseStore, needle: str) -> dict[str, int]:
    """Rows per table, in every MergeTree table, with any String column containing `needle`."""
    found = {}
    for table in merge_tree_tables(store):
        columns = [
            row[0]
            for row in store.query(
                f"SELECT name FROM system.columns WHERE database = '{DATABASE}' AND table = '{table}' "
                "AND type LIKE '%String%'"
            ).rows
        ]
        if not columns:
            continue
        where = " OR ".join(f"position(toString({c}), '{needle}') > 0" for c in columns)
        count = int(store.query(f"SELECT count() FROM {table} WHERE {where}").rows[0][0])
        if count:
            found[table] = count
    return found


def test_ttl_is_set_per_table_and_removed_for_zero_days(store: ClickHouseStore) -> None:
    settings = replace(
        Settings.from_env({}), clickhouse_ttl_days=30, clickhouse_ttl=(("pipeline_events", 7),)
    )
    applied = apply_ttl(store, settings)
    assert set(applied) >= {"documents", "fields", "pipeline_events", "documents_per_minute"}
    assert "erasures" not in applied  # the audit trail has no age column on purpose

    def ddl(table: str) -> str:
        return str(
            store.query(
                f"SELECT create_table_query FROM system.tables WHERE database = '{DATABASE}' AND name = '{table}'"
            ).rows[0][0]
        )

    assert "toIntervalDay(7)" in ddl("pipeline_events")
    assert "toIntervalDay(30)" in ddl("documents")
    apply_ttl(store, replace(settings, clickhouse_ttl=(("documents", 0),)))
    assert " TTL " not in ddl("documents")
    assert "toIntervalDay(30)" in ddl("pipeline_events")


def test_erasure_leaves_the_id_in_no_table_and_keeps_other_documents(
    store: ClickHouseStore,
) -> None:
    _store_document(store, "doc-forget-me", "a" * 64)
    _store_document(store, "doc-keep-me", "b" * 64)
    _store_document(store, "doc-same-bytes", "a" * 64)
    before = _tables_naming(store, "doc-forget-me")
    assert {"documents", "pipeline_events", "dead_letters", "review_queue"} <= set(before)
    answer = erase_in_store(store, ["doc-forget-me"])
    assert answer["blob_digests"] == {"doc-forget-me": "a" * 64}
    assert answer["digests_still_used"] == ["a" * 64]  # doc-same-bytes keeps the blob
    assert {t: n for t, n in answer["rows_by_table"].items() if n} == before
    assert _tables_naming(store, "doc-forget-me") == {}
    assert _tables_naming(store, "doc-keep-me")
    write_audit(
        store,
        [{"document_id": "doc-forget-me", "rows_deleted": sum(before.values()),
          "tables_touched": len(before), "blobs_deleted": 0, "tombstones": 0,
          "ledger_entries": 0}],
        actor="key-1234",
    )  # fmt: skip
    audit = store.query("SELECT document_sha256, actor, rows_deleted FROM erasures").rows
    assert audit == [(document_hash("doc-forget-me"), "key-1234", sum(before.values()))]
    assert _tables_naming(store, "doc-forget-me") == {}  # the audit row keeps only the hash
