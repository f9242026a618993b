"""`/docs`: the API reference rendered from the OpenAPI document, as plain HTML.

FastAPI's Swagger UI loads its script and style sheet from a CDN, which an
offline machine cannot reach; this page needs nothing from outside. Swagger
UI stays at `/docs/swagger` for those who have the network.
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}
h2{margin-top:2rem;font-family:monospace}code,pre{background:#f4f4f4;padding:0 .2rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}"""


def render_reference(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    body = [
        f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))}</h1>",
        f"<p>{escape(info.get('summary', ''))}</p>",
        "<p>Machine-readable: <a href=/openapi.json>/openapi.json</a>; interactive (needs the "
        "network for its script): <a href=/docs/swagger>/docs/swagger</a>.</p>",
        "<p>Authentication: <code>Authorization: Bearer &lt;key&gt;</code> or "
        "<code>X-API-Key: &lt;key&gt;</code> on every <code>/v1</code> route.</p>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            body.append(_operation(method, path, operation))
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(info.get('title', 'API'))} reference</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def _operation(method: str, path: str, operation: dict[str, Any]) -> str:
    parts = [
        f"<h2>{escape(method.upper())} {escape(path)}</h2>",
        f"<p><b>{escape(operation.get('summary', ''))}</b></p>",
        f"<p>{escape(operation.get('description', ''))}</p>",
    ]
    parameters = operation.get("parameters", [])
    if parameters:
        rows = "".join(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
            f"<td>{'required' if p.get('required') else ''}</td>"
            f"<td>{escape(p.get('description', '') or p.get('schema', {}).get('description', ''))}</td></tr>"
            for p in parameters
        )
        parts.append(
            f"<table><tr><th>parameter</th><th>in</th><th></th><th></th></tr>{rows}</table>"
        )
    request = operation.get("requestBody")
    if request:
        kinds = ", ".join(f"<code>{escape(kind)}</code>" for kind in request.get("content", {}))
        parts.append(f"<p>Body: {kinds}. {escape(request.get('description', ''))}</p>")
    responses = "".join(
        f"<li><code>{escape(code)}</code> {escape(answer.get('description', ''))}</li>"
        for code, answer in operation.get("responses", {}).items()
    )
    parts.append(f"<ul>{responses}</ul>")
    return "".join(parts)
