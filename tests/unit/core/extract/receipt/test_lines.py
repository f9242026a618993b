"""The header vocabulary of till slips, tested as data: each pattern on invented lines."""

from __future__ import annotations

import re

import pytest

from doclane.core.extract.receipt.lines import (
    BOILERPLATE,
    CONTACT,
    GENERIC_NAME_WORD,
    LEGAL_FORM,
    OWNER_PREFIX,
    POSTCODE,
    REGION,
    REGISTRATION,
    SALE_DETAIL,
    TRADE_WORD,
    is_identifier_line,
)

CASES: dict[str, tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]]] = {
    # name: (pattern, lines it must find, lines it must not)
    "legal form": (
        LEGAL_FORM,
        ("GOLDEN LEAF TRADING SDN BHD", "MAJU JAYA SDN. BHD.", "KEDAI EMAS S/B",
         "Nordlicht Bürotechnik GmbH", "Müller GmbH & Co. KG", "Siemens AG", "Acme Ltd",
         "The Book Shop Limited", "Widget Inc.", "BIG MART BERHAD", "ACME (M) SDN"),
        ("BERAS 5 KG", "BANDAR BARU", "CASH BILL", "SUBANG JAYA", "AG 12"),
    ),
    "trade word": (
        TRADE_WORD,
        ("SRI MURNI HARDWARE", "KOPI CAFE", "Bäckerei Schmidt", "Boulangerie Martin",
         "LIAN HENG TRADING", "FIVE STAR CASH & CARRY"),
        ("TAN AH KOW", "NO 12 JALAN MERANTI"),
    ),
    "registration": (
        REGISTRATION,
        ("(CO. REG : 933109-X)", "519537-X", "(002107265-V)", "CO-REG:860671-D",
         "COMPANY REG NO. :75495-W", "ROC NO. : (1072825-A)", "<484297-M>"),
        ("TAMAN DAYA", "TOTAL 12.50"),
    ),
    "contact": (
        CONTACT,
        ("TEL: 07-3507405", "FAX : 03-3271 9481", "Tél : 01 23 45 67 89", "WWW.SHOP.COM.MY",
         "ORDERS@SHOP.EXAMPLE", "03-3279 1851", "HOTLINE 1800 88 1231"),
        ("NO 12 JALAN MERANTI", "81100 JOHOR BAHRU"),
    ),
    "sale detail": (
        SALE_DETAIL,
        ("TAX INVOICE", "CASHIER: SITI", "DATE : 12/03/2019", "TABLE 12", "Kasse 3",
         "CARRY OUT", "TAXINVOICE"),
        ("TAMAN SENTOSA", "GOLDEN LEAF TRADING SDN BHD"),
    ),
    "boilerplate": (
        BOILERPLATE,
        ("THANK YOU", "GOODS SOLD ARE NOT RETURNABLE", "Vielen Dank!", "Merci de votre visite"),
        ("SRI MURNI HARDWARE",),
    ),
    "postcode": (
        POSTCODE,
        ("81100 JOHOR BAHRU", "10115 Berlin", "69002 Lyon", "Reading RG1 1AA"),
        ("NO 1851-A", "TEL 0312345678", "INV 123456"),
    ),
    "state or country line": (
        REGION,
        ("SELANGOR", "JOHOR.", "SELANGOR DARUL EHSAN", "PAHANG DARUL MAKMUR.", "MALAYSIA",
         "W.P. KUALA LUMPUR", "Deutschland"),
        ("IOI MALL", "AMPANG POINT CENTRE", "TAMAN DAYA"),
    ),
    "owner lead-in": (
        OWNER_PREFIX,
        ("OWNED BY: ACME SDN BHD", "DIMILIKI OLEH MAJU SDN BHD", "OPERATED BY ACME LTD"),
        ("OWNER'S CHOICE CAFE",),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_header_pattern_finds_its_lines_and_only_those(name: str) -> None:
    pattern, found, not_found = CASES[name]
    assert [line for line in found if not pattern.search(line)] == []
    assert [line for line in not_found if pattern.search(line)] == []


@pytest.mark.parametrize(
    ("line", "identifier"),
    [
        ("GST ID NO : 001601310720", True),
        ("(GST REG. NO : 000306700288)", True),
        ("COMPANY NO : 1174703-K", True),
        ("UID Nr.: DE123456789", True),
        ("VAT No: GB 220 4302 31", True),
        ("9556939040116", True),  # a lone long number
        ("81100", False),  # a lone postcode is part of the address
        ("NO 12 JALAN MERANTI", False),
    ],
)
def test_identifier_lines_are_told_from_address_lines(line: str, identifier: bool) -> None:
    assert is_identifier_line(line) is identifier


def test_generic_name_words_cannot_name_a_company_alone() -> None:
    assert all(GENERIC_NAME_WORD.fullmatch(word) for word in ("SDN", "BHD", "CO", "TRADING"))
    assert not GENERIC_NAME_WORD.fullmatch("POPULAR")
