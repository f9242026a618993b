"""Realistic sample documents with ground-truth labels in the corpus format.

`generate_document` makes one document from a random generator;
`iter_documents` makes a reproducible stream of them in memory. Document `i`
of seed `s` depends only on `(s, i)`, so a stream's prefix never changes when
more documents are asked for.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from doclane.samples.business import (
    BUSINESS_KINDS,
    business_label,
    make_business_document,
)
from doclane.samples.contracts import contract_label, make_contract, render_contract_pdf
from doclane.samples.exceptions import SampleRequestError
from doclane.samples.layouts import LAYOUTS, item_count_for_pages, render_business_pdf
from doclane.samples.other_documents import (
    make_bank_statement,
    make_other_document,
    render_other_pdf,
)
from doclane.samples.receipts import make_receipt

GENERATOR = "doclane.samples/1"
# Default mix of kinds, in percent.
KIND_WEIGHTS = {
    "invoice": 40,
    "credit_note": 10,
    "receipt": 25,
    "purchase_order": 15,
    "contract": 10,
    "bank_statement": 3,
    "other": 7,  # letters, CVs, reports, quotations, delivery notes, reminders, ...
}
KINDS = tuple(KIND_WEIGHTS)
_MULTI_PAGE_INVOICES = 0.25
_PDF = "application/pdf"
_TEXT = "text/plain"


@dataclass(frozen=True)
class GeneratedDocument:
    """One sample: its bytes, and the label an extractor should reproduce."""

    filename: str
    content_type: str
    payload: bytes
    label: dict[str, Any]
    kind: str


def generate_document(
    kind: str,
    rng: random.Random,
    *,
    index: int = 0,
    pages: int | None = None,
    seed: int | None = None,
) -> GeneratedDocument:
    """One document of `kind` drawn from `rng`.

    `pages` asks for that many pages (invoices, orders, contracts; other kinds ignore it);
    `seed` is only recorded in the label, to say how to make the document again.
    """
    if kind not in KIND_WEIGHTS:
        raise SampleRequestError(f"unknown document kind {kind!r}; expected one of {KINDS}")
    if pages is not None and pages < 1:
        raise SampleRequestError(f"pages must be at least 1, got {pages}")
    raw = {"generator": GENERATOR, "seed": seed, "index": index}
    if kind in BUSINESS_KINDS:
        return _business(kind, rng, index, pages, raw)
    if kind == "receipt":
        return _receipt(rng, index, raw)
    if kind in ("bank_statement", "other"):
        return _other(kind, rng, index, raw)
    return _contract(rng, index, pages, raw)


def _business(
    kind: str, rng: random.Random, index: int, pages: int | None, raw: dict[str, Any]
) -> GeneratedDocument:
    layout = rng.choice(tuple(LAYOUTS))
    if pages is None:
        multi = kind == "invoice" and rng.random() < _MULTI_PAGE_INVOICES
        pages = rng.choice((2, 2, 2, 3)) if multi else 1
    doc = make_business_document(kind, item_count_for_pages(layout, pages, rng), rng)
    payload = render_business_pdf(doc, layout, rng)
    fields, line_items = business_label(doc)
    raw |= {
        "layout": layout,
        "language": doc.language,
        "pages": pages,
        "vendor_id": doc.vendor.vendor_id,
        "vendor_name_variant": doc.vendor.name_variant,
        "date_style": doc.date_style,
        "money_style": doc.money_style,
    }
    if doc.iban:
        raw["iban"] = doc.iban
    label = _label(kind, fields, raw, line_items=line_items)
    return GeneratedDocument(f"{kind}_{index:06d}.pdf", _PDF, payload, label, kind)


def _receipt(rng: random.Random, index: int, raw: dict[str, Any]) -> GeneratedDocument:
    receipt = make_receipt(rng)
    raw |= {"layout": receipt.layout, "language": receipt.language}
    if receipt.sroie:
        raw["sroie"] = receipt.sroie
    label = _label("receipt", receipt.fields, raw, line_items=receipt.line_items)
    payload = receipt.text.encode("utf-8")
    return GeneratedDocument(f"receipt_{index:06d}.txt", _TEXT, payload, label, "receipt")


def _contract(
    rng: random.Random, index: int, pages: int | None, raw: dict[str, Any]
) -> GeneratedDocument:
    contract = make_contract(rng)
    payload = render_contract_pdf(contract, rng, pages)
    fields, parties = contract_label(contract)
    raw |= {"layout": "prose", "language": contract.language}
    raw["vendor_id"] = contract.parties[0].vendor_id
    label = _label("contract", fields, raw, parties=parties)
    return GeneratedDocument(f"contract_{index:06d}.pdf", _PDF, payload, label, "contract")


def _other(kind: str, rng: random.Random, index: int, raw: dict[str, Any]) -> GeneratedDocument:
    """A bank statement or a document of a kind outside the taxonomy; labelled by type only."""
    document = make_bank_statement(rng) if kind == "bank_statement" else make_other_document(rng)
    raw |= {"layout": document.kind, "language": document.language}
    label = _label(kind, {}, raw)
    return GeneratedDocument(
        f"{kind}_{index:06d}.pdf", _PDF, render_other_pdf(document), label, kind
    )


def _label(
    doc_type: str,
    fields: dict[str, str],
    raw: dict[str, Any],
    *,
    line_items: list[dict[str, str]] | None = None,
    parties: list[str] | None = None,
) -> dict[str, Any]:
    label: dict[str, Any] = {"doc_type": doc_type, "fields": fields}
    if line_items is not None:
        label["line_items"] = line_items
    if parties is not None:
        label["parties"] = parties
    label["raw"] = raw
    label["notes"] = "generated"
    return label


def document_rng(seed: int, index: int) -> random.Random:
    """The random generator of document `index` in the stream of `seed`."""
    # Not for security: reproducible sample content.
    return random.Random(f"doclane.samples:{seed}:{index}")  # noqa: S311


def iter_documents(
    count: int,
    *,
    seed: int = 0,
    kinds: Sequence[str] | None = None,
    single_page: bool = False,
) -> Iterator[GeneratedDocument]:
    """`count` documents, reproducible from `seed`, in the default mix of kinds or `kinds`."""
    if count < 0:
        raise SampleRequestError(f"count must not be negative, got {count}")
    chosen = tuple(kinds) if kinds else KINDS
    unknown = sorted(set(chosen) - set(KIND_WEIGHTS))
    if unknown:
        raise SampleRequestError(f"unknown document kinds {unknown}; expected some of {KINDS}")
    weights = [KIND_WEIGHTS[kind] for kind in chosen]
    for index in range(count):
        rng = document_rng(seed, index)
        kind = rng.choices(chosen, weights=weights)[0]
        yield generate_document(kind, rng, index=index, pages=1 if single_page else None, seed=seed)
