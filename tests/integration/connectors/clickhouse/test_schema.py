"""`schema.sql` is exactly what the migrations build, on the real embedded engine.

Each build runs in its own process: one process can hold one chDB store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from doclane.connectors.clickhouse.rows import COLUMNS

_DESCRIBE = """
import json, sys
from doclane.connectors.clickhouse.store import ClickHouseStore, ddl_statements, schema_statements
store = ClickHouseStore("chdb://" + sys.argv[1])
statements = schema_statements() if sys.argv[2] == "schema" else [s for _, s in ddl_statements()]
for statement in statements:
    store.query(statement)
tables = store.query(
    "SELECT name, engine, engine_full, sorting_key, partition_key, as_select "
    "FROM system.tables WHERE database = 'doclane' ORDER BY name"
).rows
columns = store.query(
    "SELECT table, position, name, type, default_kind, default_expression "
    "FROM system.columns WHERE database = 'doclane' ORDER BY table, position"
).rows
indices = store.query(
    "SELECT table, name, type_full, expr, granularity "
    "FROM system.data_skipping_indices WHERE database = 'doclane' ORDER BY table, name"
).rows
print(json.dumps({"tables": tables, "columns": columns, "indices": indices}, default=str))
"""


def _built_by(how: str, path: Path) -> dict[str, list[list[object]]]:
    done = subprocess.run(
        [sys.executable, "-c", _DESCRIBE, str(path), how],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_schema_file_equals_the_migrations(tmp_path: Path) -> None:
    migrated = _built_by("migrations", tmp_path / "migrated")
    described = _built_by("schema", tmp_path / "described")
    assert [t[0] for t in described["tables"]] == [t[0] for t in migrated["tables"]]
    assert described["tables"] == migrated["tables"]
    assert described["columns"] == migrated["columns"]
    assert described["indices"] == migrated["indices"]


def test_rows_fill_the_columns_the_schema_declares(tmp_path: Path) -> None:
    columns = _built_by("schema", tmp_path / "store")["columns"]
    declared: dict[str, list[str]] = {}
    for table, _position, name, _type, default_kind, _default in columns:
        if default_kind == "":  # columns with a DEFAULT are filled by ClickHouse
            declared.setdefault(str(table), []).append(str(name))
    for table, names in COLUMNS.items():
        assert sorted(names) == sorted(declared[table]), table
