"""HTTP service of the process that owns the store: queries, metrics, health.

- ``POST /query`` with SQL in the body returns ``{"columns": [...], "rows": [...]}``;
  statements run read-only.
- ``GET /metrics`` (Prometheus), ``/health``, ``/health/live``, ``/health/ready``
  (503 while the sink cannot insert, with how long and why).
Bound to loopback only. `/query` and `/admin/...` need an API key (query, admin
scope; `Authorization: Bearer`, `X-API-Key`, `X-ClickHouse-Key` or a Basic password),
`/metrics` too when DOCLANE_METRICS_AUTH is set; health stays open for probes.
Refusals are JSON: ``{"error": ..., "code": 401|403}``.

On the embedded store the port also speaks ClickHouse's HTTP interface,
read-only (`GET /?query=`, `POST /`, `GET /ping`; see `http_interface`), so
ClickHouse clients and dashboards reach a chDB path only the sink may open;
there the key may also come as `?password=`, and refusals are ClickHouse's.
"""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from doclane.connectors.clickhouse import http_interface as ch
from doclane.connectors.clickhouse.health import SinkHealth
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import StoreError
from doclane.security.keys import KeyChecker, Principal

MAX_QUERY_BYTES = 1024 * 1024


class StoreServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        store: ClickHouseStore,
        port: int,
        health: SinkHealth,
        keys: KeyChecker | None = None,
        *,
        metrics_auth: bool = False,
        host: str = "127.0.0.1",
    ) -> None:
        super().__init__((host, port), _Handler)
        self.store = store
        self.health = health
        self.keys = keys  # None: no key checks (a store served inside a test)
        self.metrics_auth = metrics_auth
        self.ready = False  # the store is open and the sink consumes
        # POST paths served besides /query, e.g. /admin/forget: path -> (scope, handler)
        self.actions: dict[str, tuple[str, Callable[[Principal, bytes], tuple[int, Any]]]] = {}


