"""Vendor and customer names on invoices laid out in many ways and languages."""

from __future__ import annotations

import pytest

from doclane.core.extract import extract_fields
from doclane.core.extract.invoice.parties import looks_like_name, without_address
from doclane.core.model import DocType, DocumentText, Page, TextLine
from doclane.core.read import read_document
from tests.unit.core.pdf_factory import make_pdf

_TAIL = (
    "Invoice number: 2024-0117",
    "Invoice date: 12.03.2024",
    "Description                 Qty     Price     Amount",
    "Consulting                    2     50.00     100.00",
    "Total: 119.00 EUR",
)


def _parties(lines: list[str], *, pdf: bool) -> tuple[str | None, str | None]:
    if pdf:
        text = read_document(make_pdf([[line for line in lines if line]]))
    else:
        text = DocumentText(pages=(Page(1, tuple(map(TextLine, lines))),), engine="test")
    fields = {f.name: f.value for f in extract_fields(text, DocType.INVOICE).fields}
    return fields.get("vendor_name"), fields.get("customer_name")


@pytest.mark.parametrize(
    "caption",
    ["Global number", "Name", "Name:", "Kundennummer", "Customer number", "VAT ID", "Tax ID",
     "Phone", "Numéro de client", "Partita IVA", "Klantnummer", "Company name", "(c) AWV e.V.", "Price",
     "Description Qty Price Amount"],
)  # fmt: skip
def test_a_caption_or_a_copyright_line_is_never_a_party_name(caption: str) -> None:
    assert not looks_like_name(caption)


@pytest.mark.parametrize("pdf", [True, False])
def test_a_caption_in_the_seller_block_is_not_the_vendor(pdf: bool) -> None:
    lines = ["Seller:", "Global number", "Nordlicht Software GmbH", "Hafenweg 3", "20457 Hamburg"]
    vendor, _ = _parties([*lines, *_TAIL], pdf=pdf)
    assert vendor == "Nordlicht Software GmbH"


@pytest.mark.parametrize("pdf", [True, False])
def test_the_value_after_a_name_caption_in_a_block_is_the_name(pdf: bool) -> None:
    lines = [
        "Seller:",
        "Company name: Nordlicht Software GmbH",
        "VAT ID: DE123456789",
        "Buyer:",
        "Name: Bäckerei Krume GmbH",
        "Customer number: 4711",
    ]
    assert _parties([*lines, *_TAIL], pdf=pdf) == ("Nordlicht Software GmbH", "Bäckerei Krume GmbH")


@pytest.mark.parametrize(
    ("heading", "buyer"),
    [
        ("Bill to:", "Harbour Foods Ltd"),
        ("Invoice to:", "Harbour Foods Ltd"),
        ("Rechnungsempfänger:", "Bäckerei Krume GmbH"),
        ("Facturé à :", "Boulangerie Martin SARL"),
        ("Cliente:", "Ferretti Costruzioni S.r.l."),
        ("Facturar a:", "Distribuciones Vega S.L."),
        ("Destinatario:", "Ferretti Costruzioni S.r.l."),
        ("Klant:", "De Vries Installaties B.V."),
        ("Factuuradres:", "De Vries Installaties B.V."),
    ],
)
@pytest.mark.parametrize("pdf", [True, False])
def test_a_buyer_block_printed_first_names_the_customer_not_the_vendor(
    heading: str, buyer: str, pdf: bool
) -> None:
    lines = [
        heading,
        buyer,
        "Kingsway 12",
        "10115 Berlin",
        "",
        "From:",
        "Atlas Print Services Ltd",
        "4 Mill Road",
        "CB1 2AB Cambridge",
    ]
    vendor, customer = _parties([*lines, *_TAIL], pdf=pdf)
    assert vendor == "Atlas Print Services Ltd"
    assert customer == buyer


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Atlas Print Services Ltd, 4 Mill Road, Cambridge CB1 2AB", "Atlas Print Services Ltd"),
        ("Nordlicht Software GmbH Hafenweg 3 20457 Hamburg", "Nordlicht Software GmbH"),
        ("Studio Verde - Via Roma 12 - 20121 Milano", "Studio Verde"),
        ("Harbour Foods Ltd", "Harbour Foods Ltd"),
        ("Smith, Jones and Partners", "Smith, Jones and Partners"),
        ("Verein Muster e.V. 2020", "Verein Muster e.V. 2020"),
    ],
)
def test_an_address_printed_after_the_name_is_cut_off(printed: str, name: str) -> None:
    assert without_address(printed)[0] == name


