"""Page images of a stored document, with its fields' boxes: for the API and the review page."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from doclane.api.auth import ApiKeys, require_scope
from doclane.api.errors import (
    ForbiddenError,
    StoreUnavailableError,
    UnauthorizedError,
    UnknownDocumentError,
)
from doclane.api.lookup import valid_document_id
from doclane.api.originals import original_bytes
from doclane.api.page_images import PageImageError, draw_field_boxes, page_picture
from doclane.exceptions import StoreError

router = APIRouter(tags=["documents"])

_PNG = {"200": {"content": {"image/png": {}}, "description": "the page as PNG"}}


@router.get(
    "/v1/documents/{document_id}/pages/{page}.png",
    summary="A page of the document as PNG, the extracted fields' boxes drawn on it",
    dependencies=[Depends(require_scope("submit", "review"))],
    response_class=Response,
    responses=_PNG,
)
async def page_png(request: Request, document_id: str, page: int) -> Response:
    return await _page_png(request, document_id, page)


@router.get("/review/{document_id}/pages/{page}.png", include_in_schema=False)
async def review_page_png(request: Request, document_id: str, page: int) -> Response:
    keys: ApiKeys = request.app.state.api_keys
    principal = keys.principal_of(request.cookies.get("doclane_api_key"))
    if principal is None:
        raise UnauthorizedError("sign in at /review first")
    if not principal.allows("review"):
        raise ForbiddenError(f"this API key (id {principal.key_id}) lacks the review scope")
    return await _page_png(request, document_id, page)


async def _page_png(request: Request, document_id: str, page: int) -> Response:
    services = request.app.state.services
    if not valid_document_id(document_id):
        raise UnknownDocumentError(f"no document {document_id[:40]!r}")
    try:
        stored = await asyncio.to_thread(services.lookup.result, document_id)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc
    if stored is None:
        raise UnknownDocumentError(f"no stored result for {document_id} (yet)")

    def render() -> bytes:
        payload = original_bytes(services, stored)
        if payload is None:
            raise PageImageError("the original of this document is not kept")
        picture = page_picture(payload, str(stored["content_type"]), page)
        return draw_field_boxes(picture, stored["fields"], page)

    try:
        png = await asyncio.to_thread(render)
    except PageImageError as exc:
        raise UnknownDocumentError(f"no image of page {page}: {exc.message}") from exc
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})
