"""The sink's admin actions over its HTTP port: the store side of an erasure.

chDB is single-process and the sink owns it, so `doclane forget` (and the API's
forget route) hand the ClickHouse part to the sink: ``POST /admin/forget``
deletes the rows, ``POST /admin/erasures`` writes the audit rows. Both need a
key with the admin scope.
"""

from __future__ import annotations

from typing import Any

import orjson

from doclane.connectors.clickhouse.governance import (
    digests_still_used,
    erase_documents,
    record_erasure,
)
from doclane.connectors.clickhouse.server import StoreServer
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import StoreError
from doclane.security.keys import Principal


def erase_in_store(store: ClickHouseStore, document_ids: list[str]) -> dict[str, Any]:
    """Rows deleted per table, and each document's content hash with whether it is still used."""
    erasure = erase_documents(store, document_ids)
    digests = sorted(set(erasure.blob_digests.values()))
    return {
        "rows_by_table": erasure.rows_by_table,
        "blob_digests": erasure.blob_digests,
        "digests_still_used": sorted(digests_still_used(store, digests)),
    }


def write_audit(store: ClickHouseStore, entries: list[dict[str, Any]], actor: str) -> None:
    for entry in entries:
        record_erasure(
            store,
            str(entry["document_id"]),
            actor=actor,
            rows_deleted=int(entry["rows_deleted"]),
            tables_touched=int(entry["tables_touched"]),
            blobs_deleted=int(entry["blobs_deleted"]),
            tombstones=int(entry["tombstones"]),
            ledger_entries=int(entry["ledger_entries"]),
        )


def register_admin_actions(server: StoreServer, store: ClickHouseStore) -> None:
    def forget(_caller: Principal, body: bytes) -> tuple[int, Any]:
        try:
            ids = [str(i) for i in orjson.loads(body or b"{}").get("document_ids", [])]
            return 200, erase_in_store(store, ids)
        except orjson.JSONDecodeError:
            return 400, {"error": 'send {"document_ids": [...]}', "code": 400}
        except StoreError as exc:
            return 503, {"error": exc.message, "code": 503}

    def erasures(caller: Principal, body: bytes) -> tuple[int, Any]:
        try:
            request = orjson.loads(body or b"{}")
            # The audit names who asked: the API passes its caller on; else the key used here.
            write_audit(
                store, request.get("entries", []), str(request.get("actor") or caller.key_id)
            )
            return 200, {"written": len(request.get("entries", []))}
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return 400, {"error": "malformed erasure entries", "code": 400}
        except StoreError as exc:
            return 503, {"error": exc.message, "code": 503}

    server.actions["/admin/forget"] = ("admin", forget)
    server.actions["/admin/erasures"] = ("admin", erasures)
