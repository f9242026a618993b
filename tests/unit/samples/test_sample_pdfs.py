"""The PDFs are real: they open, and their text layer carries the labelled values."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from doclane.samples import GeneratedDocument, generate_document, iter_documents
from doclane.samples.layouts import LAYOUTS, paginate
from doclane.samples.locales import format_date, format_number
from doclane.samples.parties import group_iban


def pdf_pages(payload: bytes) -> list[str]:
    document = pdfium.PdfDocument(payload)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("kind", ["invoice", "credit_note", "purchase_order"])
def test_business_pdfs_show_their_labelled_values_in_the_locale(kind: str) -> None:
    for index in range(25):
        document = generate_document(kind, random.Random(index), index=index)
        text = "\n".join(pdf_pages(document.payload))
        fields, raw = document.label["fields"], document.label["raw"]
        language = raw["language"]
        number = fields.get("invoice_number") or fields["purchase_order_number"]
        assert number in text
        assert format_number(Decimal(fields["total"]), language) in text
        assert format_number(Decimal(fields["net_total"]), language) in text
        issued = format_date(date.fromisoformat(fields["issue_date"]), language, raw["date_style"])
        assert issued in text
        assert fields["vendor_name"] in text
        assert fields["customer_name"] in text
        for line in fields["vendor_address"].split(", ", 1):
            assert line in text
        if "vendor_vat_id" in fields:
            assert fields["vendor_vat_id"] in text
        if "iban" in raw:
            assert group_iban(raw["iban"]) in text


def test_german_and_french_documents_use_their_number_formats() -> None:
    seen = set()
    for index in range(80):
        document = generate_document("invoice", random.Random(index), pages=1)
        language = document.label["raw"]["language"]
        total = Decimal(document.label["fields"]["total"])
        if language == "en" or total < 1000:
            continue
        text = "\n".join(pdf_pages(document.payload))
        printed = format_number(total, language)
        assert ("." in printed) if language == "de" else (" " in printed)
        assert printed.endswith(f",{document.label['fields']['total'][-2:]}")
        assert printed in text
        seen.add(language)
    assert seen == {"de", "fr"}


@pytest.mark.parametrize("pages", [2, 3, 4])
def test_multi_page_invoices_carry_the_subtotal_over(pages: int) -> None:
    for index in range(6):
        rng = random.Random(f"{pages}-{index}")
        document = generate_document("invoice", rng, pages=pages)
        texts = pdf_pages(document.payload)
        assert len(texts) == pages
        fields, raw = document.label["fields"], document.label["raw"]
        assert all(fields["invoice_number"] in text for text in texts)
        assert format_number(Decimal(fields["total"]), raw["language"]) in texts[-1]
        counts = paginate(len(document.label["line_items"]), LAYOUTS[raw["layout"]].first_rows)
        amounts = [Decimal(item["amount"]) for item in document.label["line_items"]]
        for page in range(pages - 1):
            carried = format_number(sum(amounts[: sum(counts[: page + 1])]), raw["language"])
            assert carried in texts[page], f"page {page + 1} does not carry {carried} forward"
            assert carried in texts[page + 1], f"page {page + 2} does not bring {carried} forward"


def test_single_page_mode_keeps_every_pdf_to_one_page() -> None:
    documents = list(iter_documents(60, seed=5, single_page=True))
    pdfs = [document for document in documents if document.content_type == "application/pdf"]
    assert pdfs
    for document in pdfs:
        assert len(pdfium.PdfDocument(document.payload)) == 1, document.filename


def test_contracts_name_title_parties_and_law() -> None:
    for index in range(15):
        document = generate_document("contract", random.Random(index))
        text = " ".join(" ".join(pdf_pages(document.payload)).split())
        fields = document.label["fields"]
        assert fields["title"] in text
        assert fields["governing_law"] in text
        for party in document.label["parties"]:
            assert party in text


def test_receipts_are_text_with_their_values(mixed_documents: list[GeneratedDocument]) -> None:
    receipts = [document for document in mixed_documents if document.kind == "receipt"]
    assert receipts
    for receipt in receipts:
        assert receipt.content_type == "text/plain"
        assert receipt.filename.endswith(".txt")
        text = receipt.payload.decode("utf-8")
        fields = receipt.label["fields"]
        assert fields["vendor_name"] in text
        language = receipt.label["raw"]["language"]
        total = Decimal(fields["total"])
        assert (
            fields["total"] if fields["currency"] == "MYR" else format_number(total, language)
        ) in text
        assert text.count("\n") >= 8
