"""HTTP service of the process that owns the store: queries, metrics, health.

- ``POST /query`` with SQL in the body returns ``{"columns": [...], "rows": [...]}``;
  statements run read-only.
- ``GET /metrics`` (Prometheus), ``/health``, ``/health/live``, ``/health/ready``
  (503 while the sink cannot insert, with how long and why).
Bound to loopback only. `/query` and `/admin/...` need an API key (query, admin
scope; `Authorization: Bearer`, `X-API-Key`, `X-ClickHouse-Key` or a Basic password),
`/metrics` too when DOCLANE_METRICS_AUTH is set; health stays open for probes.
Refusals are JSON: ``{"error": ..., "code": 401|403}``.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

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


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request carries, in any of the ways HTTP and ClickHouse clients send one."""
    auth = headers.get("Authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            return base64.b64decode(value.strip()).decode("utf-8").partition(":")[2] or None
        except (ValueError, UnicodeDecodeError):
            return None
    return headers.get("X-API-Key") or headers.get("X-ClickHouse-Key") or None


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

    def do_GET(self) -> None:
        if self.path == "/metrics":
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
        if self.path in self.server.actions:
            self._action(*self.server.actions[self.path])
            return
        if self.path != "/query":
            self._json(404, {"error": f"no such path {self.path}"})
            return
        if self._caller("query") is None:
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_QUERY_BYTES:
            self._json(400, {"error": "send the SQL statement as the request body"})
            return
        sql = self.rfile.read(length).decode("utf-8", "replace")
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

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
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