@pytest.mark.parametrize("pdf", [True, False])
def test_the_vendors_one_line_address_is_not_part_of_its_name(pdf: bool) -> None:
    lines = [
        "Atlas Print Services Ltd, 4 Mill Road, Cambridge CB1 2AB",
        "",
        "Bill to:",
        "Harbour Foods Ltd",
    ]
    vendor, customer = _parties([*lines, *_TAIL], pdf=pdf)
    assert vendor == "Atlas Print Services Ltd"
    assert customer == "Harbour Foods Ltd"


@pytest.mark.parametrize("pdf", [False, True])
def test_the_buyer_block_printed_first_without_a_label_is_the_customer(pdf: bool) -> None:
    lines = [
        "Crescent Foods plc",
        "8 Dock Road",
        "Liverpool L3 4BB",
        "",
        "Brightline Studio Ltd",
        "22 Canal Street",
        "Manchester M1 3HE",
        "Tel. +44 161 555 0100",
        *_TAIL,
    ]
    assert _parties(lines, pdf=pdf) == ("Brightline Studio Ltd", "Crescent Foods plc")


@pytest.mark.parametrize("salutation", ["Herrn", "Mr", "Monsieur", "Dhr."])
def test_an_address_opened_by_a_salutation_names_the_customer(salutation: str) -> None:
    lines = [
        "Stadtwerke Nordheim GmbH",
        "Am Markt 1, 74226 Nordheim",
        salutation,
        "Max Mustermann",
        "Musterstr. 11",
        "12346 Bad Musterhausen",
        *_TAIL,
    ]
    assert _parties(lines, pdf=False) == (
        "Stadtwerke Nordheim GmbH",
        f"{salutation} Max Mustermann",
    )


def test_the_document_title_is_not_part_of_the_vendor_address() -> None:
    lines = ["Suministros Ibéricos S.L.", "Calle Mayor 10, 28013 Madrid", "FACTURA", *_TAIL]
    text = DocumentText(pages=(Page(1, tuple(map(TextLine, lines))),), engine="test")
    fields = {f.name: f.value for f in extract_fields(text, DocType.INVOICE).fields}
    assert fields["vendor_address"] == "Calle Mayor 10, 28013 Madrid"


def test_an_item_row_near_the_top_is_never_taken_for_an_unlabelled_buyer() -> None:
    lines = [
        "Brightline Studio Ltd",
        "22 Canal Street, Manchester M1 3HE",
        "Invoice No: BS-2291",
        "Description              Qty     Rate       Amount",
        "Consulting               8h      95.00      760.00",
        "Workshop materials       3x      12.50       37.50",
        "Total                                      797.50",
    ]
    assert _parties(lines, pdf=False) == ("Brightline Studio Ltd", None)


@pytest.mark.parametrize(
    ("printed", "name", "address"),
    [
        ("Müller Elektro Hauptstraße 5 80331 München", "Müller Elektro", "Hauptstraße 5 80331 München"),
        ("Rossi Ferramenta Via Roma 22 20121 Milano", "Rossi Ferramenta", "Via Roma 22 20121 Milano"),
        ("Brightline Studio 22 Canal Street Manchester M1 3HE", "Brightline Studio",
         "22 Canal Street Manchester M1 3HE"),
        ("Atelier Lumière 12 rue des Lilas 69003 Lyon", "Atelier Lumière", "12 rue des Lilas 69003 Lyon"),
        ("Van Dijk Installatie Kerkstraat 14 3511 LX Utrecht", "Van Dijk Installatie",
         "Kerkstraat 14 3511 LX Utrecht"),
    ],
)  # fmt: skip
def test_an_address_run_on_after_a_name_without_a_separator_is_cut_off(
    printed: str, name: str, address: str
) -> None:
    assert without_address(printed) == (name, (address,))


@pytest.mark.parametrize("printed", ["Straßenbau Meier", "Hotel Via Roma 2000", "Bäckerei Weg 3"])
def test_a_name_with_a_street_word_but_no_address_after_it_stays_whole(printed: str) -> None:
    assert without_address(printed) == (printed, ())
