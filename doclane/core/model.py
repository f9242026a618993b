"""Plain data passed between the stages of understanding.

Values are immutable dataclasses so they can cross process boundaries (the
parse pool pickles them) and be compared in tests. Coordinates are PDF points
with the origin at the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DocType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"
    PURCHASE_ORDER = "purchase_order"
    CONTRACT = "contract"
    BANK_STATEMENT = "bank_statement"
    OTHER = "other"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class BoundingBox:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text, as the reading engine laid it out.

    `confidence` is OCR's confidence in the line's words (0..1, their mean
    weighted by length); None for a text layer, which is exact.
    """

    text: str
    bbox: BoundingBox | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    lines: tuple[TextLine, ...]
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True, slots=True)
class DocumentText:
    """Everything read from the bytes: pages of lines, and embedded files.

    `attachments` maps embedded file names to their bytes (e.g. the
    factur-x.xml of a ZUGFeRD invoice) so extraction can prefer exact data.
    """

    pages: tuple[Page, ...]
    engine: str
    attachments: dict[str, bytes] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(line.text for page in self.pages for line in page.lines)

    def iter_lines(self) -> tuple[tuple[int, int, TextLine], ...]:
        """(page number, 1-based line number within the page, line) for every line."""
        return tuple(
            (page.number, index, line)
            for page in self.pages
            for index, line in enumerate(page.lines, start=1)
        )


@dataclass(frozen=True, slots=True)
class Classification:
    doc_type: DocType
    confidence: float  # 0..1
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a value was found: page and box for PDFs, line for text, or the XML."""

    source: str  # "text", "xml", ...
    page: int | None = None
    line: int | None = None
    bbox: BoundingBox | None = None


@dataclass(frozen=True, slots=True)
class ExtractedField:
    name: str  # canonical name: invoice_number, issue_date, total, ...
    value: str  # as written in the document
    normalized: str | None  # ISO date, two-decimal amount, ISO 4217 code, folded text
    confidence: float
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class LineItem:
    description: str | None
    quantity: str | None
    unit_price: str | None
    amount: str | None
    confidence: float
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Extraction:
    fields: tuple[ExtractedField, ...] = ()
    line_items: tuple[LineItem, ...] = ()

    def get(self, name: str) -> ExtractedField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    code: str  # stable machine code, e.g. "missing_total"
    severity: Severity
    message: str  # a sentence a clerk understands
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Enrichment:
    name: str  # e.g. "vendor_id"
    value: str
    score: float | None = None
    source: str = ""
