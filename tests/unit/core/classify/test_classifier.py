from __future__ import annotations

import math
from pathlib import Path

import pytest

from doclane.core.classify.classifier import classify_document
from doclane.core.classify.keywords import KEYWORDS, OTHER_KEYWORDS
from doclane.core.model import DocType, DocumentText, Page, TextLine
from doclane.core.normalize import normalize_text
from doclane.core.read import read_document
from doclane.samples import iter_documents
from tests.paths import CORE_GOLDEN


def _text(body: str) -> DocumentText:
    lines = tuple(TextLine(line.strip()) for line in body.strip().splitlines() if line.strip())
    return DocumentText(pages=(Page(1, lines),), engine="test")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "ACME Ltd\nINVOICE\nInvoice No: 17\nInvoice date: 1 May 2024\nTotal due 120.00",
            DocType.INVOICE,
        ),
        (
            "Muster GmbH\nRechnung\nRechnungsnummer 4711\nRechnungsdatum 01.02.2024\nGesamtbetrag 99,00 EUR",
            DocType.INVOICE,
        ),
        (
            "Dupont SARL\nFACTURE\nNuméro de facture 12\nTotal TTC 240,00 €\nTVA 40,00",
            DocType.INVOICE,
        ),
        (
            "Muster GmbH\nGutschrift\nGutschrift Nr. 5 zur Rechnung 4711\nBetrag -20,00 EUR",
            DocType.CREDIT_NOTE,
        ),
        ("Dupont SARL\nFacture d'avoir\nAvoir n° 3\nMontant -50,00 €", DocType.CREDIT_NOTE),
        (
            "PURCHASE ORDER\nPO Number 8812\nShip to: Plant 2\nShip via: Ground\nTotal 400.00",
            DocType.PURCHASE_ORDER,
        ),
        ("Bon de commande\nCommande n° 77\nTotal 80,00 €", DocType.PURCHASE_ORDER),
        (
            "KEDAI ABC\nCASH RECEIPT\nCASHIER: ALI\nTEA 2.00\nCAKE 3.50\nTOTAL 5.50\nCASH 10.00\nCHANGE 4.50\nTHANK YOU",
            DocType.RECEIPT,
        ),
        (
            "Bäckerei Korn\nKassenbon\nBrötchen 0,45\nKaffee 2,10\nSumme 2,55\nBar 5,00\nRückgeld 2,45",
            DocType.RECEIPT,
        ),
        (
            "Hausbank AG\nKontoauszug Nr. 3\nAlter Kontostand 1.000,00\nNeuer Kontostand 1.250,00",
            DocType.BANK_STATEMENT,
        ),
        (
            "SUPPLY AGREEMENT\nThis Agreement is made between the parties hereinafter named.\n"
            "WHEREAS the Supplier produces goods;\nThe parties hereby agree as follows.\n"
            "This Agreement shall be governed by the laws of Delaware.\nIN WITNESS WHEREOF the parties sign.",
            DocType.CONTRACT,
        ),
        (
            "Mietvertrag\nzwischen den Vertragspartnern\n§ 1 Mietsache\n§ 2 Kündigung\nGerichtsstand ist Berlin.",
            DocType.CONTRACT,
        ),
    ],
)
def test_business_documents_get_their_type(body: str, expected: DocType) -> None:
    classification = classify_document(_text(body))
    assert classification.doc_type is expected
    assert classification.confidence >= 0.6


@pytest.mark.parametrize(
    "body",
    [
        "Dear Ms. Patel,\nThank you for your letter about the garden.\nKind regards,\nJonas",
        "CURRICULUM VITAE\nJane Doe\nWork experience\n2019-2023 Analyst\nEducation\nMSc Statistics",
        "Quarterly report\nExecutive summary\nRevenue grew in the north region.\nIntroduction",
        "TRADE CONFIRMATION\nWe confirm the following trade.\nSecurity XYZ\nQuantity 100",
        "Meeting notes\nThe total attendance was twelve.",
    ],
)
def test_weak_evidence_is_other(body: str) -> None:
    classification = classify_document(_text(body))
    assert classification.doc_type is DocType.OTHER


def test_passing_mention_of_invoice_is_not_confident() -> None:
    classification = classify_document(
        _text("Hello team,\nthe invoice will follow next week.\nBest")
    )
    assert classification.doc_type is DocType.OTHER
    assert classification.scores["invoice"] < 0.5


def test_scores_are_a_distribution_over_every_type() -> None:
    scores = classify_document(_text("Invoice\nTotal 10.00")).scores
    assert set(scores) == {str(doc_type) for doc_type in DocType}
    assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-3)


def test_title_weighs_more_than_body() -> None:
    top = classify_document(_text("Purchase order\n" + "text line\n" * 20 + "invoice"))
    assert top.doc_type is DocType.PURCHASE_ORDER


def test_keyword_table_is_normalised_and_positive() -> None:
    tables = [*KEYWORDS.values(), OTHER_KEYWORDS]
    for table in tables:
        for phrase, weight in table.items():
            assert normalize_text(phrase) == phrase, phrase
            assert 0 < weight <= 5
    assert set(KEYWORDS) == set(DocType) - {DocType.OTHER}


