"""The review queue as a web page: server-rendered HTML, no script, nothing loaded from outside.

A browser cannot send an Authorization header by itself, so the page takes
the API key once in a form and keeps it in an HttpOnly, SameSite=Strict
cookie; the JSON routes keep taking headers only.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from doclane.api.auth import ApiKeys, ReviewCaller
from doclane.api.errors import StoreUnavailableError, UnknownDocumentError
from doclane.api.lookup import valid_document_id
from doclane.api.originals import original_bytes
from doclane.api.review import ReviewFilters, ReviewQueue, next_in_queue, review_step
from doclane.core.fields import FieldName
from doclane.exceptions import StoreError
from doclane.security.keys import Principal
from doclane.settings import TAXONOMY

COOKIE = "doclane_api_key"

router = APIRouter(tags=["review"])


def _filters(
    *,
    reason: Annotated[str | None, Query(max_length=200)] = None,
    doc_type: Annotated[str | None, Query()] = None,
    vendor: Annotated[str | None, Query(max_length=200)] = None,
    min_age_hours: Annotated[float | None, Query(ge=0)] = None,
    max_age_hours: Annotated[float | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ReviewFilters:
    return ReviewFilters(
        reason=reason or None,
        doc_type=doc_type if doc_type in TAXONOMY else None,
        vendor=vendor or None,
        min_age_hours=min_age_hours,
        max_age_hours=max_age_hours,
        limit=limit,
    )


async def _read(request: Request, filters: ReviewFilters) -> dict[str, Any]:
    queue: ReviewQueue = request.app.state.services.review
    try:
        return await asyncio.to_thread(queue.read, filters)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc


@router.get(
    "/v1/review",
    summary="The review queue, filtered, with counts by type and reason",
    responses={401: {"description": "no valid API key"}, 403: {"description": "no review scope"}},
)
async def review_json(
    request: Request, filters: Annotated[ReviewFilters, Depends(_filters)], _caller: ReviewCaller
) -> dict[str, Any]:
    return await _read(request, filters)


@router.get("/review", include_in_schema=False, response_class=HTMLResponse)
async def review_page(
    request: Request, filters: Annotated[ReviewFilters, Depends(_filters)]
) -> HTMLResponse:
    if (refused := _signed_out(request)) is not None:
        return refused
    queue = await _read(request, filters)
    return HTMLResponse(_page("Review queue", _queue_html(queue, filters)))


@router.get("/review/{document_id}", include_in_schema=False, response_class=HTMLResponse)
async def review_document_page(request: Request, document_id: str) -> HTMLResponse:
    """One document as a clerk reads it: type, reasons, fields with confidence, findings, stages."""
    if (refused := _signed_out(request)) is not None:
        return refused
    lookup = request.app.state.services.lookup
    if not valid_document_id(document_id):
        raise UnknownDocumentError(f"no document {document_id[:40]!r}")
    try:
        result = await asyncio.to_thread(lookup.result, document_id)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc
    if result is None:  # still on its way: the page looks again in a moment
        return HTMLResponse(
            _page(
                "Processing", f"<p>{escape(document_id)} is not stored yet; this page reloads.</p>"
            ).replace("<head>", "<head><meta http-equiv=refresh content=1>"),
            status_code=202,
        )
    title = result.get("filename") or document_id
    services = request.app.state.services
    kept = await asyncio.to_thread(original_bytes, services, result) is not None
    following = await next_in_queue(request, document_id)
    came_from = request.query_params.get("from") or ""
    steps = [
        f"<a href='/review/{escape(came_from, quote=True)}' accesskey=p>← previous document</a>"
        if valid_document_id(came_from) and came_from != document_id
        else "",
        f"<a href='{review_step(following, document_id)}' accesskey=n>next in queue →</a>"
        if following
        else "",
    ]
    step = f"<p class=steps>{' · '.join(s for s in steps if s)}</p>" if any(steps) else ""
    return HTMLResponse(_page(str(title), _document_html(result, pictures=kept) + step))


@router.get("/dashboard", include_in_schema=False, response_class=HTMLResponse)
async def dashboard_page(request: Request) -> HTMLResponse:
    """Documents per hour and type, review rate, decisions, latency, dead letters."""
    from doclane.ops.dashboard import dashboard_results, render_dashboard

    refused = _signed_out(request)
    if refused is not None:
        return refused
    runner = request.app.state.services.lookup.runner
    try:
        results = await asyncio.to_thread(dashboard_results, runner)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc
    return HTMLResponse(render_dashboard(results))


@router.post("/review/upload", include_in_schema=False, response_class=HTMLResponse)
async def review_upload(request: Request) -> HTMLResponse:
    """The queue page's upload form: the files go in as `POST /v1/documents` takes them."""
    from doclane.api.documents import _receive

    principal = cookie_principal(request)
    if principal is None:
        return HTMLResponse(_page("Sign in", _LOGIN), status_code=401)
    if not principal.allows("submit"):
        return HTMLResponse(
            _page("Not allowed", "<p class=err>this key lacks the submit scope</p>"),
            status_code=403,
        )
    services = request.app.state.services
    files = await _receive(request, services, None)
    documents = await services.submit(files, correlation_id=None)
    services.ledger.record(documents, idempotency=None, response={})
    links = "".join(
        f"<li><a href='/review/{escape(d.document_id, quote=True)}'>{escape(d.filename or d.document_id)}</a></li>"
        for d in documents
    )
    return HTMLResponse(
        _page("Uploaded", f"<ul class=uploaded>{links}</ul><p><a href=/review>queue</a></p>"), 202
    )


