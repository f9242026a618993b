"""Currency conversion and duplicate keys: plain functions over plain data."""

from __future__ import annotations

from doclane.core.model import DocType, ExtractedField, Extraction, Provenance
from doclane.core.validate.duplicates import business_key, duplicate_issues


def _extraction(**values: str) -> Extraction:
    return Extraction(
        fields=tuple(
            ExtractedField(name, value, value, 0.9, Provenance("text", 1, 0))
            for name, value in values.items()
        )
    )


class DictRegistry:
    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}

    def first_seen(self, kind: str, key: str, document_id: str) -> str:
        return self.first.setdefault((kind, key), document_id)


def test_business_key_ignores_case_spacing_and_legal_form() -> None:
    one = business_key(
        DocType.INVOICE,
        _extraction(vendor_name="ACME GmbH", invoice_number="inv 42", total="10.00"),
    )
    two = business_key(
        DocType.INVOICE,
        _extraction(vendor_name="Acme", invoice_number="INV42", total="10.00"),
    )
    assert one is not None
    assert one == two
    assert business_key(DocType.INVOICE, _extraction(vendor_name="Acme", total="10.00")) is None
    assert (
        business_key(
            DocType.CONTRACT, _extraction(vendor_name="Acme", invoice_number="1", total="1.00")
        )
        is None
    )


def test_duplicates_name_the_first_document_and_a_replay_is_not_one() -> None:
    registry = DictRegistry()
    invoice = _extraction(vendor_name="Acme", invoice_number="7", total="5.00")
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="a", sha256="h1", registry=registry
    )
    assert (issues, duplicate_of) == ((), None)
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="a", sha256="h1", registry=registry
    )
    assert (issues, duplicate_of) == ((), None)  # the same document again: a retry, not a duplicate
    issues, duplicate_of = duplicate_issues(
        DocType.INVOICE, invoice, document_id="b", sha256="h2", registry=registry
    )
    assert duplicate_of == "a"
    assert [i.code for i in issues] == ["duplicate_document"]
    assert "a" in issues[0].message
