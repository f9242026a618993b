"""Response shapes, for the OpenAPI document and the clients it generates."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AcceptedDocument(BaseModel):
    document_id: str
    filename: str | None
    content_type: str
    size_bytes: int
    sha256: str
    status_url: str
    events_url: str


class Accepted(BaseModel):
    documents: list[AcceptedDocument] = Field(description="one per uploaded file, in order")


class DocumentStatus(BaseModel):
    document_id: str
    status: str = Field(description="processing, accepted, review or failed")
    done: bool
    filename: str | None = None
    submitted_at: str | None = None
    result: dict[str, Any] | None = Field(
        None,
        description="when done: the documents row, fields, line_items, issues, stages "
        "(and dead_letters for a failed one)",
    )


class ForgetRequest(BaseModel):
    """Documents to erase: ids as the API returned them."""

    document_ids: list[str] = Field(min_length=1, max_length=1000)
