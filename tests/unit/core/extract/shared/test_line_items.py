"""Item-table rows from text layers: other languages, column orders, wrapped descriptions."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, Page, TextLine
from doclane.core.read import read_document

_HEAD = ["Nordlicht Handel GmbH", "Hafenstraße 3, 20457 Hamburg", "Invoice no: 2024-71"]


def _items(lines: list[str]) -> list[tuple[str | None, str | None, str | None, str | None]]:
    text = DocumentText(pages=(Page(1, tuple(map(TextLine, _HEAD + lines))),), engine="test")
    extraction = extract_fields(text, DocType.INVOICE)
    return [(i.description, i.quantity, i.unit_price, i.amount) for i in extraction.line_items]


@pytest.mark.parametrize(
    "header",
    [
        "Descripción            Cantidad   Precio unitario   Importe",
        "Descrizione            Quantità   Prezzo unitario   Importo",
        "Omschrijving           Aantal     Prijs             Bedrag",
        "Désignation            Qté        Prix unitaire     Montant",
    ],
)
def test_a_table_headed_in_another_language_keeps_a_row_that_does_not_multiply_out(
    header: str,
) -> None:
    rows = [header, "Servicio técnico         1,5        40,00             62,50", "Total  62,50"]
    assert _items(rows) == [("Servicio técnico", None, None, "62.50")]


def test_a_description_wrapped_over_lines_is_joined_to_its_row() -> None:
    rows = [
        "Item                          Qty      Rate       Amount",
        "Website redesign project      1        2,500.00   2,500.00",
        "including responsive layout",
        "Hosting (12 months)           12       25.00      300.00",
        "Subtotal                                          2,800.00",
    ]
    assert _items(rows) == [
        ("Website redesign project including responsive layout", "1", "2500.00", "2500.00"),
        ("Hosting (12 months)", "12", "25.00", "300.00"),
    ]


def test_a_row_of_codes_and_units_takes_its_description_from_the_line_under_it() -> None:
    rows = [
        "GTIN Art-Nr Menge Einheit Nettopreis MwSt-% Nettowert",
        "4123456000014 ZS997 100,0000 Stk. 1,0000   19,0 100,00",
        "Zitronensäure 100ml",
        "4123456000021 GZ250 50,0000 Stk. 1,4500   7,0 72,50",
        "Gelierzucker Extra 250g",
        "Nettobetrag 172,50",
    ]
    assert _items(rows) == [
        ("Zitronensäure 100ml", "100", "1.00", "100.00"),
        ("Gelierzucker Extra 250g", "50", "1.45", "72.50"),
    ]


def test_price_before_quantity_and_a_vat_column_still_multiply_out() -> None:
    rows = [
        "Description                 Unit Price    Quantity    VAT %    Total",
        "Smoked salmon fillet 1 kg     24.00          5        20%     120.00",
        "Net total                                                     120.00",
    ]
    assert _items(rows) == [("Smoked salmon fillet 1 kg", "5", "24.00", "120.00")]


def test_a_quantity_printed_with_three_decimals_multiplies_out() -> None:
    rows = [
        "Bezeichnung              Menge     Einzelpreis    Gesamt",
        "Heizöl extra leicht      2,500     0,90           2,25",
        "Summe                                             2,25",
    ]
    assert _items(rows) == [("Heizöl extra leicht", "2.5", "0.90", "2.25")]


def test_an_unruled_pdf_table_with_columns_in_another_order() -> None:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    rows = [
        [(15, "Elektro Hansen GmbH")],
        [(15, "Industriestrasse 7, 74072 Heilbronn")],
        [(15, "Rechnungsnummer: 4711")],
        [(15, "Beschreibung"), (100, "Einzelpreis"), (130, "Menge"), (150, "MwSt."), (175, "Betrag")],
        [(15, "Wartung der Heizungsanlage"), (100, "85,00"), (130, "2"), (150, "19 %"), (175, "170,00")],
        [(15, "inklusive Filterwechsel")],
        [(15, "Anfahrt"), (100, "35,50"), (130, "1"), (150, "19 %"), (175, "35,50")],
        [(15, "Summe netto"), (175, "205,50")],
    ]  # fmt: skip
    for number, row in enumerate(rows):
        for x, text in row:
            pdf.text(x, 20 + 5 * number, text)
    text = read_document(bytes(pdf.output()))
    items = extract_fields(text, DocType.INVOICE).line_items
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in items] == [
        ("Wartung der Heizungsanlage inklusive Filterwechsel", "2", "85.00", "170.00"),
        ("Anfahrt", "1", "35.50", "35.50"),
    ]


def test_a_quantity_with_its_unit_attached_multiplies_out_but_a_weight_in_a_name_does_not() -> None:
    rows = [
        "Description              Qty     Rate       Amount",
        "Consulting               8h      95.00      760.00",
        "Gelierzucker Extra 250g  2       1.45       2.90",
        "Total                                      762.90",
    ]
    assert _items(rows) == [
        ("Consulting", "8", "95.00", "760.00"),
        ("Gelierzucker Extra 250g", "2", "1.45", "2.90"),
    ]
