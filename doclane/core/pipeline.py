"""All stages in order: read, classify, extract, validate, enrich, decide on review."""

from __future__ import annotations

from dataclasses import dataclass

from doclane.core.classify.classifier import classify_document
from doclane.core.enrich.vendors import VendorMaster, enrich_extraction
from doclane.core.extract import extract_fields
from doclane.core.model import (
    Classification,
    DocumentText,
    Enrichment,
    Extraction,
    ValidationIssue,
)
from doclane.core.read import read_document
from doclane.core.review import ReviewPolicy, review_reasons
from doclane.core.validate import validate_extraction


@dataclass(frozen=True, slots=True)
class Understanding:
    text: DocumentText
    classification: Classification
    extraction: Extraction
    issues: tuple[ValidationIssue, ...]
    enrichments: tuple[Enrichment, ...]
    review_reasons: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


def understand(
    payload: bytes,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    pdf_engine: str = "pdfium",
    vendors: VendorMaster,
    review_policy: ReviewPolicy | None = None,
    use_xml: bool = True,
) -> Understanding:
    """Understand one document; raises only `UnderstandingError` subclasses."""
    text = read_document(
        payload, content_type=content_type, filename=filename, pdf_engine=pdf_engine
    )
    classification = classify_document(text)
    extraction = extract_fields(text, classification.doc_type, use_xml=use_xml)
    issues = validate_extraction(classification.doc_type, extraction)
    return Understanding(
        text=text,
        classification=classification,
        extraction=extraction,
        issues=issues,
        enrichments=enrich_extraction(text, extraction, vendors),
        review_reasons=review_reasons(classification, extraction, issues, review_policy),
    )
