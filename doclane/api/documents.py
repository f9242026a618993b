"""The /v1/documents routes: upload, status and result, stage events."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from doclane.api import metrics
from doclane.api.acceptance import filename_from_disposition, media_type, safe_filename
from doclane.api.auth import AdminCaller, ReadCaller, SubmitCaller
from doclane.api.errors import (
    ApiError,
    IdempotencyConflictError,
    StoreUnavailableError,
    UnknownDocumentError,
    UploadTimeoutError,
    UploadTooLargeError,
)
from doclane.api.ledger import AcceptedDocument
from doclane.api.lookup import valid_document_id
from doclane.api.models import Accepted, DocumentStatus, ForgetRequest
from doclane.api.services import ApiServices
from doclane.api.uploads import receive_multipart, receive_raw
from doclane.exceptions import StoreError

router = APIRouter(prefix="/v1", tags=["documents"])

EVENT_POLL_SECONDS = 0.5
EVENT_STREAM_SECONDS = 15 * 60  # then the client reconnects with Last-Event-ID
_KEEPALIVE_SECONDS = 15.0
_MAX_IDEMPOTENCY_KEY = 255

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "One or many files as multipart/form-data (any field name, each "
        "part with a filename), or one file as the raw body with its own content type.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            },
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _services(request: Request) -> ApiServices:
    services: ApiServices = request.app.state.services
    return services


@router.post(
    "/documents",
    status_code=202,
    response_model=Accepted,
    summary="Submit documents",
    openapi_extra=_UPLOAD_BODY,
    responses={
        401: {"description": "no valid API key"},
        403: {"description": "the key lacks the submit scope"},
        409: {"description": "a request with this Idempotency-Key is in progress"},
        413: {"description": "a file is over the size limit"},
        415: {"description": "a file is of a kind doclane cannot read"},
    },
)
async def submit_documents(
    request: Request,
    caller: SubmitCaller,
    filename: Annotated[str | None, Query(description="file name of a raw-body upload")] = None,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key", description="a retry with the same key returns the same ids"
        ),
    ] = None,
    correlation_id: Annotated[
        str | None, Header(alias="X-Correlation-Id", description="ties documents together")
    ] = None,
) -> JSONResponse:
    """Accepts the files and answers 202 with one document id per file, before any processing."""
    services = _services(request)
    scope = caller.key_id  # idempotency keys are per API key
    key = _checked_key(idempotency_key)
    if key is not None:
        claim = services.ledger.claim(scope, key)
        if not claim.claimed:
            if claim.response is None:
                raise IdempotencyConflictError(
                    "a request with this Idempotency-Key is still in progress; retry shortly"
                )
            metrics.IDEMPOTENT_REPLAYS.inc()
            return JSONResponse(claim.response, 202, headers={"Idempotent-Replayed": "true"})
    try:
        started = time.perf_counter()
        files = await _receive(request, services, filename)
        received = time.perf_counter()
        documents = await services.submit(files, correlation_id=correlation_id)
        acknowledged = time.perf_counter()
        body = _accepted_body(documents)
        services.ledger.record(documents, idempotency=(scope, key) if key else None, response=body)
    except BaseException:
        if key is not None:
            services.ledger.release(scope, key)
        raise
    metrics.UPLOAD_SECONDS.observe(time.perf_counter() - started)
    metrics.DOCUMENTS_ACCEPTED.inc(len(documents))
    metrics.BYTES_ACCEPTED.inc(sum(d.size_bytes for d in documents))
    timing = (  # where an upload's time went: reading (and storing) the body, the broker's ack
        f"receive;dur={(received - started) * 1000:.1f}, "
        f"broker;dur={(acknowledged - received) * 1000:.1f}, "
        f"ledger;dur={(time.perf_counter() - acknowledged) * 1000:.1f}"
    )
    return JSONResponse(body, 202, headers={"Server-Timing": timing})


@router.get(
    "/documents/{document_id}",
    response_model=DocumentStatus,
    summary="Status and result of a document",
    responses={404: {"description": "no such document"}},
)
async def get_document(request: Request, document_id: str, _caller: ReadCaller) -> dict[str, Any]:
    """`processing` until the document is in ClickHouse; then its status and whole result."""
    services = _services(request)
    if not valid_document_id(document_id):
        raise UnknownDocumentError(f"no document {document_id[:40]!r}")
    result = await _store(services.lookup.result, document_id)
    if result is not None:
        return {
            "document_id": document_id,
            "status": result["status"],
            "done": True,
            "result": result,
        }
    accepted = services.ledger.document(document_id)
    if accepted is None:
        raise UnknownDocumentError(
            f"no document {document_id} (known here: documents this API accepted, "
            "and every document in ClickHouse)"
        )
    return {
        "document_id": document_id,
        "status": "processing",
        "done": False,
        "filename": accepted.filename,
        "submitted_at": _iso(accepted.submitted_at),
    }


@router.delete(
    "/documents/{document_id}",
    summary="Erase a document everywhere (GDPR Art. 17); admin scope",
    responses={403: {"description": "the key lacks the admin scope"}},
)
async def forget_document(
    document_id: str, caller: AdminCaller, request: Request
) -> dict[str, Any]:
    """Removes the document's rows, blob, compacted-topic entries and ledger entries;
    an audit row keeps its id's hash, the caller's key id and the counts."""
    return (await _forget(request, [document_id], caller.key_id))[0]


@router.post(
    "/admin/forget",
    summary="Erase documents by id (GDPR Art. 17); admin scope",
    responses={403: {"description": "the key lacks the admin scope"}},
)
async def forget_documents_route(
    request: Request, body: ForgetRequest, caller: AdminCaller
) -> list[dict[str, Any]]:
    return await _forget(request, body.document_ids, caller.key_id)


async def _forget(request: Request, document_ids: list[str], actor: str) -> list[dict[str, Any]]:
    from doclane.ops.erasure import forget_documents

    if bad := [i for i in document_ids if not valid_document_id(i)]:
        raise ApiError(f"not document ids: {', '.join(repr(i[:40]) for i in bad)}")
    settings = _services(request).settings
    try:
        erased = await asyncio.to_thread(forget_documents, settings, document_ids, actor=actor)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc
    return [
        {"document_id": e.document_id, "rows_by_table": e.rows_by_table, **e.audit_entry()}
        for e in erased
    ]


@router.get(
    "/documents/{document_id}/events",
    summary="Server-sent events per stage, until the document is done",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "an event stream"},
        404: {"description": "no such document"},
    },
)
async def document_events(
    request: Request,
    document_id: str,
    _caller: ReadCaller,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Events `processing`, then `stage` per stage (id = its position), then `done`."""
    services = _services(request)
    if not valid_document_id(document_id):
        raise UnknownDocumentError(f"no document {document_id[:40]!r}")
    events = await _store(services.lookup.events_when_landed, document_id)
    if not events and services.ledger.document(document_id) is None:
        raise UnknownDocumentError(f"no document {document_id}")
    resume_after = int(last_event_id) if (last_event_id or "").isdigit() else 0
    return StreamingResponse(
        _event_stream(request, services, document_id, events, resume_after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _event_stream(
    request: Request,
    services: ApiServices,
    document_id: str,
    events: list[dict[str, Any]],
    resume_after: int,
) -> AsyncIterator[str]:
    yield "retry: 1000\n\n"
    if not events:
        yield _sse("processing", {"document_id": document_id, "status": "processing"})
    started = last_sent = time.monotonic()
    while True:
        if events:
            for position, event in enumerate(events, start=1):
                if position > resume_after:
                    yield _sse("stage", {"document_id": document_id, **event}, event_id=position)
            status = events[-1]["status"]
            yield _sse("done", {"document_id": document_id, "status": status})
            return
        if time.monotonic() - started > EVENT_STREAM_SECONDS:
            yield _sse("timeout", {"document_id": document_id, "status": "processing"})
            return
        if time.monotonic() - last_sent > _KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(EVENT_POLL_SECONDS)
        if await request.is_disconnected():
            return
        try:
            events = await _store(services.lookup.events_when_landed, document_id)
        except StoreUnavailableError as exc:
            yield _sse("error", {"document_id": document_id, "error": exc.message})
            return


def _sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def _idle_limited(chunks: AsyncIterator[bytes], seconds: float) -> AsyncIterator[bytes]:
    """The body's chunks, refused (408) when none arrives for `seconds`: a stalled or
    slowloris upload frees its connection and its spool instead of holding them."""
    iterator = chunks.__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(iterator.__anext__(), timeout=seconds)
        except StopAsyncIteration:
            return
        except TimeoutError as exc:
            raise UploadTimeoutError(
                f"no body bytes for {seconds:g} s (DOCLANE_API_UPLOAD_IDLE_SECONDS)"
            ) from exc
        yield chunk


async def _receive(request: Request, services: ApiServices, filename: str | None) -> list[Any]:
    content_type = request.headers.get("content-type")
    chunks = _idle_limited(request.stream(), services.settings.api_upload_idle_seconds)
    if media_type(content_type) == "multipart/form-data":
        return await receive_multipart(
            chunks, content_type=content_type or "", new_spool=services.new_spool
        )
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > services.settings.max_document_bytes:
        raise UploadTooLargeError(
            f"the document is {length} bytes, over the "
            f"{services.settings.max_document_bytes}-byte limit (DOCLANE_MAX_DOCUMENT_BYTES)"
        )
    name = (
        safe_filename(filename)
        if filename
        else filename_from_disposition(request.headers.get("content-disposition"))
    )
    return await receive_raw(
        chunks, filename=name, content_type=content_type, new_spool=services.new_spool
    )


def _checked_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > _MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ApiError(f"Idempotency-Key must be 1 to {_MAX_IDEMPOTENCY_KEY} printable characters")
    return key


async def _store(query: Any, document_id: str) -> Any:
    try:
        return await asyncio.to_thread(query, document_id)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc


def _accepted_body(documents: list[AcceptedDocument]) -> dict[str, Any]:
    return {
        "documents": [
            {
                "document_id": d.document_id,
                "filename": d.filename,
                "content_type": d.content_type,
                "size_bytes": d.size_bytes,
                "sha256": d.sha256,
                "status_url": f"/v1/documents/{d.document_id}",
                "events_url": f"/v1/documents/{d.document_id}/events",
            }
            for d in documents
        ]
    }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()
