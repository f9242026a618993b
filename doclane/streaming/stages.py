"""What each stage does to a decoded record: calls into the core, nothing more.

These handlers know Avro records and the core's data, not Kafka: the agents
in `doclane.streaming.app` decode, call one of these, encode and send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster, enrich_extraction
from doclane.core.model import DocType
from doclane.core.review import ReviewPolicy, review_reasons
from doclane.core.validate import validate_extraction
from doclane.core.validate.duplicates import SeenRegistry, duplicate_issues
from doclane.exceptions import DoclaneError
from doclane.streaming.blobs import Blobs
from doclane.streaming.pool import ParsePool, extract, read_and_classify
from doclane.wire.records import (
    classification_from_avro,
    enrichments_to_avro,
    extraction_from_avro,
    extraction_to_avro,
    issues_from_avro,
    issues_to_avro,
    result_from_submission,
    text_from_avro,
)


class DocumentTooLargeError(DoclaneError):
    reason_code = "document_too_large"


class MissingPayloadError(DoclaneError):
    reason_code = "missing_payload"


@dataclass
class StageHandlers:
    pool: ParsePool
    vendors: Callable[[], VendorMaster]
    fx_rates: Callable[[], FxRates]
    seen: SeenRegistry
    blobs: Blobs
    pdf_engine: str
    review_policy: ReviewPolicy
    max_document_bytes: int
    taxonomy: tuple[str, ...] | None = None  # None: every type doclane knows

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
            self.pdf_engine,
            self.taxonomy,
        )
        return result_from_submission(submission, classification, text)

    async def extract(self, record: dict[str, Any]) -> dict[str, Any]:
        text = text_from_avro(record["text"])
        extraction = await self.pool.run(extract, text, record["doc_type"]["label"])
        record.update(extraction_to_avro(extraction), stage="EXTRACTED")
        return record

    def validate(self, record: dict[str, Any]) -> dict[str, Any]:
        doc_type = DocType(record["doc_type"]["label"])
        extraction = extraction_from_avro(record)
        issues = validate_extraction(doc_type, extraction)
        duplicates, duplicate_of = duplicate_issues(
            doc_type,
            extraction,
            document_id=record["document_id"],
            sha256=record["sha256"],
            registry=self.seen,
        )
        record.update(
            issues=issues_to_avro(issues + duplicates), duplicate_of=duplicate_of, stage="VALIDATED"
        )
        return record

    def enrich(self, record: dict[str, Any]) -> dict[str, Any]:
        """Final stage: enrichments, the review decision, and the text layer dropped."""
        text = text_from_avro(record["text"])
        extraction = extraction_from_avro(record)
        enrichments = enrich_extraction(text, extraction, self.vendors(), self.fx_rates())
        language = next((e.value for e in enrichments if e.name == "language"), None)
        reasons = review_reasons(
            classification_from_avro(record["doc_type"]),
            extraction,
            issues_from_avro(record["issues"]),
            self.review_policy,
        )
        record.update(
            enrichments=enrichments_to_avro(enrichments),
            review_reasons=list(reasons),
            status="REVIEW" if reasons else "ACCEPTED",
            stage="ENRICHED",
            language=language,
            text=None,
        )
        return record
