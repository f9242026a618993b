"""The one chain of understanding: read → classify → extract → validate → enrich.

Every caller runs these functions: the streaming agents call them stage by
stage (each stage on its own topic), while `understand` runs them all in order
for the evaluation, the benchmarks and anything else that holds a whole
document. What the stages need beyond the document itself (reference data,
thresholds, the PDF engine) is one `Knowledge` value, so the agents and the
evaluation cannot drift apart by passing different options.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from doclane.core.classify import classify_document
from doclane.core.enrich import enrich_extraction, language_of
from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster
from doclane.core.extract import extract_fields
from doclane.core.memory import EMPTY_MEMORY, VendorMemory, apply_vendor_memory
from doclane.core.model import (
    Classification,
    DocType,
    DocumentText,
    Enrichment,
    Extraction,
    ValidationIssue,
)
from doclane.core.read import read_document
from doclane.core.review import ReviewPolicy, review_reasons
from doclane.core.validate import validate_extraction
from doclane.core.validate.duplicates import SeenRegistry, duplicate_issues

STAGES = ("read", "classify", "extract", "validate", "enrich")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What understanding needs besides the document: settings and reference data."""

    vendors: VendorMaster = field(default_factory=lambda: VendorMaster(()))
    fx_rates: FxRates | None = None  # None: no conversion to a base currency
    review_policy: ReviewPolicy = field(default_factory=ReviewPolicy)
    taxonomy: frozenset[DocType] | None = None  # None: every type doclane knows
    pdf_engine: str = "pdfium"
    use_xml: bool = True  # an embedded e-invoice XML wins over the page text
    vendor_memory: VendorMemory = EMPTY_MEMORY  # what reviewers taught, per vendor


@dataclass(frozen=True, slots=True)
class DocumentIdentity:
    """Who a document is, for the duplicate check: its id and the digest of its bytes."""

    document_id: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Validation:
    issues: tuple[ValidationIssue, ...]
    duplicate_of: str | None = None  # the first document with the same file or business key


@dataclass(frozen=True, slots=True)
class Enriched:
    enrichments: tuple[Enrichment, ...]
    language: str | None
    review_reasons: tuple[str, ...]  # empty: the document can be accepted unseen


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: str
    wall_seconds: float
    cpu_seconds: float


@dataclass(frozen=True, slots=True)
class Understanding:
    text: DocumentText
    classification: Classification
    extraction: Extraction
    validation: Validation
    enriched: Enriched
    timings: tuple[StageTime, ...] = ()

    @property
    def issues(self) -> tuple[ValidationIssue, ...]:
        return self.validation.issues

    @property
    def review_reasons(self) -> tuple[str, ...]:
        return self.enriched.review_reasons

    @property
    def needs_review(self) -> bool:
        return bool(self.enriched.review_reasons)


def read(
    payload: bytes,
    knowledge: Knowledge,
    *,
    content_type: str | None = None,
    filename: str | None = None,
) -> DocumentText:
    """The document's text: pages of positioned lines, and embedded files."""
    return read_document(
        payload, content_type=content_type, filename=filename, pdf_engine=knowledge.pdf_engine
    )


def classify(text: DocumentText, knowledge: Knowledge) -> Classification:
    return classify_document(text, knowledge.taxonomy)


def extract(text: DocumentText, doc_type: DocType, knowledge: Knowledge) -> Extraction:
    """The fields, with what reviewers taught about the document's vendor applied."""
    extraction = extract_fields(text, doc_type, use_xml=knowledge.use_xml)
    return apply_vendor_memory(text, extraction, knowledge.vendor_memory)


def validate(
    doc_type: DocType,
    extraction: Extraction,
    *,
    identity: DocumentIdentity | None = None,
    seen: SeenRegistry | None = None,
    received: date | None = None,
) -> Validation:
    """The checks, plus duplicates when a registry of documents seen before is given.

    `received` is the day the document arrived (today when not given): dates are
    judged against it.
    """
    issues = validate_extraction(doc_type, extraction, received=received)
    if seen is None or identity is None:
        return Validation(issues)
    duplicates, duplicate_of = duplicate_issues(
        doc_type,
        extraction,
        document_id=identity.document_id,
        sha256=identity.sha256,
        registry=seen,
    )
    return Validation(issues + duplicates, duplicate_of)


def language(text: DocumentText) -> Enrichment | None:
    """The document's language, found while its text is at hand (the extract stage's)."""
    return language_of(text)


def enrich(
    classification: Classification,
    extraction: Extraction,
    issues: tuple[ValidationIssue, ...],
    knowledge: Knowledge,
    *,
    language: Enrichment | None = None,
) -> Enriched:
    """Enrichments and the review decision: the last stage. It needs no text layer:
    the language was found by the extract stage (`language`)."""
    enrichments = enrich_extraction(
        extraction, knowledge.vendors, knowledge.fx_rates, language=language
    )
    found = language.value if language is not None else None
    reasons = review_reasons(classification, extraction, issues, knowledge.review_policy)
    return Enriched(enrichments, found, reasons)


def understand(
    payload: bytes,
    knowledge: Knowledge,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    identity: DocumentIdentity | None = None,
    seen: SeenRegistry | None = None,
    extract_as: DocType | None = None,
) -> Understanding:
    """Every stage in order; raises only `UnderstandingError` subclasses.

    `extract_as` extracts (and validates) as that type instead of the one
    classification found: the evaluation's oracle-type mode.
    """
    timings: list[StageTime] = []
    text = _timed(
        timings,
        "read",
        lambda: read(payload, knowledge, content_type=content_type, filename=filename),
    )
    classification = _timed(timings, "classify", lambda: classify(text, knowledge))
    doc_type = extract_as or classification.doc_type
    extraction, found_language = _timed(
        timings, "extract", lambda: (extract(text, doc_type, knowledge), language(text))
    )
    validation = _timed(
        timings,
        "validate",
        lambda: validate(doc_type, extraction, identity=identity, seen=seen),
    )
    enriched = _timed(
        timings,
        "enrich",
        lambda: enrich(
            classification, extraction, validation.issues, knowledge, language=found_language
        ),
    )
    return Understanding(text, classification, extraction, validation, enriched, tuple(timings))


def _timed(timings: list[StageTime], stage: str, run: Callable[[], _T]) -> _T:
    wall, cpu = time.perf_counter(), time.thread_time()
    result = run()
    timings.append(StageTime(stage, time.perf_counter() - wall, time.thread_time() - cpu))
    return result
