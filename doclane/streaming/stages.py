"""What each stage does to a decoded record: calls into the core, nothing more.

These handlers know Avro records and the core's data, not Kafka: the agents
in `doclane.streaming.app` decode, call one of these, encode and send.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from doclane.core import pipeline
from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster
from doclane.core.memory import EMPTY_MEMORY, VendorMemory
from doclane.core.model import Classification, DocType, Enrichment
from doclane.core.pipeline import DocumentIdentity, Knowledge
from doclane.core.read.containers import Member
from doclane.core.validate.duplicates import SeenRegistry
from doclane.exceptions import DoclaneError
from doclane.streaming.blobs import Blobs
from doclane.streaming.pool import ParsePool, extract, unpack_or_read_and_classify
from doclane.wire.records import (
    classification_from_avro,
    enrichment_from_avro,
    enrichments_to_avro,
    extraction_from_avro,
    extraction_to_avro,
    issues_from_avro,
    issues_to_avro,
    result_from_submission,
    text_from_avro,
    utc_now,
)
from doclane.wire.text_layer import decode_text_layer, encode_text_layer

CONTAINER = "container"  # the doc_type label of a ZIP or e-mail unpacked into children


class DocumentTooLargeError(DoclaneError):
    reason_code = "document_too_large"


class MissingPayloadError(DoclaneError):
    reason_code = "missing_payload"


class MissingTextLayerError(DoclaneError):
    reason_code = "missing_text_layer"


@dataclass
class StageHandlers:
    pool: ParsePool
    vendors: Callable[[], VendorMaster]
    fx_rates: Callable[[], FxRates]
    seen: SeenRegistry
    blobs: Blobs
    knowledge: Knowledge  # settings; the reference data is read fresh at each enrich
    max_document_bytes: int
    # Sends a child submission (a container's member) to the ingest topic.
    submit_child: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    claim_check_bytes: int = 512 * 1024
    # What reviewers taught, read fresh at each extract (the worker's vendor-memory table).
    vendor_memory: Callable[[], VendorMemory] = lambda: EMPTY_MEMORY

    def payload_of(self, submission: dict[str, Any]) -> bytes:
        payload = submission.get("payload")
        if payload is None:
            uri = submission.get("claim_check_uri")
            if not uri:
                raise MissingPayloadError(
                    "the submission carries neither a payload nor a claim-check"
                )
            payload = self.blobs.get(uri, max_bytes=self.max_document_bytes)
        if len(payload) > self.max_document_bytes:
            raise DocumentTooLargeError(
                f"document is {len(payload)} bytes, over the {self.max_document_bytes}-byte limit"
            )
        return payload

    async def classify(self, submission: dict[str, Any]) -> dict[str, Any]:
        payload = self.payload_of(submission)
        outcome = await self.pool.run(
            unpack_or_read_and_classify,
            payload,
            submission.get("content_type"),
            submission.get("filename"),
            self.knowledge,
        )
        if not outcome or isinstance(outcome[0], Member):
            return await self._fan_out(submission, outcome)  # type: ignore[arg-type]
        text, classification = outcome
        return result_from_submission(submission, classification, text)

    async def _fan_out(
        self, submission: dict[str, Any], members: tuple[Member, ...]
    ) -> dict[str, Any]:
        """A container: every member to the ingest topic as a child document, then the
        container's own result (type `container`, with its child count).

        A child's id derives from its parent's id and its path, so a classify
        retried after a crash sends the same children again under the same ids,
        which the exactly-once results and the sink's replacing tables keep once.
        """
        if self.submit_child is None:
            raise DoclaneError(
                "containers need a way to submit children", reason_code="internal_error"
            )
        for member in members:
            await self.submit_child(self._child(submission, member))
        record = result_from_submission(submission, Classification(DocType.OTHER, 1.0), b"")
        record.update(
            doc_type={"label": CONTAINER, "confidence": 1.0, "scores": {}},
            text_layer=None,
            child_count=len(members),
        )
        return record

    def _child(self, parent: dict[str, Any], member: Member) -> dict[str, Any]:
        path = f"{parent['path']}/{member.path}" if parent.get("path") else member.path
        inline = len(member.payload) <= self.claim_check_bytes
        return {
            "document_id": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"doclane:{parent['document_id']}/{member.path}")
            ),
            "correlation_id": parent["correlation_id"],
            "source": parent["source"],
            "filename": member.filename,
            "content_type": member.content_type,
            "size_bytes": len(member.payload),
            "sha256": hashlib.sha256(member.payload).hexdigest(),
            "payload": member.payload if inline else None,
            "claim_check_uri": None if inline else self.blobs.put(member.payload),
            "submitted_at": utc_now(),
            "priority": parent.get("priority", 0),
            "metadata": dict(parent.get("metadata") or {}),
            "parent_id": parent["document_id"],
            "path": path,
        }

    async def extract(self, record: dict[str, Any]) -> dict[str, Any]:
        if is_container(record):
            record.update(stage="EXTRACTED")
            return record
        knowledge = replace(self.knowledge, vendor_memory=self.vendor_memory())
        extraction, language = await self.pool.run(
            extract, _text_layer_of(record), record["doc_type"]["label"], knowledge
        )
        record.update(
            extraction_to_avro(extraction),
            stage="EXTRACTED",
            enrichments=enrichments_to_avro((language,) if language else ()),
            language=language.value if language else None,
            text=None,  # later stages need no text layer
            text_layer=None,
        )
        return record

    def validate(self, record: dict[str, Any]) -> dict[str, Any]:
        if is_container(record):
            record.update(stage="VALIDATED")
            return record
        validation = pipeline.validate(
            DocType(record["doc_type"]["label"]),
            extraction_from_avro(record),
            identity=DocumentIdentity(record["document_id"], record["sha256"]),
            seen=self.seen,
            received=_day_of(record["submitted_at"]),
        )
        record.update(
            issues=issues_to_avro(validation.issues),
            duplicate_of=validation.duplicate_of,
            stage="VALIDATED",
        )
        return record

    def enrich(self, record: dict[str, Any]) -> dict[str, Any]:
        """Final stage: enrichments and the review decision."""
        if is_container(record):  # its children are judged one by one
            record.update(status="ACCEPTED", stage="ENRICHED")
            return record
        knowledge = replace(self.knowledge, vendors=self.vendors(), fx_rates=self.fx_rates())
        enriched = pipeline.enrich(
            classification_from_avro(record["doc_type"]),
            extraction_from_avro(record),
            issues_from_avro(record["issues"]),
            knowledge,
            language=_language_of(record),
        )
        record.update(
            enrichments=enrichments_to_avro(enriched.enrichments),
            review_reasons=list(enriched.review_reasons),
            status="REVIEW" if enriched.review_reasons else "ACCEPTED",
            stage="ENRICHED",
            language=enriched.language,
            text=None,
            text_layer=None,
        )
        return record


def is_container(record: dict[str, Any]) -> bool:
    """A ZIP or e-mail whose members went on as child documents; nothing to extract."""
    return record.get("child_count") is not None


def _text_layer_of(record: dict[str, Any]) -> bytes:
    """The compact text layer; a record from a worker older than schema v4 has the nested one."""
    if record.get("text_layer") is not None:
        layer: bytes = record["text_layer"]
        return layer
    if record.get("text") is not None:
        return encode_text_layer(text_from_avro(record["text"]))
    raise MissingTextLayerError("the classified record carries no text layer")


def _language_of(record: dict[str, Any]) -> Enrichment | None:
    """The language the extract stage found (or, for an older worker's record, find it now)."""
    for raw in record.get("enrichments") or ():
        if raw["name"] == "language":
            return enrichment_from_avro(raw)
    if record.get("text_layer") is not None:
        return pipeline.language(decode_text_layer(record["text_layer"]))
    if record.get("text") is not None:
        return pipeline.language(text_from_avro(record["text"]))
    return None


def _day_of(submitted_at: datetime | int) -> date:
    """The UTC day a record was submitted (Avro timestamp-millis, decoded or raw)."""
    if isinstance(submitted_at, datetime):
        return submitted_at.astimezone(UTC).date()
    return datetime.fromtimestamp(submitted_at / 1000, UTC).date()
