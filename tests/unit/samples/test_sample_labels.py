"""Labels are in the corpus format and their numbers add up."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from doclane.samples import KINDS, GeneratedDocument, generate_document
from doclane.samples.locales import cents
from doclane.samples.parties import iban_is_valid

BUSINESS_FIELDS = {
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total",
    "net_total",
    "tax_total",
    "vendor_name",
    "vendor_vat_id",
    "vendor_address",
    "customer_name",
    "purchase_order_number",
}
CONTRACT_FIELDS = {
    "title",
    "agreement_date",
    "effective_date",
    "expiration_date",
    "governing_law",
    "term",
}
DATE_FIELDS = {"issue_date", "due_date", "agreement_date", "effective_date", "expiration_date"}
AMOUNT_FIELDS = {"total", "net_total", "tax_total"}
AMOUNT = re.compile(r"^\d+\.\d{2}$")
TAX_RATES = [Decimal(rate) for rate in ("19", "20", "7", "5.5", "8.1", "0")]


def assert_valid_label(document: GeneratedDocument) -> None:
    label = document.label
    assert label["doc_type"] == document.kind
    assert label["notes"] == "generated"
    assert {"generator", "seed", "layout", "language"} <= set(label["raw"])
    fields = label["fields"]
    allowed = CONTRACT_FIELDS if document.kind == "contract" else BUSINESS_FIELDS
    assert set(fields) <= allowed, set(fields) - allowed
    assert all(isinstance(value, str) and value.strip() for value in fields.values())
    for name in DATE_FIELDS & set(fields):
        assert date.fromisoformat(fields[name]).isoformat() == fields[name]
    for name in AMOUNT_FIELDS & set(fields):
        assert AMOUNT.match(fields[name]), (name, fields[name])
    if "currency" in fields:
        assert fields["currency"] in {"EUR", "USD", "GBP", "CHF", "MYR"}
    for item in label.get("line_items", []):
        assert set(item) == {"description", "quantity", "unit_price", "amount"}
        assert AMOUNT.match(item["unit_price"])
        assert AMOUNT.match(item["amount"])
        assert cents(Decimal(item["quantity"]) * Decimal(item["unit_price"])) == Decimal(
            item["amount"]
        )
    if "iban" in label["raw"]:
        assert iban_is_valid(label["raw"]["iban"])
    checks = {
        "invoice": _assert_business,
        "credit_note": _assert_business,
        "purchase_order": _assert_business,
        "receipt": _assert_receipt,
        "contract": _assert_contract,
        "bank_statement": _assert_type_only,
        "other": _assert_type_only,
    }
    checks[document.kind](label)


def _assert_type_only(label: dict) -> None:
    """Kinds the extractor has no fields for are labelled by their type alone."""
    assert label["fields"] == {}
    assert "line_items" not in label


def _assert_business(label: dict) -> None:
    fields = label["fields"]
    required = {"issue_date", "currency", "total", "net_total", "tax_total", "vendor_name"}
    required |= {"customer_name", "vendor_address"}
    number = "purchase_order_number" if label["doc_type"] == "purchase_order" else "invoice_number"
    assert required | {number} <= set(fields)
    net, tax, total = (Decimal(fields[name]) for name in ("net_total", "tax_total", "total"))
    assert sum(Decimal(item["amount"]) for item in label["line_items"]) == net
    assert any(cents(net * rate / 100) == tax for rate in TAX_RATES)
    assert total == net + tax
    if label["doc_type"] == "invoice":
        assert fields["due_date"] > fields["issue_date"]


def _assert_receipt(label: dict) -> None:
    fields = label["fields"]
    assert {"vendor_name", "vendor_address", "issue_date", "total", "currency"} <= set(fields)
    lines = sum(Decimal(item["amount"]) for item in label["line_items"])
    # Malaysian tills round the total to 5 sen.
    assert abs(lines - Decimal(fields["total"])) <= Decimal("0.02")


def _assert_contract(label: dict) -> None:
    fields = label["fields"]
    assert {"title", "agreement_date", "effective_date", "governing_law", "term"} <= set(fields)
    assert re.match(r"^\d+ (years?|months)$", fields["term"])
    assert fields["effective_date"] >= fields["agreement_date"]
    if "expiration_date" in fields:
        assert fields["expiration_date"] > fields["effective_date"]
    assert len(label["parties"]) == 2
    assert all(label["parties"])
    assert "line_items" not in label


def test_every_label_of_a_mixed_stream_is_valid(mixed_documents: list[GeneratedDocument]) -> None:
    for document in mixed_documents:
        assert_valid_label(document)


def test_the_mix_covers_every_kind_language_and_layout(
    mixed_documents: list[GeneratedDocument],
) -> None:
    kinds = {document.kind for document in mixed_documents}
    assert kinds == set(KINDS)
    invoices = [document for document in mixed_documents if document.kind == "invoice"]
    assert {document.label["raw"]["language"] for document in invoices} == {"en", "de", "fr"}
    assert {document.label["raw"]["layout"] for document in invoices} == {
        "classic",
        "modern",
        "din",
        "window",
    }
    assert any(document.label["raw"]["pages"] > 1 for document in invoices)
    currencies = {document.label["fields"].get("currency") for document in mixed_documents}
    assert {"EUR", "USD", "GBP", "CHF", "MYR"} <= currencies


def test_vendors_are_mostly_from_the_master_with_some_strangers(
    mixed_documents: list[GeneratedDocument],
) -> None:
    business = [document for document in mixed_documents if "vendor_id" in document.label["raw"]]
    variants = [document.label["raw"].get("vendor_name_variant") for document in business]
    known = sum(document.label["raw"]["vendor_id"] is not None for document in business)
    assert 0.6 < known / len(business) < 0.95
    assert "unlisted" in variants
    assert {"upper", "transliterated", "legal_form", "typo"} & set(variants)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), kind=st.sampled_from(KINDS))
def test_any_seed_gives_a_valid_label(seed: int, kind: str) -> None:
    document = generate_document(kind, random.Random(seed), pages=None)
    assert_valid_label(document)
