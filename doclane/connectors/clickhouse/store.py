"""The ClickHouse store: connection, idempotent DDL, inserts and queries.

One object owns the connection; every call goes through one lock, because an
embedded chDB session serves one caller at a time and one process only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

from doclane.exceptions import StoreError

DATABASE = "doclane"
# Links to the repository's connectors/clickhouse: schema.sql and migrations/.
_SQL = resources.files("doclane.connectors.clickhouse") / "sql"


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def ddl_statements() -> list[tuple[str, str]]:
    """(file name, statement) for every migration statement, in file order."""
    directory = _SQL / "migrations"
    statements = []
    for entry in sorted(directory.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            statements += [(entry.name, s) for s in sql_statements(entry.read_text("utf-8"))]
    return statements


def schema_statements() -> list[str]:
    """The statements of `schema.sql`: the current tables, as the migrations leave them."""
    return sql_statements((_SQL / "schema.sql").read_text("utf-8"))


def sql_statements(text: str) -> list[str]:
    """The statements of a SQL file: split at `;` line ends, `--` comment lines dropped."""
    statements = []
    for chunk in text.split(";\n"):
        body = "\n".join(
            line for line in chunk.splitlines() if not line.strip().startswith("--")
        ).strip()
        if body:
            statements.append(body.removesuffix(";").strip())
    return statements


class ClickHouseStore:
    def __init__(self, dsn: str) -> None:
        import clickhouse_connect

        self.dsn = dsn
        self._lock = threading.Lock()
        try:
            bootstrap = clickhouse_connect.get_client(dsn=dsn)
            bootstrap.command(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
            if dsn.startswith("chdb://"):
                bootstrap.close()
            self._client = (
                clickhouse_connect.get_client(dsn=dsn, database=DATABASE)
                if dsn.startswith("chdb://")
                else bootstrap
            )
            if not dsn.startswith("chdb://"):
                self._client.database = DATABASE
        except Exception as exc:
            raise StoreError(f"cannot open ClickHouse at {_redact(dsn)}: {exc}") from exc

    @property
    def embedded(self) -> bool:
        return self.dsn.startswith("chdb://")

    def apply_ddl(self) -> int:
        count = 0
        for name, statement in ddl_statements():
            try:
                with self._lock:
                    self._client.command(statement)
            except Exception as exc:
                raise StoreError(f"DDL {name} failed: {exc}") from exc
            count += 1
        return count

    def insert(
        self,
        table: str,
        rows: list[list[Any]],
        columns: tuple[str, ...],
        *,
        token: str | None = None,
    ) -> None:
        if not rows:
            return
        settings = {"insert_deduplication_token": token} if token else None
        try:
            with self._lock:
                self._client.insert(table, rows, column_names=list(columns), settings=settings)
        except Exception as exc:
            raise StoreError(f"insert into {table} failed: {exc}") from exc

    def query(self, sql: str, *, read_only: bool = False) -> QueryResult:
        settings = {"readonly": 2} if read_only else None
        try:
            with self._lock:
                result = self._client.query(sql, settings=settings)
        except Exception as exc:
            raise StoreError(f"query failed: {exc}", reason_code="query_failed") from exc
        return QueryResult(tuple(result.column_names), [tuple(r) for r in result.result_rows])

    def close(self) -> None:
        with self._lock:
            self._client.close()


def _redact(dsn: str) -> str:
    if "@" in dsn and "://" in dsn:
        scheme, rest = dsn.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return dsn
