"""Request limits the ASGI server does not enforce itself.

uvicorn's httptools parser accepts header blocks of any size; a request whose
headers exceed `MAX_HEADER_BYTES` is answered 431 before any route runs.
"""

from __future__ import annotations

from typing import Any

import orjson

MAX_HEADER_BYTES = 16 * 1024


class HeaderLimit:
    """Pure ASGI middleware: 431 for oversized header blocks (bodies are untouched)."""

    def __init__(self, app: Any, max_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
            size += len(scope.get("query_string", b"")) + len(scope.get("raw_path") or b"")
            if size > self.max_bytes:
                body = orjson.dumps(
                    {
                        "error": "headers_too_large",
                        "detail": f"the request's headers exceed {self.max_bytes} bytes",
                    }
                )
                await send(
                    {
                        "type": "http.response.start",
                        "status": 431,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
