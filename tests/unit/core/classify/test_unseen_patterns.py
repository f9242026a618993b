"""Classification of layouts the dev corpus lacks: SaaS and shop invoices, CVs, bank
statements without a title, and invoices in ES, IT and NL."""

from __future__ import annotations

import pytest

from doclane.core.classify.classifier import classify_document
from doclane.core.model import DocType, DocumentText, Page, TextLine
from doclane.core.review import ReviewPolicy


def _text(body: str) -> DocumentText:
    lines = tuple(TextLine(line.strip()) for line in body.strip().splitlines() if line.strip())
    return DocumentText(pages=(Page(1, lines),), engine="test")


_SAAS_RECEIPT_STYLE = """Receipt from Cloudly, Inc.
Receipt #2231-8841
Invoice number 4F2A91C3-0007
Amount paid $20.00
Date paid August 3, 2024
Payment method Visa - 4242
Pro plan 1 $20.00
Total $20.00"""

_SHOP = """Widget Store Ltd
Order 112-443
Invoice
Sold by: Widget Store Ltd
Billed to: Jane Doe
Item Qty Price
USB cable 2 9.99
Subtotal 19.98
Amount paid 19.98"""

_CV = """Jane Doe
Software Engineer
jane@example.com | +1 555 0100
Professional experience
Senior Engineer, Acme Corp 2019 - present
Led change management for 12 teams
Member of the architecture board
Education
BSc Computer Science 2011 - 2015
Skills
Python, Go, Kafka, SQL
Languages
English, German"""

_CV_ES = """María López
Experiencia profesional
Analista, Banco Sur 2018 - 2023
Formación académica
Grado en Economía
Habilidades
Excel, SQL
Idiomas
Español, Inglés"""

_UNTITLED_STATEMENT = """Northwind Bank
Account holder: John Smith
Date Details Paid out Paid in Balance
01 Mar Balance brought forward 1,000.00
03 Mar Card payment 45.20 954.80
05 Mar Salary ACME LTD 2,500.00 3,454.80
10 Mar Electric Co 80.00 3,374.80
12 Mar ATM withdrawal 100.00 3,274.80"""

_STATEMENT_NL = """ING Bank
Rekeningoverzicht
IBAN NL91 ABNA 0417 1643 00
Datum Omschrijving Af Bij Saldo
01-03-2024 Beginsaldo 1.000,00
03-03-2024 Albert Heijn 45,20 954,80
31-03-2024 Eindsaldo 954,80"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (_SAAS_RECEIPT_STYLE, DocType.INVOICE),
        (_SHOP, DocType.INVOICE),
        (_UNTITLED_STATEMENT, DocType.BANK_STATEMENT),
        (_STATEMENT_NL, DocType.BANK_STATEMENT),
        (
            "Factura\nNúmero de factura F-2024-001\nFecha de factura 12/03/2024\n"
            "Base imponible 100,00\nIVA 21% 21,00\nTotal 121,00 €",
            DocType.INVOICE,
        ),
        (
            "Fattura\nNumero fattura 12/2024\nData fattura 12/03/2024\n"
            "Imponibile 100,00\nIVA 22% 22,00\nTotale 122,00 €",
            DocType.INVOICE,
        ),
        (
            "Factuur\nFactuurnummer 2024-001\nFactuurdatum 12-03-2024\nBTW 21% 21,00\n"
            "Totaal 121,00 €",
            DocType.INVOICE,
        ),
        ("Nota de crédito\nFactura rectificativa R-12\nTotal -50,00 €", DocType.CREDIT_NOTE),
        ("Estratto conto\nSaldo iniziale 1.000,00\nSaldo finale 1.200,00", DocType.BANK_STATEMENT),
        (
            "Scontrino\nCaffè 1,20\nAcqua 0,80\nTotale 2,00\nContanti 5,00\nResto 3,00",
            DocType.RECEIPT,
        ),
        ("Orden de compra\nPedido n.º 77\nTotal 80,00 €", DocType.PURCHASE_ORDER),
    ],
)
def test_unseen_layouts_get_their_type_above_the_review_threshold(
    body: str, expected: DocType
) -> None:
    classification = classify_document(_text(body))
    assert classification.doc_type is expected
    assert classification.confidence >= ReviewPolicy().type_confidence


@pytest.mark.parametrize("body", [_CV, _CV_ES])
def test_a_cv_is_other_and_never_a_confident_receipt(body: str) -> None:
    classification = classify_document(_text(body))
    assert classification.doc_type is DocType.OTHER
    assert classification.scores["receipt"] < ReviewPolicy().type_confidence


def test_dated_invoice_rows_without_a_balance_are_not_a_statement() -> None:
    body = (
        "Invoice\nInvoice number 88\n"
        "01/03 Consulting 2 100.00 200.00\n02/03 Consulting 1 100.00 100.00\n"
        "03/03 Consulting 3 100.00 300.00\n04/03 Consulting 1 100.00 100.00\nTotal 700.00"
    )
    assert classify_document(_text(body)).doc_type is DocType.INVOICE
