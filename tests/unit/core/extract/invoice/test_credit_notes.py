"""Credit notes: every amount a magnitude, from the page text and from the XML alike."""

from __future__ import annotations

from doclane.core.extract import extract_fields
from doclane.core.model import DocType
from doclane.core.read import read_document
from tests.unit.core.extract.test_extract import CII
from tests.unit.core.pdf_factory import make_pdf

AVOIR_LINES = [
    "Atelier Morvan SARL",
    "3 rue Haute, 35000 Rennes",
    "FACTURE D'AVOIR",
    "N° d'avoir : AV-2024-118",
    "Date : 12/03/2024",
    "Remboursement prestation     1     -218,48     -218,48",
    "Total HT : -218,48 EUR",
    "TVA : -14,99 EUR",
    "Total TTC : -233,47 EUR",
]


def _amounts(extraction: object) -> dict[str, str | None]:
    fields = {f.name: f for f in extraction.fields}  # type: ignore[attr-defined]
    return {name: fields[name].normalized for name in ("total", "net_total", "tax_total")}


def test_printed_minus_signs_are_dropped_from_a_credit_notes_amounts() -> None:
    text = read_document(make_pdf([AVOIR_LINES]))
    extraction = extract_fields(text, DocType.CREDIT_NOTE)
    assert _amounts(extraction) == {"total": "233.47", "net_total": "218.48", "tax_total": "14.99"}
    total = extraction.get("total")
    assert total is not None
    assert total.value.startswith("-")  # as written, kept
    assert all(not (item.amount or "").startswith("-") for item in extraction.line_items)


def test_negative_xml_amounts_of_a_credit_note_agree_with_the_text() -> None:
    negative = (
        CII.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>")
        .replace(b">357.00<", b">-357.00<")
        .replace(b">300.00<", b">-300.00<")
        .replace(b">57.00<", b">-57.00<")
    )
    text = read_document(make_pdf([AVOIR_LINES], attachments={"factur-x.xml": negative}))
    from_xml = extract_fields(text, DocType.CREDIT_NOTE)
    assert _amounts(from_xml) == {"total": "357.00", "net_total": "300.00", "tax_total": "57.00"}


def test_an_invoice_keeps_its_signs() -> None:
    lines = [line.replace("FACTURE D'AVOIR", "FACTURE") for line in AVOIR_LINES]
    extraction = extract_fields(read_document(make_pdf([lines])), DocType.INVOICE)
    assert _amounts(extraction)["total"] == "-233.47"
