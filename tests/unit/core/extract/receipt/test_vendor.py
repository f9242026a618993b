"""The shop's name at the top of a till slip."""

from __future__ import annotations

import pytest

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine


def _vendor(*lines: str) -> ExtractedField | None:
    text = DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="text")
    return extract_fields(text, DocType.RECEIPT).get("vendor_name")


def _name(*lines: str) -> str | None:
    found = _vendor(*lines, "TAX INVOICE", "TOTAL 12.00")
    return found.normalized if found else None


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        # a legal form names the issuer, under a name written on the slip above it
        (("ALICE TAN", "GOLDEN LEAF TRADING SDN BHD (123456-K)", "(CO.REG : 933109-X)",
          "NO 12 JALAN MERANTI 3"), "GOLDEN LEAF TRADING SDN BHD"),
        # ... and under the brand of the outlet
        (("KOPI KING", "MAJU FOODS SDN BHD", "(765432-W)", "LOT 5 JALAN SAGU"),
         "MAJU FOODS SDN BHD"),
        # OCR broke the name: the legal form's line alone names no one
        (("SRI MURNI BOOK", "CO. (M) SDN BHD", "(123456-K)", "NO 8 JALAN 7"),
         "SRI MURNI BOOK CO. (M) SDN BHD"),
        (("BOON HUAT HARDWARE", "ENTERPRISE (SETIA", "ALAM) SDN BHD", "821234-X"),
         "BOON HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"),
        (("THE COFFEE HOUSE &", "TEA ROOM (M) SDN BHD", "NO 3 JALAN MEWAH"),
         "THE COFFEE HOUSE & TEA ROOM (M) SDN BHD"),
        # the owner's lead-in, the number and a remark after the legal form are dropped
        (("BAKERY CORNER", "OWNED BY: LIAN HENG SDN BHD 765432-W", "NO 3 JALAN MEWAH"),
         "LIAN HENG SDN BHD"),
        (("KIM ANN RETAIL S/B (306295-X) (FKA KIM STORES S/B)", "NO 9 JALAN 16/11"),
         "KIM ANN RETAIL S/B"),
        # without a legal form: a registration number on the name's line
        (("TAN AH KOW", "SENG HUAT TRADING (001904043-H)", "22 TAMAN HIJAU"),
         "SENG HUAT TRADING"),
        # a trade name breaks off at "&" or goes on with generic words
        (("HOME BASE HARDWARE &", "ELECTRICAL", "NO.113G JALAN SETIA"),
         "HOME BASE HARDWARE & ELECTRICAL"),
        (("KOPITIAM AH WAH", "12 LORONG 5"), "KOPITIAM AH WAH"),
        (("AH HOCK ELECTRIC", "TRADING", "002458685-T", "13-1 DATARAN"), "AH HOCK ELECTRIC TRADING"),
        # OCR's misreadings of the Malaysian legal form are normalised (the value stays as read)
        (("MEI LING BOOKS SDN BND", "NO 5 JALAN 3"), "MEI LING BOOKS SDN BHD"),
        (("SUBANG CARE SDN", "1118258-K", "B-8 JALAN 2"), "SUBANG CARE SDN BHD"),
        # European shops
        (("Nordlicht Backstube GmbH", "Hauptstraße 12", "10115 Berlin"),
         "Nordlicht Backstube GmbH"),
        (("BOULANGERIE DU MARCHÉ", "12 rue de la Paix", "75002 Paris"), "BOULANGERIE DU MARCHÉ"),
        (("THE BOOK SHOP LTD", "Station Road", "Reading RG1 1AA"), "THE BOOK SHOP LTD"),
        (("CAFE CENTRAL", "HOSTELERIA DEL SOL S.L.", "Calle Mayor 15"), "HOSTELERIA DEL SOL S.L."),
    ],
)  # fmt: skip
def test_the_vendor_name_is_read_from_the_header(lines: tuple[str, ...], name: str) -> None:
    assert _name(*lines) == name


def test_the_value_keeps_what_was_printed() -> None:
    found = _vendor("MEI LING BOOKS SDN BND", "TOTAL 1.00")
    assert found is not None
    assert found.value == "MEI LING BOOKS SDN BND"


def test_greetings_titles_and_numbers_are_never_the_name() -> None:
    assert _name("WELCOME TO OUR SHOP", "TAX INVOICE", "3180303", "KEDAI EMAS MUTIARA") == (
        "KEDAI EMAS MUTIARA"
    )


def test_the_confidence_says_how_the_name_was_found() -> None:
    legal = _vendor("ALICE TAN", "GOLDEN LEAF SDN BHD", "TOTAL 1.00")
    guessed = _vendor("KOPITIAM AH WAH", "TOTAL 1.00")
    assert legal is not None
    assert guessed is not None
    assert legal.confidence > guessed.confidence
    assert legal.provenance.line == 2