def test_a_type_outside_the_taxonomy_comes_out_as_other_with_its_probability() -> None:
    text = _text(
        "STATEMENT OF ACCOUNT\n"
        "Account number 12345678  Statement period 01.03.2024 - 31.03.2024\n"
        "Opening balance 1,200.00\n"
        "Closing balance 1,450.00"
    )
    everything = classify_document(text)
    assert everything.doc_type is DocType.BANK_STATEMENT
    narrowed = classify_document(text, {DocType.INVOICE, DocType.RECEIPT, DocType.OTHER})
    assert narrowed.doc_type is DocType.OTHER
    assert narrowed.confidence >= everything.confidence
    assert set(narrowed.scores) == {"invoice", "receipt", "other"}


@pytest.mark.parametrize(
    ("first_line", "number_line"),
    [
        ("Maple Leaf Printing Co.   Credit Note", "Credit Note No.:   CN-47072"),
        ("Brandt Holzbau GmbH   Rechnungskorrektur", "Gutschriftsnummer:   AV079572"),
    ],
)
def test_a_credit_note_titled_beside_its_letterhead_is_one_despite_invoice_references(
    first_line: str, number_line: str
) -> None:
    text = DocumentText(
        pages=(
            Page(
                1,
                tuple(
                    TextLine(line)
                    for line in (
                        first_line,
                        "48 Church Lane",
                        number_line,
                        "Invoice Date:   22 July 2024",
                        "Original Invoice:   R62649278",
                        "Invoice To:",
                        "Summit Packaging LLC",
                        "Total   1,037.02",
                    )
                ),
            ),
        ),
        engine="test",
    )
    assert classify_document(text).doc_type is DocType.CREDIT_NOTE


_GOLDEN = CORE_GOLDEN


@pytest.mark.parametrize(
    "path", sorted((_GOLDEN / "outside_taxonomy").glob("*.txt")), ids=lambda path: path.stem
)
def test_documents_outside_the_taxonomy_are_other_never_a_business_type(path: Path) -> None:
    """Letters, CVs, reports, quotations, delivery notes, reminders: `other`, and no business
    type gets enough probability to pass a review threshold."""
    classification = classify_document(read_document(path.read_bytes(), filename=path.name))
    assert classification.doc_type is DocType.OTHER
    business = {t: p for t, p in classification.scores.items() if t != DocType.OTHER}
    assert max(business.values()) < 0.5


@pytest.mark.parametrize(
    "path", sorted((_GOLDEN / "bank_statements").glob("*.txt")), ids=lambda path: path.stem
)
def test_bank_statements(path: Path) -> None:
    classification = classify_document(read_document(path.read_bytes(), filename=path.name))
    assert classification.doc_type is DocType.BANK_STATEMENT


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("QUOTATION", DocType.OTHER),
        ("Angebot Nr. 2024-17", DocType.OTHER),
        ("DEVIS N° D-2024-042", DocType.OTHER),
        ("Lieferschein", DocType.OTHER),
        ("Minutes of the annual general meeting", DocType.OTHER),
    ],
)
def test_titles_of_kinds_outside_the_taxonomy_outweigh_item_tables(
    heading: str, expected: DocType
) -> None:
    body = f"Muster GmbH\n{heading}\nPos Artikel Menge Preis\n1 Stuhl 4 120,00\nTotal 480,00 EUR"
    assert classify_document(_text(body)).doc_type is expected


def test_an_invoice_mentioning_a_quote_or_delivery_note_stays_an_invoice() -> None:
    body = (
        "Muster GmbH\nRECHNUNG\nRechnungsnummer 4711\nLieferschein-Nr. 8812\nQuote ref Q-17\n"
        "Rechnungsdatum 01.02.2024\nGesamtbetrag 99,00 EUR"
    )
    assert classify_document(_text(body)).doc_type is DocType.INVOICE


def test_generated_documents_outside_the_taxonomy() -> None:
    for document in iter_documents(40, seed=3, kinds=["other", "bank_statement"]):
        text = read_document(document.payload, filename=document.filename)
        assert classify_document(text).doc_type == document.label["doc_type"], document.label["raw"]


def test_a_till_printing_tax_invoice_is_a_receipt() -> None:
    body = (
        "KEDAI MAJU\nNO. 5 JALAN BESAR\nTAX INVOICE\nINVOICE NO : 0529\n01/06/2018 18:31\n"
        "CLERK 01\n2X 1.00\n1X 7.80\nSUBTOTAL 9.80\nTTL CASH 10.00\nCHANGE 0.20\nTHANK YOU"
    )
    assert classify_document(_text(body)).doc_type is DocType.RECEIPT


def test_a_b2b_tax_invoice_stays_an_invoice() -> None:
    body = (
        "Cascade Cloud Systems LLC   Tax Invoice\n113 Church Lane\nInvoice #: RE-2020-89860\n"
        "Date: February 27, 2020\nPayment Due: March 12, 2020\nInvoice To:\nSilverline LLC\n"
        "# Item Qty Unit Price Line Total\n1 Cloud hosting 20 177.74 3,554.80\n"
        "2 Installation 10 671.33 6,713.30\nSubtotal 10,268.10\nSales tax 821.45\nTotal 11,089.55"
    )
    assert classify_document(_text(body)).doc_type is DocType.INVOICE
