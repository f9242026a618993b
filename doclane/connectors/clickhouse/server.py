"""HTTP service of the process that owns the store: queries, metrics, health.

- ``POST /query`` with SQL in the body returns ``{"columns": [...], "rows": [...]}``;
  statements run read-only.
- ``GET /metrics`` (Prometheus), ``/health``, ``/health/live``, ``/health/ready``
  (503 while the sink cannot insert, with how long and why).
Bound to loopback only.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from doclane.connectors.clickhouse.health import SinkHealth
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import StoreError

MAX_QUERY_BYTES = 1024 * 1024


class StoreServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: ClickHouseStore, port: int, health: SinkHealth) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.store = store
        self.health = health
        self.ready = False  # the store is open and the sink consumes


class _Handler(BaseHTTPRequestHandler):
    server: StoreServer

    def do_GET(self) -> None:
        if self.path == "/metrics":
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
        if self.path != "/query":
            self._json(404, {"error": f"no such path {self.path}"})
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


def serve_store(store: ClickHouseStore, port: int, health: SinkHealth) -> StoreServer:
    server = StoreServer(store, port, health)
    threading.Thread(target=server.serve_forever, name="store-http", daemon=True).start()
    return server
