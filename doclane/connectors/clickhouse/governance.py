"""Retention (TTL per table) and erasure (every row of a document id), in the store.

Tables are found in `system.tables`, never from a hand-kept list, so a table a
later migration adds is covered: the TTL goes on every MergeTree table of the
database, the erasure into every one with a `document_id` or `parent_id` column.
Both run in the process that owns the store (the sink, for embedded chDB).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from doclane.connectors.clickhouse.store import DATABASE, ClickHouseStore
from doclane.settings import Settings

ID_COLUMNS = ("document_id", "parent_id")
AUDIT_TABLE = "erasures"  # keeps no document id, only its hash; has its own retention
_TIME_COLUMNS = ("stored_at", "minute")  # the column a row's age is measured on


@dataclass
class StoreErasure:
    rows_by_table: dict[str, int] = field(default_factory=dict)
    blob_digests: dict[str, str] = field(default_factory=dict)  # document id -> content sha256

    @property
    def rows_deleted(self) -> int:
        return sum(self.rows_by_table.values())


def merge_tree_tables(store: ClickHouseStore) -> list[str]:
    return [
        row[0]
        for row in store.query(
            f"SELECT name FROM system.tables WHERE database = '{DATABASE}' "  # noqa: S608 - constant
            "AND engine LIKE '%MergeTree' ORDER BY name"
        ).rows
    ]


def _columns(store: ClickHouseStore) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, name in store.query(
        f"SELECT table, name FROM system.columns WHERE database = '{DATABASE}' ORDER BY table, position"  # noqa: S608
    ).rows:
        columns.setdefault(table, []).append(name)
    return columns


def apply_ttl(store: ClickHouseStore, settings: Settings) -> dict[str, int]:
    """Set (or remove, for 0 days) each table's TTL; returns table -> days applied."""
    columns = _columns(store)
    applied = {}
    for table in merge_tree_tables(store):
        age = next((c for c in _TIME_COLUMNS if c in columns.get(table, [])), None)
        if age is None:
            continue
        days = settings.ttl_days(table)
        current = store.query(
            f"SELECT create_table_query FROM system.tables WHERE database = '{DATABASE}' AND name = '{table}'"  # noqa: S608 - names from system.tables
        ).rows[0][0]
        if days:
            store.command(f"ALTER TABLE {table} MODIFY TTL toDateTime({age}) + INTERVAL {days} DAY")
        elif " TTL " in current:
            store.command(f"ALTER TABLE {table} REMOVE TTL")
        applied[table] = days
    return applied


def _literal_list(document_ids: list[str]) -> str:
    return ", ".join("'" + i.replace("\\", "\\\\").replace("'", "\\'") + "'" for i in document_ids)


def erase_documents(store: ClickHouseStore, document_ids: list[str]) -> StoreErasure:
    """Delete every row naming the ids (mutations run synchronously); report what went."""
    erasure = StoreErasure()
    if not document_ids:
        return erasure
    ids = _literal_list(document_ids)
    columns = _columns(store)
    if "sha256" in columns.get("documents", []):
        erasure.blob_digests = dict(
            store.query(
                f"SELECT document_id, any(sha256) FROM documents WHERE document_id IN ({ids}) GROUP BY document_id"  # noqa: S608 - ids quoted
            ).rows
        )
    for table in merge_tree_tables(store):
        held = [c for c in ID_COLUMNS if c in columns.get(table, [])]
        if not held or table == AUDIT_TABLE:
            continue
        where = " OR ".join(f"{c} IN ({ids})" for c in held)
        count = int(store.query(f"SELECT count() FROM {table} WHERE {where}").rows[0][0])  # noqa: S608
        if count:
            store.command(f"ALTER TABLE {table} DELETE WHERE {where} SETTINGS mutations_sync = 2")
        erasure.rows_by_table[table] = count
    return erasure


def digests_still_used(store: ClickHouseStore, digests: list[str]) -> set[str]:
    """Content hashes that other (not erased) documents still reference."""
    if not digests:
        return set()
    rows = store.query(
        f"SELECT DISTINCT sha256 FROM documents WHERE sha256 IN ({_literal_list(digests)})"  # noqa: S608
    ).rows
    return {row[0] for row in rows}


def document_hash(document_id: str) -> str:
    return hashlib.sha256(document_id.encode()).hexdigest()


def record_erasure(
    store: ClickHouseStore,
    document_id: str,
    *,
    actor: str,
    rows_deleted: int,
    tables_touched: int,
    blobs_deleted: int,
    tombstones: int,
    ledger_entries: int,
) -> None:
    store.insert(
        AUDIT_TABLE,
        [[document_hash(document_id), actor, rows_deleted, tables_touched, blobs_deleted,
          tombstones, ledger_entries]],
        ("document_sha256", "actor", "rows_deleted", "tables_touched", "blobs_deleted",
         "tombstones", "ledger_entries"),
    )  # fmt: skip
