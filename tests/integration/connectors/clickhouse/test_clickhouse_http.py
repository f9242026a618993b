"""ClickHouse's own clients against the sink's query port on a real embedded store (chDB).

The query server runs as the sink starts it, on a temporary on-disk store with
the doclane schema and one stored document; clickhouse-connect and plain HTTP
(as curl sends it) query it, and writes, file reads, bad SQL and bad keys are
refused the way a read-only ClickHouse server refuses them.
"""

from __future__ import annotations

import base64
import csv
import importlib.util
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import clickhouse_connect
import pytest
from clickhouse_connect.driver.exceptions import DatabaseError

from doclane.connectors.clickhouse.health import SinkHealth
from doclane.connectors.clickhouse.rows import COLUMNS, result_rows
from doclane.connectors.clickhouse.server import StoreServer, serve_store
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.security.keys import KeyChecker
from doclane.settings import Secret
from tests.records import result_record

KEY = "query-key-" + "q" * 24
SUBMIT_ONLY_KEY = "submit-key-" + "s" * 24


@dataclass
class _Port:
    server: StoreServer
    store: ClickHouseStore

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def get(self, params: dict[str, str], headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        url = f"http://127.0.0.1:{self.port}/?{urllib.parse.urlencode(params)}"
        return _exchange(urllib.request.Request(url, headers=headers or {}))

    def post(self, body: str, params: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        url = f"http://127.0.0.1:{self.port}/?{urllib.parse.urlencode(params or {})}"
        return _exchange(
            urllib.request.Request(
                url, data=body.encode(), headers={"X-ClickHouse-Key": KEY}, method="POST"
            )
        )


def _exchange(request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Port]:
    path: Path = tmp_path_factory.mktemp("chdb-http")
    store = ClickHouseStore(f"chdb://{path}")
    store.apply_ddl()
    record = result_record()
    record["document_id"] = "doc-http-1"
    for table, rows in result_rows(record).tables.items():
        store.insert(table, rows, COLUMNS[table], token=f"http-1:{table}")
    keys = KeyChecker((Secret(KEY),), frozenset({"query"}), None)
    server = serve_store(store, 0, SinkHealth(), keys)  # port 0: a free one
    server.ready = True
    yield _Port(server, store)
    server.shutdown()
    server.server_close()
    store.close()


def test_clickhouse_connect_queries_the_embedded_store(served: _Port) -> None:
    client = clickhouse_connect.get_client(
        host="127.0.0.1", port=served.port, username="default", password=KEY
    )
    try:
        assert client.server_version  # the version check at connect went through
        result = client.query(
            "SELECT document_id, doc_type, invoice_number FROM documents FINAL "
            "WHERE document_id = {id:String}",
            parameters={"id": "doc-http-1"},
        )
        assert result.column_names == ("document_id", "doc_type", "invoice_number")
        assert result.result_rows == [("doc-http-1", "invoice", "INV-7")]
        assert client.command("SELECT count() FROM fields WHERE document_id = 'doc-http-1'") == 4
        every_column = "SELECT * FROM documents FINAL WHERE document_id = 'doc-http-1'"
        direct = served.store.query(every_column, read_only=True)
        through_the_port = client.query(every_column)
        assert through_the_port.column_names == direct.columns
        assert through_the_port.result_rows == direct.rows  # every type of the table, decoded
        assert "documents" in [row[0] for row in client.query("SHOW TABLES").result_rows]
        with pytest.raises(DatabaseError) as refused:
            client.command("INSERT INTO documents (document_id) VALUES ('x')")
        assert refused.value.code == 164
        with pytest.raises(DatabaseError) as refused:
            client.insert("pipeline_events", [["doc-x"]], column_names=["document_id"])
        assert refused.value.code == 164
        if importlib.util.find_spec("pandas") is not None:
            frame = client.query_df("SELECT number FROM numbers(3)")
            assert list(frame["number"]) == [0, 1, 2]
    finally:
        client.close()


def test_get_with_a_format_clause_answers_in_that_format(served: _Port) -> None:
    sql = "SELECT document_id, total FROM documents FINAL WHERE document_id = 'doc-http-1'"
    status, headers, body = served.get(
        {"query": f"{sql} FORMAT JSONEachRow"}, {"X-ClickHouse-Key": KEY}
    )
    assert status == 200
    assert headers["X-ClickHouse-Format"] == "JSONEachRow"
    assert [json.loads(line) for line in body.splitlines()] == [
        {"document_id": "doc-http-1", "total": 1234.5}
    ]
    status, headers, body = served.get({"query": f"{sql} FORMAT CSVWithNames", "password": KEY})
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [
        ["document_id", "total"],
        ["doc-http-1", "1234.5"],
    ]
    status, headers, body = served.get({"query": sql, "password": KEY})
    assert status == 200
    assert headers["X-ClickHouse-Format"] == "TabSeparated"
    assert body == b"doc-http-1\t1234.5\n"
    status, _, body = served.get({"query": sql, "default_format": "JSONCompact", "password": KEY})
    assert json.loads(body)["data"] == [["doc-http-1", 1234.5]]


def test_post_body_settings_parameters_and_database(served: _Port) -> None:
    status, _, body = served.post(
        "SELECT currentDatabase(), getSetting('max_threads'), {n:UInt8} + 1 FORMAT TSV",
        {"max_threads": "3", "param_n": "41"},
    )
    assert (status, body) == (200, b"doclane\t3\t42\n")
    status, _, body = served.post("1 FORMAT TSV", {"query": "SELECT currentDatabase(),"})
    assert (status, body) == (200, b"doclane\t1\n")
    status, _, body = served.post("SELECT currentDatabase()", {"database": "system"})
    assert (status, body) == (200, b"system\n")
    status, _, body = _exchange(urllib.request.Request(f"http://127.0.0.1:{served.port}/ping"))
    assert (status, body) == (200, b"Ok.\n")


def test_writes_and_file_reads_are_refused_as_a_readonly_server_refuses(
    served: _Port, tmp_path: Path
) -> None:
    for sql in (
        "INSERT INTO documents (document_id) VALUES ('x')",
        "DROP TABLE documents",
        "SELECT 1; DROP TABLE documents",
    ):
        status, headers, body = served.post(sql)
        assert status >= 400, sql
        assert body.startswith(b"Code: " + headers["X-ClickHouse-Exception-Code"].encode())
    status, headers, body = served.post("ALTER TABLE documents DELETE WHERE 1")
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (500, "164")
    assert body.rstrip().endswith(b"(READONLY)")
    status, headers, _ = served.post("SELECT * FROM file('/etc/hostname', 'LineAsString')")
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (500, "164")  # by the engine
    outfile = tmp_path / "never-written"
    status, headers, _ = served.post(f"SELECT 1 INTO OUTFILE '{outfile}'")
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (500, "358")
    assert not outfile.exists()
    assert served.store.query("SELECT count() FROM documents").rows[0][0] >= 1


def test_engine_errors_carry_their_own_code(served: _Port) -> None:
    status, headers, body = served.post("SELEC 1")
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (400, "62")
    assert body.startswith(b"Code: 62. DB::Exception: Syntax error")
    status, headers, _ = served.post("SELECT * FROM no_such_table")
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (404, "60")
    client = clickhouse_connect.get_client(host="127.0.0.1", port=served.port, password=KEY)
    try:
        with pytest.raises(DatabaseError) as failed:
            client.query("SELEC 1")
        assert failed.value.code == 62
    finally:
        client.close()


def test_keys_are_checked_in_clickhouse_style(served: _Port) -> None:
    sql = {"query": "SELECT 1"}
    status, headers, body = served.get(sql)
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (401, "194")
    assert b"(REQUIRED_PASSWORD)" in body
    status, headers, _ = served.get({**sql, "password": "not-the-key"})
    assert (status, headers["X-ClickHouse-Exception-Code"]) == (403, "516")
    basic = base64.b64encode(f"default:{KEY}".encode()).decode()
    assert served.get(sql, {"Authorization": f"Basic {basic}"})[:3:2] == (200, b"1\n")
    with pytest.raises(DatabaseError) as refused:
        clickhouse_connect.get_client(host="127.0.0.1", port=served.port, password="wrong")
    assert refused.value.code == 516


def test_a_key_without_the_query_scope_is_denied(served: _Port) -> None:
    keys = KeyChecker((Secret(SUBMIT_ONLY_KEY),), frozenset({"submit"}), None)
    server = serve_store(served.store, 0, SinkHealth(), keys)
    try:
        port = _Port(server, served.store)
        status, headers, _ = port.get({"query": "SELECT 1"}, {"X-ClickHouse-Key": SUBMIT_ONLY_KEY})
        assert (status, headers["X-ClickHouse-Exception-Code"]) == (403, "497")
    finally:
        server.shutdown()
        server.server_close()


def _json_query(served: _Port, sql: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{served.port}/query",
        data=sql.encode(),
        headers={"Authorization": f"Bearer {KEY}"},
        method="POST",
    )
    status, _, body = _exchange(request)
    return status, json.loads(body)


def test_the_json_query_endpoint_still_answers(served: _Port) -> None:
    sql = "SELECT document_id FROM documents FINAL WHERE document_id = 'doc-http-1'"
    assert _json_query(served, sql) == (
        200,
        {"columns": ["document_id"], "rows": [["doc-http-1"]]},
    )


def test_the_json_query_endpoint_reads_no_files_and_writes_none(
    served: _Port, tmp_path: Path
) -> None:
    status, body = _json_query(served, "SELECT * FROM file('/etc/hostname', 'LineAsString')")
    assert status == 400
    assert "READONLY" in str(body["error"])
    outfile = tmp_path / "never-written"
    status, body = _json_query(served, f"SELECT 1 INTO OUTFILE '{outfile}'")
    assert status == 400
    assert "INTO_OUTFILE_NOT_ALLOWED" in str(body["error"])
    assert not outfile.exists()


class _ServerStore:
    """What the query port sees of a store on a ClickHouse server (CLICKHOUSE_URL)."""

    dsn = "http://clickhouse:8123/doclane"
    embedded = False


def test_with_a_clickhouse_server_nothing_is_proxied() -> None:
    server = serve_store(_ServerStore(), 0, SinkHealth(), None)  # type: ignore[arg-type]
    try:
        port = _Port(server, server.store)
        for path in ("/?query=SELECT+1", "/ping"):
            status, _, body = _exchange(
                urllib.request.Request(f"http://127.0.0.1:{port.port}{path}")
            )
            assert status == 404
            assert json.loads(body) == {"error": f"no such path {path}"}
        status, _, body = port.post("SELECT 1")
        assert status == 404
    finally:
        server.shutdown()
        server.server_close()