@router.post("/review/login", include_in_schema=False, response_model=None)
async def review_login(
    request: Request, key: Annotated[str, Form()]
) -> HTMLResponse | RedirectResponse:
    keys: ApiKeys = request.app.state.api_keys
    principal = keys.principal_of(key)
    if principal is None:
        return HTMLResponse(
            _page("Sign in", "<p class=err>That key is not valid.</p>" + _LOGIN), 401
        )
    if not principal.allows("review"):
        return HTMLResponse(_page("Sign in", _NO_SCOPE + _LOGIN), 403)
    response = RedirectResponse("/review", status_code=303)
    response.set_cookie(COOKIE, key, httponly=True, samesite="strict", max_age=8 * 3600)
    return response


def cookie_principal(request: Request) -> Principal | None:
    """The reviewer signed in with the page's cookie (for audit rows of page actions)."""
    keys: ApiKeys = request.app.state.api_keys
    return keys.principal_of(request.cookies.get(COOKIE))


def _signed_out(request: Request) -> HTMLResponse | None:
    """The sign-in page (401), or 403 for a key without the review scope; None: go on."""
    principal = cookie_principal(request)
    if principal is None:
        return HTMLResponse(_page("Sign in", _LOGIN), status_code=401)
    if not principal.allows("review"):
        return HTMLResponse(_page("Sign in", _NO_SCOPE + _LOGIN), status_code=403)
    return None


_NO_SCOPE = "<p class=err>That key has no review scope.</p>"

_LOGIN = """<form method=post action=/review/login>
<label>API key <input name=key type=password autofocus required></label> <button>Sign in</button>
</form>"""

_STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}.err{color:#a00}.counts{display:flex;gap:2rem}
form.filters{margin:1rem 0;display:flex;gap:.8rem;flex-wrap:wrap;align-items:end}ul{margin:.2rem 0}
img.page{max-width:100%;border:1px solid #ccc}"""


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>doclane · {escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def _queue_html(queue: dict[str, Any], filters: ReviewFilters) -> str:
    types = "".join(
        f"<option{' selected' if t == filters.doc_type else ''}>{t}</option>" for t in TAXONOMY
    )
    form = (
        "<form class=filters method=get action=/review>"
        f"<label>Reason <input name=reason value='{escape(filters.reason or '', quote=True)}'></label>"
        f"<label>Type <select name=doc_type><option value=''>any</option>{types}</select></label>"
        f"<label>Vendor <input name=vendor value='{escape(filters.vendor or '', quote=True)}'></label>"
        f"<label>Older than (h) <input name=min_age_hours size=4 value='{_num(filters.min_age_hours)}'></label>"
        f"<label>Newer than (h) <input name=max_age_hours size=4 value='{_num(filters.max_age_hours)}'></label>"
        "<button>Filter</button></form>"
    )
    counts = (
        "<div class=counts><div><h2>By type</h2><ul>"
        + "".join(
            f"<li><a href='/review?{urlencode({'doc_type': row['doc_type']})}'>{escape(row['doc_type'])}</a>: {row['documents']}</li>"
            for row in queue["by_type"]
        )
        + "</ul></div><div><h2>By reason</h2><ul>"
        + "".join(
            f"<li>{escape(row['reason'])}: {row['documents']}</li>" for row in queue["by_reason"]
        )
        + "</ul></div></div>"
    )
    rows = "".join(
        "<tr>"
        f"<td>{escape(str(doc['queued_at']))}</td><td>{escape(doc['doc_type'])}</td>"
        f"<td><a href='/review/{escape(doc['document_id'], quote=True)}'>{escape(doc['filename'] or doc['document_id'])}</a>"
        f"<br><small>{escape(doc['document_id'])}</small></td>"
        f"<td>{escape(doc['vendor_name'] or '')}</td>"
        f"<td>{escape(str(doc['total'] or ''))} {escape(doc['currency'] or '')}</td>"
        "<td><ul>" + "".join(f"<li>{escape(r)}</li>" for r in doc["reasons"]) + "</ul></td></tr>"
        for doc in queue["documents"]
    )
    table = (
        f"<p>{queue['total']} document(s) waiting for review; newest first, at most {filters.limit} shown.</p>"
        "<table><thead><tr><th>Queued</th><th>Type</th><th>File</th><th>Vendor</th><th>Total</th>"
        f"<th>Reasons</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    upload = (
        "<form class=upload method=post action=/review/upload enctype=multipart/form-data>"
        "<label>Upload <input type=file name=file multiple required></label> <button>Send</button></form>"
    )
    return "<p><a href=/dashboard>dashboard</a></p>" + upload + form + counts + table


def _document_html(result: dict[str, Any], *, pictures: bool = False) -> str:
    head = (
        "<p><a href=/review>← queue</a></p>"
        f"<p><b>{escape(str(result['doc_type']))}</b> ({float(result['type_confidence']):.2f}), "
        f"status <b>{escape(str(result['status']))}</b>, vendor {escape(str(result.get('vendor_name') or '—'))}, "
        f"total {escape(str(result.get('total') or '—'))} {escape(str(result.get('currency') or ''))}"
        f"<br><small>{escape(str(result['document_id']))}</small></p>"
    )
    reasons = "".join(f"<li>{escape(r)}</li>" for r in result.get("review_reasons") or [])
    fields = "".join(
        f"<tr><td>{escape(f['name'])}</td><td>{escape(f['value'])}</td>"
        f"<td>{escape(str(f['normalized_value'] or ''))}</td><td>{float(f['confidence']):.2f}</td>"
        f"<td>{escape(str(f['page'] or ''))}</td><td>{escape(str(f['line'] or ''))}</td></tr>"
        for f in result["fields"]
    )
    issues = "".join(
        f"<tr><td>{escape(i['severity'])}</td><td>{escape(i['message'])}</td><td>{escape(i['code'])}</td></tr>"
        for i in result["issues"]
    )
    stages = ", ".join(
        f"{escape(s['stage'])} {float(s['duration_ms']):.0f} ms" for s in result["stages"]
    )
    return (
        head
        + (f"<h2>Why it is here</h2><ul>{reasons}</ul>" if reasons else "")
        + "<h2>Fields</h2><table><tr><th>field</th><th>as printed</th><th>normalised</th>"
        f"<th>confidence</th><th>page</th><th>line</th></tr>{fields}</table>"
        + _correction_form(result)
        + _pictures(result, pictures)
        + (
            "<h2>Findings</h2><table><tr><th>severity</th><th>what</th><th>code</th></tr>"
            f"{issues}</table>"
            if issues
            else "<h2>Findings</h2><p>None.</p>"
        )
        + f"<h2>Stages</h2><p>{stages}</p>"
    )


def _correction_form(result: dict[str, Any]) -> str:
    """Every field as an input holding its value, the type, a comment, and three buttons
    (Alt+S saves corrections, Alt+A approves, Alt+R rejects, Alt+N next, Alt+P previous:
    the browser's access keys)."""
    document_id = escape(str(result["document_id"]), quote=True)
    shown: dict[str, Any] = {}
    for stored in result["fields"]:
        shown.setdefault(stored["name"], stored)
    inputs = "".join(
        f"<tr><td><label for='f-{escape(name, quote=True)}'>{escape(name)}</label></td>"
        f"<td><input id='f-{escape(name, quote=True)}' name='field.{escape(name, quote=True)}' size=40 "
        f"value='{escape(str(f['normalized_value'] or f['value']), quote=True)}'></td></tr>"
        for name, f in shown.items()
    )
    missing = "".join(f"<option>{escape(name)}</option>" for name in FieldName if name not in shown)
    types = "".join(
        f"<option{' selected' if t == result['doc_type'] else ''}>{escape(t)}</option>"
        for t in TAXONOMY
    )
    version = int(result.get("result_version") or 1)
    return (
        f"<h2>Correct</h2><form class=correct method=post action='/review/{document_id}/corrections'>"
        f"<input type=hidden name=base_version value={version}>"
        f"<table>{inputs}<tr><td><select name=new_field aria-label='add a field'>"
        f"<option value=''>add a field…</option>{missing}</select></td>"
        "<td><input name=new_value size=40 aria-label='its value'></td></tr>"
        f"<tr><td><label for=doc_type>document type</label></td><td><select id=doc_type name=doc_type>{types}</select></td></tr>"
        "<tr><td><label for=comment>comment</label></td><td><input id=comment name=comment size=40></td></tr></table>"
        "<p><button name=action value=correct accesskey=s>Save corrections</button> "
        "<button name=action value=approve accesskey=a>Approve as is</button> "
        "<button name=action value=reject accesskey=r>Reject</button></p></form>"
        f"<p><small>version {version}</small></p>"
    )


def _pictures(result: dict[str, Any], kept: bool) -> str:
    """The pages that hold extracted fields (the first one at least), boxes drawn."""
    if not kept:
        return "<h2>Pages</h2><p>The original of this document is not kept, so no page image.</p>"
    if not str(result.get("content_type", "")).startswith(("application/pdf", "image/")):
        return ""
    pages = sorted({int(f["page"]) for f in result["fields"] if f.get("page")}) or [1]
    document_id = escape(str(result["document_id"]), quote=True)
    return "<h2>Pages</h2>" + "".join(
        f"<figure><img class=page src='/review/{document_id}/pages/{page}.png' "
        f"alt='page {page} with the fields found on it outlined'><figcaption>page {page}</figcaption></figure>"
        for page in pages
    )


def refusal_page(document_id: str, message: str) -> str:
    """Why the form's decision was refused, with the way back to the document."""
    back = escape(document_id, quote=True)
    return _page(
        "Not saved",
        f"<p class=err>{escape(message)}</p><p><a href='/review/{back}'>← back to the document</a></p>",
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
