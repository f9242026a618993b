"""A document's status, result and stage events, read from ClickHouse.

With the embedded store, ClickHouse belongs to the sink process, so queries
go over the sink's query port (`SinkQueryRunner`); the API never opens chDB.
With a ClickHouse server (CLICKHOUSE_URL) the API queries it directly.

A document is done once its `pipeline_events` rows are in: the sink inserts
a batch table by table, documents, fields, line items and issues before the
events, so a document with events has its whole result stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from doclane.connectors.clickhouse.store import QueryResult
from doclane.ops.analytics import DirectQueryRunner, QueryRunner, SinkQueryRunner
from doclane.settings import Settings

# Ids are ours (uuid hex) or a producer's; only these characters can reach a SQL literal.
_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

_STAGE_ORDER = ("submitted", "classify", "extract", "validate", "enrich", "dead_letter")


def valid_document_id(document_id: str) -> bool:
    return _DOCUMENT_ID.match(document_id) is not None


def open_store_runner(settings: Settings, timeout: float = 10.0) -> QueryRunner:
    """The sink's query port for the embedded store; the server itself otherwise."""
    if settings.uses_embedded_clickhouse:
        return SinkQueryRunner.for_settings(settings, timeout=timeout)
    from doclane.connectors.clickhouse.store import ClickHouseStore

    return DirectQueryRunner(ClickHouseStore(settings.clickhouse_dsn))


def jsonable(value: Any) -> Any:
    """ClickHouse values as JSON: decimals as strings (exact), dates ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def as_dicts(result: QueryResult) -> list[dict[str, Any]]:
    return [
        {column: jsonable(value) for column, value in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def order_stages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stage events in pipeline order (a retried stage keeps its time order)."""

    def rank(event: dict[str, Any]) -> tuple[int, str]:
        stage = event["stage"]
        position = _STAGE_ORDER.index(stage) if stage in _STAGE_ORDER else len(_STAGE_ORDER)
        return position, str(event.get("started_at", ""))

    return sorted(events, key=rank)


class DocumentLookup:
    """The queries behind GET /v1/documents/{id} and its event stream (blocking; run in a thread)."""

    def __init__(self, runner: QueryRunner) -> None:
        self.runner = runner

    def landed(self, document_id: str) -> bool:
        """Whether the documents table has the id: a primary-key read, cheap to poll."""
        _check(document_id)
        return bool(
            self.runner.query(
                f"SELECT count() FROM documents WHERE document_id = '{document_id}'"  # noqa: S608 - id checked by _check
            ).rows[0][0]
        )

    def events_when_landed(self, document_id: str) -> list[dict[str, Any]]:
        """The stage rows once the document is stored, else [] without reading pipeline_events."""
        return self.events(document_id) if self.landed(document_id) else []

    def events(self, document_id: str) -> list[dict[str, Any]]:
        _check(document_id)
        return order_stages(
            as_dicts(
                self.runner.query(
                    "SELECT stage, started_at, finished_at, duration_ms, worker, status "  # noqa: S608 - id checked by _check
                    f"FROM pipeline_events FINAL WHERE document_id = '{document_id}'"
                )
            )
        )

    def result(self, document_id: str) -> dict[str, Any] | None:
        """The stored result, or None while the document is not (wholly) in ClickHouse."""
        events = self.events_when_landed(document_id)
        if not events:
            return None
        where = f"WHERE document_id = '{document_id}'"
        (document,) = as_dicts(self.runner.query(f"SELECT * FROM documents FINAL {where}")) or [{}]  # noqa: S608
        document.pop("stored_at", None)
        fields = as_dicts(
            self.runner.query(
                "SELECT name, value, normalized_value, confidence, source, page, line, x0, y0, x1, y1 "  # noqa: S608
                f"FROM fields FINAL {where} ORDER BY ordinal"
            )
        )
        items = as_dicts(
            self.runner.query(
                "SELECT position, description, quantity, unit_price, amount, confidence, page, "  # noqa: S608
                f"line, x0, y0, x1, y1 FROM line_items FINAL {where} ORDER BY position"
            )
        )
        issues = as_dicts(
            self.runner.query(
                f"SELECT code, severity, message, field FROM validation_issues FINAL {where} ORDER BY code, field"  # noqa: S608
            )
        )
        (lineage,) = as_dicts(
            self.runner.query(
                f"SELECT parent_id, path, child_count FROM document_lineage FINAL {where}"  # noqa: S608
            )
        ) or [{}]
        result: dict[str, Any] = {
            **document,
            "parent_id": lineage.get("parent_id") or None,
            "path": lineage.get("path") or None,
            "child_count": lineage.get("child_count"),
            "fields": fields,
            "line_items": items,
            "issues": issues,
            "stages": events,
        }
        if document.get("status") == "failed":
            result["dead_letters"] = as_dicts(
                self.runner.query(
                    f"SELECT stage, reason_code, message, attempt, failed_at FROM dead_letters FINAL {where} ORDER BY failed_at"  # noqa: S608
                )
            )
        return result


def _check(document_id: str) -> None:
    if not valid_document_id(document_id):
        raise ValueError(f"not a document id: {document_id[:40]!r}")
