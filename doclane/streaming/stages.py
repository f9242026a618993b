"""What each stage does to a decoded record: calls into the core, nothing more.

These handlers know Avro records and the core's data, not Kafka: the agents
in `doclane.streaming.app` decode, call one of these, encode and send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from doclane.core import pipeline
from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster
from doclane.core.model import DocType, Enrichment
from doclane.core.pipeline import DocumentIdentity, Knowledge
from doclane.core.validate.duplicates import SeenRegistry
from doclane.exceptions import DoclaneError
from doclane.streaming.blobs import Blobs
from doclane.streaming.pool import ParsePool, extract, read_and_classify
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
)
from doclane.wire.text_layer import decode_text_layer, encode_text_layer


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
        text, classification = await self.pool.run(
            read_and_classify,
            payload,
            submission.get("content_type"),
            submission.get("filename"),
            self.knowledge,
        )
        return result_from_submission(submission, classification, text)

    async def extract(self, record: dict[str, Any]) -> dict[str, Any]:
        extraction, language = await self.pool.run(
            extract, _text_layer_of(record), record["doc_type"]["label"], self.knowledge
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
