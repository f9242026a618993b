"""The routes that act on a document in review: correct fields or the type, approve, reject.

`POST /v1/review/{id}/corrections` takes JSON and an API key header; the review
page's form posts the same decision to `/review/{id}/corrections` with the
sign-in cookie and is sent on to the next document in the queue. Either way a
`Correction` and the corrected result (version + 1) are published together,
and the answer is 202: the sink stores them within a batch interval.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from doclane.api.auth import ReviewCaller
from doclane.api.corrections import (
    ReviewDecision,
    corrected_result,
    correction_for,
    reviewer_identity,
    stored_version,
    taught_hints,
)
from doclane.api.errors import ApiError, StoreUnavailableError, UnknownDocumentError
from doclane.api.lookup import valid_document_id
from doclane.api.originals import original_text
from doclane.api.review import next_in_queue, review_step
from doclane.core.exceptions import CorrectionRefusedError
from doclane.exceptions import StoreError
from doclane.wire.memory import hint_key, hint_record

router = APIRouter(tags=["review"])

FIELD_PREFIX = "field."  # form inputs named field.<name> carry a field's value


class InvalidCorrectionError(ApiError):
    """A value that does not read as its field, an unknown type, or nothing changed."""

    reason_code = "correction_refused"
    status_code = 422


class VersionConflictError(ApiError):
    """The reviewer corrected a version that is no longer the newest."""

    reason_code = "version_conflict"
    status_code = 409


class CorrectionRequest(BaseModel):
    action: Literal["correct", "approve", "reject"] = "correct"
    fields: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict, description="field name → the right value, as typed"
    )
    doc_type: str | None = Field(None, description="the right document type, when it is wrong")
    comment: str | None = Field(None, max_length=2000)
    base_version: int | None = Field(
        None, description="the version corrected; 409 when a newer one is stored"
    )


class CorrectionAccepted(BaseModel):
    correction_id: str
    document_id: str
    version: int = Field(description="the version the corrected result is published as")
    action: str
    changes: list[dict[str, Any]]


@router.post(
    "/v1/review/{document_id}/corrections",
    summary="Correct fields or the type of a document, approve or reject it",
    status_code=202,
)
async def post_correction(
    request: Request,
    document_id: str,
    body: CorrectionRequest,
    caller: ReviewCaller,
) -> CorrectionAccepted:
    decision = ReviewDecision(
        body.action, dict(body.fields), body.doc_type, body.comment, body.base_version
    )
    return await apply_decision(request, document_id, decision, reviewer_identity(caller))


@router.post("/review/{document_id}/corrections", include_in_schema=False, response_model=None)
async def post_correction_form(
    request: Request, document_id: str
) -> HTMLResponse | RedirectResponse:
    """The review page's form; on success the clerk goes on to the next document."""
    from doclane.api.pages import cookie_principal

    caller = cookie_principal(request)
    if caller is None or not caller.allows("review"):
        return RedirectResponse("/review", status_code=303)
    form = await request.form()
    values = {
        str(name).removeprefix(FIELD_PREFIX): str(value)
        for name, value in form.multi_items()
        if str(name).startswith(FIELD_PREFIX)
    }
    new_name, new_value = str(form.get("new_field") or ""), str(form.get("new_value") or "")
    if new_name and new_value.strip():
        values[new_name] = new_value
    version = str(form.get("base_version") or "")
    decision = ReviewDecision(
        action=str(form.get("action") or "correct"),  # type: ignore[arg-type] # checked in correction_for
        values=values,
        doc_type=str(form.get("doc_type") or "") or None,
        comment=str(form.get("comment") or "") or None,
        base_version=int(version) if version.isdigit() else None,
    )
    try:
        await apply_decision(request, document_id, decision, reviewer_identity(caller))
    except (InvalidCorrectionError, VersionConflictError) as exc:
        from doclane.api.pages import refusal_page

        return HTMLResponse(refusal_page(document_id, exc.message), status_code=exc.status_code)
    following = await next_in_queue(request, document_id)
    if following is None:
        return RedirectResponse("/review", status_code=303)
    return RedirectResponse(review_step(following, document_id), status_code=303)


async def apply_decision(
    request: Request, document_id: str, decision: ReviewDecision, reviewer: str
) -> CorrectionAccepted:
    services = request.app.state.services
    if not valid_document_id(document_id):
        raise UnknownDocumentError(f"no document {document_id[:40]!r}")
    try:
        stored = await asyncio.to_thread(services.lookup.result, document_id)
    except StoreError as exc:
        raise StoreUnavailableError(f"ClickHouse did not answer: {exc.message}") from exc
    if stored is None or stored.get("status") == "failed":
        raise UnknownDocumentError(f"no stored result for {document_id} to correct")
    if decision.base_version is not None and decision.base_version != stored_version(stored):
        raise VersionConflictError(
            f"version {decision.base_version} was corrected already; "
            f"the document is at version {stored_version(stored)}: reload it"
        )
    try:
        correction = correction_for(stored, decision, reviewer=reviewer, at=datetime.now(UTC))
    except CorrectionRefusedError as exc:
        raise InvalidCorrectionError(exc.message) from exc
    corrected = corrected_result(stored, correction)
    text = await asyncio.to_thread(original_text, services, stored)
    hints = [
        (
            hint_key(vendor, hint),
            hint_record(
                vendor,
                hint,
                correction_id=correction["correction_id"],
                at=correction["corrected_at"],
            ),
        )
        for vendor, hint in taught_hints(stored, correction, text)
    ]
    await asyncio.to_thread(services.corrections.publish, correction, corrected, hints)
    return CorrectionAccepted(
        correction_id=correction["correction_id"],
        document_id=document_id,
        version=corrected["version"],
        action=decision.action,
        changes=correction["changes"],
    )
