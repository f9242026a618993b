"""The ClickHouse store: connection, idempotent DDL, inserts and queries.

One object owns the connection; every call goes through one lock, because an
embedded chDB session serves one caller at a time and one process only.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from doclane.exceptions import StoreError

DATABASE = "doclane"
_SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
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
    """The sink's connection, and a separate read-only one for the queries people send.

    Queries never run on the writing session: a refused statement (DROP,
    OPTIMIZE, ALTER ... DELETE) must not leave the sink's session read-only,
    and settings a query changes stay on the reader. Each has its own lock; one
    process holds the embedded engine, which serves both handles at once.
    """

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._lock = threading.Lock()
        self._reader_lock = threading.Lock()
        self._reader: Any = None
        self._session_lock = threading.Lock()
        try:
            self._client = _open_client(dsn)
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

    def command(self, statement: str) -> None:
        """A statement on the writing session (DDL, ALTER ... DELETE)."""
        try:
            with self._lock:
                self._client.command(statement)
        except Exception as exc:
            raise StoreError(f"statement failed: {exc}", reason_code="query_failed") from exc

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
        """Run `sql`; with `read_only` on the reader session, where writes are refused."""
        try:
            if read_only:
                with self._reader_lock:
                    result = self._read_client().query(sql)
            else:
                with self._lock:
                    result = self._client.query(sql)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"query failed: {exc}", reason_code="query_failed") from exc
        return QueryResult(tuple(result.column_names), [tuple(r) for r in result.result_rows])

    def query_formatted(
        self,
        sql: str,
        *,
        default_format: str,
        database: str | None = None,
        settings: Mapping[str, str] | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> bytes:
        """The engine's own answer to `sql`, in its FORMAT clause's format or `default_format`.

        Embedded store only. Each call is a fresh session of the engine: the
        `settings` are applied, then readonly=1 (no writes, no settings changes,
        no table functions such as file() or url()), then `database` is used.
        """
        import chdb

        if not self.embedded:
            raise StoreError("formatted queries are served for the embedded store only")
        if bad := [name for name in settings or {} if not _SETTING_NAME.fullmatch(name)]:
            raise StoreError(f"not a setting name: {bad[0]!r}", reason_code="query_failed")
        try:
            with self._session_lock:
                session = chdb.connect(_engine_location(self._client))
                try:
                    for name, value in (settings or {}).items():
                        session.query(f"SET {name} = {_string_literal(value)}", "TabSeparated")
                    session.query("SET readonly = 1", "TabSeparated")
                    session.query(f"USE {_identifier(database or DATABASE)}", "TabSeparated")
                    result = session.query(sql, default_format, params=dict(parameters or {}))
                finally:
                    session.close()
        except Exception as exc:
            raise StoreError(str(exc), reason_code="query_failed") from exc
        return bytes(result.bytes() or b"")

    def _read_client(self) -> Any:
        if self._reader is None:
            try:
                # Writes are refused either way. readonly=2 (a server): settings may change,
                # except readonly itself. readonly=1 (chDB): chDB runs as an all-powerful
                # user, and only readonly=1 stops file() and url() reading the sink's files
                # (its API keys among them) or reaching other hosts.
                readonly = 1 if self.embedded else 2
                self._reader = _open_client(self.dsn, settings={"readonly": readonly})
            except Exception as exc:
                raise StoreError(
                    f"cannot open a read-only session on {_redact(self.dsn)}: {exc}",
                    reason_code="query_failed",
                ) from exc
        return self._reader

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        with self._lock:
            self._client.close()


def _open_client(dsn: str, settings: dict[str, Any] | None = None) -> Any:
    """A client on the `doclane` database, which is created if it does not exist."""
    import clickhouse_connect

    if dsn.startswith("chdb://"):
        bootstrap = clickhouse_connect.get_client(dsn=dsn)
        bootstrap.command(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
        bootstrap.close()
        return clickhouse_connect.get_client(dsn=dsn, database=DATABASE, settings=settings)
    client = clickhouse_connect.get_client(dsn=dsn, settings=settings)
    if not (settings or {}).get("readonly"):
        client.command(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
    client.database = DATABASE
    return client


def _engine_location(client: Any) -> str:
    """The connection string chDB knows the client's engine by (it compares them literally)."""
    path = str(client.path)
    if path.startswith((":memory:", "file:")):
        return path
    return os.path.realpath(path)


def _string_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _identifier(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _redact(dsn: str) -> str:
    if "@" in dsn and "://" in dsn:
        scheme, rest = dsn.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return dsn
