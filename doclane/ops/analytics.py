"""Running SQL against the store from any process.

An embedded chDB path can be open in one process only, and while the
pipeline runs that process is the sink. So a query goes to the sink's HTTP
service when it answers, and opens the store directly only when no sink is
running (or when a ClickHouse server is configured, which any process may use).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from doclane.connectors.clickhouse.store import ClickHouseStore, QueryResult
from doclane.exceptions import StoreError
from doclane.settings import Settings


class QueryRunner(Protocol):
    def query(self, sql: str) -> QueryResult: ...

    def close(self) -> None: ...


class SinkQueryRunner:
    """Queries through the running sink's `POST /query`."""

    def __init__(self, port: int, timeout: float = 60.0, *, key: str | None = None) -> None:
        self.url = f"http://127.0.0.1:{port}/query"
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    @classmethod
    def for_settings(cls, settings: Settings, timeout: float = 60.0) -> SinkQueryRunner:
        """A runner presenting doclane's own key (the first configured, or the generated one)."""
        from doclane.security.keys import client_key

        return cls(settings.sink_port, timeout, key=client_key(settings))

    def query(self, sql: str) -> QueryResult:
        request = urllib.request.Request(  # noqa: S310 - loopback URL we build
            self.url, data=sql.encode("utf-8"), headers=self.headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = json.loads(exc.read() or b"{}").get("error", str(exc))
            raise StoreError(detail, reason_code="query_failed") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"the sink at {self.url} did not answer: {exc}") from exc
        return QueryResult(tuple(body["columns"]), [tuple(row) for row in body["rows"]])

    def close(self) -> None:
        return None


class DirectQueryRunner:
    def __init__(self, store: ClickHouseStore) -> None:
        self.store = store

    def query(self, sql: str) -> QueryResult:
        return self.store.query(sql, read_only=True)

    def close(self) -> None:
        self.store.close()


def sink_answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/health/live", timeout=timeout
        ) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def open_query_runner(settings: Settings) -> QueryRunner:
    if settings.uses_embedded_clickhouse and sink_answers(settings.sink_port):
        return SinkQueryRunner.for_settings(settings)
    try:
        store = ClickHouseStore(settings.clickhouse_dsn)
        store.apply_ddl()
    except StoreError as exc:
        if settings.uses_embedded_clickhouse:
            raise StoreError(
                f"{exc.message}. The embedded store is probably open in another process "
                f"(a sink whose query port is not {settings.sink_port}?)"
            ) from exc
        raise
    return DirectQueryRunner(store)
