"""The one chain of understanding, run whole by `understand` and stage by stage."""

from __future__ import annotations

from datetime import date

import pytest

from doclane.core.enrich.vendors import VendorMaster
from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocType
from doclane.core.pipeline import (
    STAGES,
    DocumentIdentity,
    Knowledge,
    classify,
    extract,
    read,
    understand,
    validate,
)
from tests.paths import BUNDLED_VENDORS
from tests.unit.core.documents import INVOICE_DE_LINES
from tests.unit.core.pdf_factory import make_pdf

KNOWLEDGE = Knowledge(vendors=VendorMaster.from_csv(BUNDLED_VENDORS))


class _Seen:
    """The duplicate registry as a dict, as the streaming shell keeps it in a table."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}

    def first_seen(self, kind: str, key: str, document_id: str) -> str:
        return self.first.setdefault((kind, key), document_id)


def test_understand_a_german_pdf_invoice_end_to_end() -> None:
    result = understand(make_pdf([INVOICE_DE_LINES]), KNOWLEDGE)
    assert result.classification.doc_type is DocType.INVOICE
    values = {f.name: f.normalized for f in result.extraction.fields}
    assert values["invoice_number"] == "RE-2024-0815"
    assert values["issue_date"] == "2024-03-03"
    assert values["due_date"] == "2024-04-02"
    assert values["total"] == "357.00"
    assert values["net_total"] == "300.00"
    assert values["tax_total"] == "57.00"
    assert values["currency"] == "EUR"
    assert values["vendor_name"] == "Nordlicht Bürotechnik GmbH"
    assert result.issues == ()
    enrichments = {e.name: e.value for e in result.enriched.enrichments}
    assert enrichments["vendor_id"] == "V0002"
    assert enrichments["language"] == "de"
    assert result.enriched.language == "de"
    assert result.review_reasons == ()
    assert not result.needs_review
    assert tuple(t.stage for t in result.timings) == STAGES


def test_understand_raises_only_typed_errors() -> None:
    with pytest.raises(UnreadableDocumentError):
        understand(b"", KNOWLEDGE)


def test_stage_by_stage_gives_what_understand_gives() -> None:
    payload = make_pdf([INVOICE_DE_LINES])
    whole = understand(payload, KNOWLEDGE)
    text = read(payload, KNOWLEDGE)
    classification = classify(text, KNOWLEDGE)
    extraction = extract(text, classification.doc_type, KNOWLEDGE)
    assert classification == whole.classification
    assert extraction == whole.extraction
    assert validate(classification.doc_type, extraction) == whole.validation


def test_the_same_invoice_twice_is_a_duplicate_of_the_first() -> None:
    payload = make_pdf([INVOICE_DE_LINES])
    seen = _Seen()
    first = understand(payload, KNOWLEDGE, identity=DocumentIdentity("a", "f" * 64), seen=seen)
    again = understand(payload, KNOWLEDGE, identity=DocumentIdentity("b", "f" * 64), seen=seen)
    assert first.validation.duplicate_of is None
    assert again.validation.duplicate_of == "a"
    assert any("duplicate" in issue.code for issue in again.issues)


def test_extract_as_overrides_the_classified_type() -> None:
    result = understand(make_pdf([INVOICE_DE_LINES]), KNOWLEDGE, extract_as=DocType.RECEIPT)
    assert result.classification.doc_type is DocType.INVOICE
    assert result.extraction.get("invoice_number") is None


def test_dates_are_judged_against_the_day_the_document_arrived() -> None:
    text = read(make_pdf([INVOICE_DE_LINES]), KNOWLEDGE)  # issued 2024-03-03
    extraction = extract(text, DocType.INVOICE, KNOWLEDGE)
    early = validate(DocType.INVOICE, extraction, received=date(2023, 1, 10))
    assert [issue.code for issue in early.issues] == ["issued_after_receipt"]
    assert validate(DocType.INVOICE, extraction, received=date(2024, 3, 4)).issues == ()
