"""Where the shop is: the address lines under its name."""

from __future__ import annotations

import pytest

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine


def _address_field(*lines: str) -> ExtractedField | None:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return extract_fields(text, DocType.RECEIPT).get("vendor_address")


def _address(*lines: str) -> str | None:
    found = _address_field(*lines, "TAX INVOICE", "TOTAL 12.00")
    return found.normalized if found else None


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        # under the name, past its registration number, up to the contact details
        (("GOLDEN LEAF TRADING SDN BHD", "(CO.REG : 933109-X)", "NO 12, JALAN MERANTI 3",
          "81100 JOHOR BAHRU", "JOHOR", "TEL: 07-3507405"),
         "NO 12, JALAN MERANTI 3 81100 JOHOR BAHRU JOHOR"),
        # a branch line before the address, a web address, and a state line after the postcode
        (("MAJU HOME SDN BHD", "MAJU HOME KEPONG", "WWW.MAJUHOME.EXAMPLE", "LOT 5 JALAN SAGU",
          "TAMAN DAYA", "52100 KUALA LUMPUR", "WILAYAH PERSEKUTUAN", "MALAYSIA",
          "GST ID : 000123456789"),
         "LOT 5 JALAN SAGU TAMAN DAYA 52100 KUALA LUMPUR WILAYAH PERSEKUTUAN MALAYSIA"),
        # an outlet's name under the postcode is no part of the address
        (("SRI MURNI BOOK CO. (M) SDN BHD", "NO 8", "56000 KUALA LUMPUR", "MID VALLEY MALL",
          "GST REG NO : 000123456789"), "NO 8 56000 KUALA LUMPUR"),
        # only a house number and a place survived the OCR
        (("KOPITIAM AH WAH", "(002022599-U)", "19", "BATANG KALI", "03-60570314"),
         "19 BATANG KALI"),
        # the name found below the address: the address is still the one at the top
        (("TAX INVOICE", "PETROL STATION PERMAS 2", "LOT PTD 101051", "JALAN PERMAS 10/10",
          "81750 MASAI", "ESJAY FUEL ENTERPRISE", "CO. REG. NO: 001011128-T"),
         "LOT PTD 101051 JALAN PERMAS 10/10 81750 MASAI"),
        # European addresses
        (("Nordlicht Backstube GmbH", "Hauptstraße 12", "10115 Berlin", "Tel. 030 1234567"),
         "Hauptstraße 12 10115 Berlin"),
        (("BOULANGERIE DU MARCHÉ", "12 rue de la Paix", "75002 Paris", "Tél : 01 23 45 67 89"),
         "12 rue de la Paix 75002 Paris"),
        (("THE BOOK SHOP LTD", "Station Road", "Reading RG1 1AA", "VAT No: GB 220 4302 31"),
         "Station Road Reading RG1 1AA"),
        (("Bäckerei Sonnenschein", "Inh. Maria Keller", "Lindenallee 4", "50667 Köln"),
         "Lindenallee 4 50667 Köln"),
        (("CAFETERIA EL SOL S.L.", "Calle Mayor 15", "28013 Madrid", "CIF B12345678"),
         "Calle Mayor 15 28013 Madrid"),
    ],
)  # fmt: skip
def test_the_address_is_read_under_the_name(lines: tuple[str, ...], address: str) -> None:
    assert _address(*lines) == address


def test_a_slip_without_an_address_has_none() -> None:
    assert _address("KOPITIAM AH WAH", "TABLE 5", "CASHIER: SITI") is None


def test_an_address_with_a_postcode_is_surer_than_one_without() -> None:
    with_postcode = _address_field("SHOP SDN BHD", "NO 1 JALAN SAGU", "81100 JOHOR BAHRU", "TEL")
    without = _address_field("SHOP SDN BHD", "19", "BATANG KALI", "TEL: 03-60570314")
    assert with_postcode is not None
    assert without is not None
    assert with_postcode.confidence > without.confidence
    assert with_postcode.provenance.line == 2