def presented_key(
    headers: Mapping[str, str], params: Mapping[str, str] | None = None
) -> str | None:
    """The key a request carries, in any of the ways HTTP and ClickHouse clients send one.

    `params` (the URL's) count only where ClickHouse clients put a password there.
    """
    auth = headers.get("Authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            return base64.b64decode(value.strip()).decode("utf-8").partition(":")[2] or None
        except (ValueError, UnicodeDecodeError):
            return None
    return (
        headers.get("X-API-Key")
        or headers.get("X-ClickHouse-Key")
        or (params or {}).get("password")
        or None
    )


class _Handler(BaseHTTPRequestHandler):
    server: StoreServer

    def _caller(self, scope: str) -> Principal | None:
        """The caller holding `scope`; else None, after answering 401 or 403."""
        keys = self.server.keys
        if keys is None:
            return Principal("unchecked", "unchecked", frozenset({"admin"}))
        principal = keys.principal_of(presented_key(self.headers))
        if principal is None:
            self._json(401, {"error": "a valid API key is required", "code": 401})
            return None
        if not principal.allows(scope):
            self._json(403, {"error": f"this API key lacks the {scope} scope", "code": 403})
            return None
        return principal

    def _clickhouse_caller(self, params: Mapping[str, str]) -> Principal | None:
        """`_caller("query")` for ClickHouse clients: refusals in ClickHouse's format."""
        keys = self.server.keys
        if keys is None:
            return Principal("unchecked", "unchecked", frozenset({"admin"}))
        presented = presented_key(self.headers, params)
        principal = keys.principal_of(presented)
        if principal is None and presented is None:
            self._clickhouse_failure(
                ch.ClickHouseFailure.of(ch.REQUIRED_PASSWORD, "a valid API key is required")
            )
        elif principal is None:
            self._clickhouse_failure(
                ch.ClickHouseFailure.of(ch.AUTHENTICATION_FAILED, "the API key is not valid")
            )
        elif not principal.allows("query"):
            self._clickhouse_failure(
                ch.ClickHouseFailure.of(ch.ACCESS_DENIED, "this API key lacks the query scope")
            )
        else:
            return principal
        return None

    def _clickhouse_path(self) -> tuple[str, dict[str, str]] | None:
        """(path, URL parameters) of a request for ClickHouse's interface, else None."""
        path, _, query_string = self.path.partition("?")
        if path not in ("/", "/ping") or not self.server.store.embedded:
            return None
        return path, {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}

    def _clickhouse(self, method: str, path: str, params: dict[str, str]) -> None:
        if path == "/ping" or (method == "GET" and "query" not in params):
            self._send(200, b"Ok.\n", "text/plain; charset=UTF-8")
            return
        if self._clickhouse_caller(params) is None:
            return
        request = self._clickhouse_query(method, params)
        if isinstance(request, ch.ClickHouseFailure):
            self._clickhouse_failure(request)
            return
        try:
            body = self.server.store.query_formatted(
                request.sql,
                default_format=request.default_format,
                database=request.database,
                settings=request.settings,
                parameters=request.parameters,
            )
        except StoreError as exc:
            self._clickhouse_failure(ch.engine_failure(exc.message))
            return
        result_format = request.result_format
        self._send(
            200,
            body,
            ch.content_type(result_format),
            {
                "X-ClickHouse-Format": result_format,
                "X-ClickHouse-Query-Id": request.query_id or str(uuid.uuid4()),
            },
        )

    def _clickhouse_query(
        self, method: str, params: dict[str, str]
    ) -> ch.ClickHouseQuery | ch.ClickHouseFailure:
        """The request's statement, once it is known to be one the read-only store may run."""
        body = self._request_body() if method == "POST" else b""
        if body is None:
            return ch.ClickHouseFailure.of(ch.QUERY_IS_TOO_LARGE, "the query is larger than 1 MiB")
        decoded = ch.decoded_body(body, self.headers.get("Content-Encoding", ""), MAX_QUERY_BYTES)
        if isinstance(decoded, ch.ClickHouseFailure):
            return decoded
        request = ch.read_query(method, params, self.headers, decoded)
        if isinstance(request, ch.ClickHouseFailure):
            return request
        refused = ch.refusal(request.sql)
        # A server parses before it checks readonly, but an INSERT's inline data is not SQL.
        readonly = refused is not None and refused.code == ch.READONLY
        if readonly and ch.statement_kind(request.sql) != "INSERT":
            refused = self._parse_failure(request) or refused
        return request if refused is None else refused

    def _request_body(self) -> bytes | None:
        """The body, sized or chunked (as clickhouse-connect streams inserts); None past the cap."""
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                return None
            return self.rfile.read(length) if length > 0 else b""
        chunks: list[bytes] = []
        size = 0
        while chunk_size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            size += chunk_size
            if size > MAX_QUERY_BYTES:
                return None
            chunks.append(self.rfile.read(chunk_size))
            self.rfile.readline()  # the CRLF after each chunk
        while self.rfile.readline().strip():  # trailers, up to the empty line
            pass
        return b"".join(chunks)

    def _parse_failure(self, request: ch.ClickHouseQuery) -> ch.ClickHouseFailure | None:
        """The engine's syntax error for a statement refused unread, as a server parses first."""
        try:
            self.server.store.query_formatted(
                f"EXPLAIN AST {request.sql}", default_format="TabSeparated"
            )
        except StoreError as exc:
            return ch.engine_failure(exc.message)
        return None

    def _clickhouse_failure(self, failure: ch.ClickHouseFailure) -> None:
        self._send(
            failure.status,
            failure.body(),
            "text/plain; charset=UTF-8",
            {"X-ClickHouse-Exception-Code": str(failure.code)},
        )

    def do_GET(self) -> None:
        if (clickhouse := self._clickhouse_path()) is not None:
            self._clickhouse("GET", *clickhouse)
        elif self.path == "/metrics":
            if self.server.metrics_auth and self._caller("query") is None:
                return
            self._send(200, generate_latest(), CONTENT_TYPE_LATEST)
        elif self.path == "/health/live":
            self._json(200, {"live": True})
        elif self.path in ("/health", "/health/ready"):
            sink = self.server.health.state()
            ready = self.server.ready and not sink.stalled
            self._json(
                200 if ready else 503,
                {
                    "ready": ready,
                    "store": self.server.store.dsn.split("://")[0],
                    "sink": sink.as_json(),
                },
            )
        else:
            self._json(404, {"error": f"no such path {self.path}"})

    def do_POST(self) -> None:
        if (clickhouse := self._clickhouse_path()) is not None:
            self._clickhouse("POST", *clickhouse)
            return
        if self.path in self.server.actions:
            self._action(*self.server.actions[self.path])
            return
        if self.path == "/query":
            self._json_query()
        else:
            self._json(404, {"error": f"no such path {self.path}"})

    def _json_query(self) -> None:
        """`POST /query`: SQL in the body, `{"columns": [...], "rows": [...]}` out."""
        if self._caller("query") is None:
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_QUERY_BYTES:
            self._json(400, {"error": "send the SQL statement as the request body"})
            return
        sql = self.rfile.read(length).decode("utf-8", "replace")
        if (refused := ch.refusal(sql)) is not None:  # chDB writes INTO OUTFILE even read-only
            self._json(400, {"error": refused.text})
            return
        try:
            result = self.server.store.query(sql, read_only=True)
        except StoreError as exc:
            self._json(400, {"error": exc.message})
            return
        self._json(200, {"columns": list(result.columns), "rows": result.rows})

    def _action(self, scope: str, handler: Callable[[Principal, bytes], tuple[int, Any]]) -> None:
        principal = self._caller(scope)
        if principal is None:
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            self._json(413, {"error": "request body too large"})
            return
        status, body = handler(principal, self.rfile.read(length) if length > 0 else b"")
        self._json(status, body)

    def _json(self, status: int, body: Any) -> None:
        self._send(status, orjson.dumps(body, default=str), "application/json")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return  # access logs would drown the JSON log


def serve_store(
    store: ClickHouseStore,
    port: int,
    health: SinkHealth,
    keys: KeyChecker | None = None,
    *,
    metrics_auth: bool = False,
    host: str = "127.0.0.1",
) -> StoreServer:
    server = StoreServer(store, port, health, keys, metrics_auth=metrics_auth, host=host)
    threading.Thread(target=server.serve_forever, name="store-http", daemon=True).start()
    return server
