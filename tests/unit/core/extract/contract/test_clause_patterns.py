"""How real contracts state their end, their parties and their law: one invented passage per
pattern, each a way of writing the clause seen across many filings, not one document."""

from __future__ import annotations

import pytest

from doclane.core.extract import extract_fields
from doclane.core.extract.contract.jurisdictions import (
    JURISDICTIONS,
    find_jurisdiction,
    is_jurisdiction,
)
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine

_OPENING = "This Agreement is made as of January 10, 2018 by and between Acme Inc. and Beta LLC."


def _extracted(*lines: str) -> tuple[ExtractedField, ...]:
    page = Page(1, tuple(TextLine(line) for line in lines))
    return extract_fields(DocumentText(pages=(page,), engine="test"), DocType.CONTRACT).fields


def _fields(*lines: str) -> dict[str, str]:
    return {f.name: f.normalized or f.value for f in _extracted(*lines) if f.name != "party"}


def _parties(*lines: str) -> list[str]:
    return [f.value for f in _extracted(*lines) if f.name == "party"]


# -- expiration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expires"),
    [
        ("The term of this Agreement shall be five (5) years commencing on the Effective Date "
         '(the "Initial Term"). It shall automatically renew for one (1) year terms.', "2023-01-10"),
        ("This Agreement shall have an initial term of 36 months beginning on the Effective Date.",
         "2021-01-10"),
        ("This Agreement shall be effective until the earlier of (a) its termination in accordance "
         "with Article 14 or (b) the date that is two (2) years after the date of this Agreement.",
         "2020-01-10"),
        ("This Agreement shall continue in effect through and including December 31, 2019.",
         "2019-12-31"),
        ("This Agreement shall be for a term of three (3) years from the Effective Date.",
         "2021-01-10"),
        ("Term. This Agreement shall commence on the Effective Date and expire on June 30, 2022.",
         "2022-06-30"),
        ("The term of this Agreement is twelve (12) months from the date hereof, and will be "
         "automatically renewed unless either party notifies the other.", "2019-01-10"),
        ('"Initial Term" means the period commencing on the Effective Date and ending on the '
         "fifth (5th) anniversary of the Effective Date.", "2023-01-10"),
        ("The Agreement shall terminate on the first anniversary of the Effective Date.",
         "2019-01-10"),
        ("The Term shall commence on the Effective Date and end on the 3rd anniversary thereof.",
         "2021-01-10"),
        ("This Agreement is effective from February 1, 2018 to January 31, 2021.", "2021-01-31"),
        ("The Term shall commence on February 1, 2018 and ending on January 31, 2019.",
         "2019-01-31"),
        ("This Agreement shall expire at 11:59 p.m. on December 31, 2021.", "2021-12-31"),
        ('"Expiration Date" means December 31, 2020.', "2020-12-31"),
        ("The term of this Agreement shall run from the Effective Date until the close of business "
         "on March 31, 2023.", "2023-03-31"),
        ("This Agreement shall remain in effect until 5:00 p.m. (New York time) on June 30, 2019.",
         "2019-06-30"),
        ("This Agreement shall have an initial five-year term commencing on the Effective Date.",
         "2023-01-10"),
        ("This Agreement shall be effective for a three (3)-year period beginning on the "
         "Effective Date.", "2021-01-10"),
    ],
)  # fmt: skip
def test_expiration_stated_or_counted_from_the_start(clause: str, expires: str) -> None:
    assert _fields(_OPENING, clause)["expiration_date"] == expires


def test_a_payment_period_after_the_term_is_not_the_term() -> None:
    fields = _fields(
        _OPENING,
        "Invoices issued during the first year of the term hereof will be payable ninety (90)",
        "days after the date of such invoice.",
    )
    assert "term" not in fields
    assert "expiration_date" not in fields


def test_a_hyphenated_days_window_is_not_the_term() -> None:
    fields = _fields(
        _OPENING,
        "No benefits described in this Agreement shall be paid until expiration of the",
        "seven-day revocation period.",
    )
    assert "term" not in fields


# -- parties ---------------------------------------------------------------------------------


def test_parties_listed_with_commas_each_with_its_state_of_formation() -> None:
    parties = _parties(
        "This Agreement is made by and among Alpha Inc., a Delaware corporation, Beta LLC, a Texas",
        "limited liability company, and Gamma L.P., a Delaware limited partnership (collectively,",
        'the "Parties").',
    )
    assert parties == ["Alpha Inc.", "Beta LLC", "Gamma L.P."]


def test_parties_with_defined_terms_after_a_state_of_formation() -> None:
    parties = _parties(
        "This Agreement is made by and among Alpha Inc., a Delaware corporation (“Alpha”), Beta",
        "LLC, a Texas limited liability company (“Beta”), and Gamma L.P. (“Gamma”).",
    )
    assert parties == ["Alpha Inc.", "Beta LLC", "Gamma L.P."]


def test_parties_whose_state_of_formation_is_followed_by_another_comma_listed_party() -> None:
    parties = _parties(
        "This Agreement is entered into among Gamma Partners, L.P., a Delaware limited",
        "partnership, Gamma GP, LLC, a Delaware limited liability company and John Doe, an",
        "individual.",
    )
    assert parties == ["Gamma Partners, L.P.", "Gamma GP, LLC", "John Doe"]


def test_an_and_inside_a_name_before_its_state_of_formation() -> None:
    parties = _parties(
        "This Agreement is entered into between Sears, Roebuck and Co., a New York corporation,",
        "and Acme Holdings, Inc., a Delaware corporation.",
    )
    assert parties == ["Sears, Roebuck and Co.", "Acme Holdings, Inc."]


def test_the_and_of_a_place_in_a_descriptor_does_not_split_a_party() -> None:
    parties = _parties(
        "This Agreement is made by and between Danubia Kft., a company organised under the laws",
        "of England and Wales, with offices at ul. Zielna 108, Budapest and Oakwood Analytics Ltd,",
        "with offices at 37 Station Road, Manchester.",
    )
    assert "Wales" not in parties
    assert parties[:2] == ["Danubia Kft.", "Oakwood Analytics Ltd"]


def test_a_legal_form_written_before_a_quoted_name_keeps_the_name() -> None:
    parties = _parties(
        "This Agreement is made by and between TELENOR ASA, a company organized under the laws",
        "of Norway (“Telenor”), and OPEN JOINT STOCK COMPANY “VIMPEL-COMMUNICATIONS”, an open",
        "joint stock company organized under the laws of the Russian Federation (“VimpelCom”).",
    )
    assert parties == ["TELENOR ASA", "OPEN JOINT STOCK COMPANY “VIMPEL-COMMUNICATIONS”"]


def test_a_one_word_party_becomes_the_full_legal_name_the_text_writes() -> None:
    parties = _parties(
        "This letter agreement is between Emerson and you, Jane Roe. Emerson and you agree.",
        "Exhibit A. This Release is given to Emerson Electric Co. and its affiliates.",
    )
    assert "Emerson Electric Co." in parties
    assert "Emerson" not in parties


def test_a_two_word_name_is_kept_as_the_opening_writes_it() -> None:
    parties = _parties(
        "This Agreement is entered into between Worldwide Strategies and Touchstar Software",
        "Corporation. Worldwide Strategies Inc. shall resell the products.",
    )
    assert [name.rstrip(".") for name in parties] == [
        "Worldwide Strategies",
        "Touchstar Software Corporation",
    ]


# -- governing law ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("This Agreement shall be governed by the laws of the People's Republic of China.",
         "People's Republic of China"),
        ("THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE SIATE OF TEXAS.", "TEXAS"),
        ("This Agreement shall be governed by New York law, without regard to its conflicts rules.",
         "New York"),
        ("This Agreement is governed by the laws of England and Wales.", "England and Wales"),
        ("This Agreement shall be governed by the laws of the United States of America and the "
         "laws of the Commonwealth of Virginia.", "Virginia"),
        ("This Agreement shall be governed by the federal laws of the United States.",
         "United States"),
        ("This Agreement shall be governed by the laws in force in Switzerland.", "Switzerland"),
        ("The laws of the State of West Virginia shall govern this Agreement.", "West Virginia"),
        ("This Agreement shall be construed under the laws of the Province of British Columbia.",
         "British Columbia"),
    ],
)  # fmt: skip
def test_governing_law_names_the_jurisdiction(sentence: str, place: str) -> None:
    assert _fields(sentence)["governing_law"] == place


def test_a_function_word_is_never_the_governing_law() -> None:
    fields = _fields("This Agreement shall be governed by the laws of At the option of Acme.")
    assert "governing_law" not in fields


def test_a_place_of_formation_written_as_state_law_is_not_the_governing_law() -> None:
    fields = _fields("Acme Inc. is a corporation organized under Delaware law.")
    assert "governing_law" not in fields


# -- the jurisdiction list itself ------------------------------------------------------------


def test_every_jurisdiction_is_listed_once_and_recognised_in_any_case() -> None:
    assert len(JURISDICTIONS) == len(set(JURISDICTIONS))
    for name in JURISDICTIONS:
        assert is_jurisdiction(name), name
        assert is_jurisdiction(name.upper()), name


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the laws of West Virginia", "West Virginia"),
        ("the laws of New South Wales", "New South Wales"),
        ("the State of New Jersey", "New Jersey"),
        ("Hawaiian Airlines", None),  # a word that only starts like a place
    ],
)
def test_the_longest_known_place_is_found_whole(text: str, found: str | None) -> None:
    match = find_jurisdiction(text)
    assert (match.group(0) if match else None) == found


@pytest.mark.parametrize(
    ("lines", "expires"),
    [
        (
            (
                "Dieser Vertrag wird zwischen der Acme GmbH und der Beta AG am 10. Januar 2018",
                "geschlossen. Der Vertrag endet mit Ablauf des 31. Dezember 2020.",
            ),
            "2020-12-31",
        ),
        (
            (
                "Le présent contrat est conclu le 10 janvier 2018 entre Acme SA et Beta SARL.",
                "Le présent contrat expirera le 31 décembre 2020.",
            ),
            "2020-12-31",
        ),
        (
            (
                "Le présent contrat est conclu le 10 janvier 2018 entre Acme SA et Beta SARL.",
                "Le contrat se terminera le 30 juin 2021.",
            ),
            "2021-06-30",
        ),
    ],
)
def test_german_and_french_stated_expiration(lines: tuple[str, ...], expires: str) -> None:
    assert _fields(*lines)["expiration_date"] == expires


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Es gilt deutsches Recht unter Ausschluss des UN-Kaufrechts.", "Deutschland"),
        ("Dieser Vertrag unterliegt schweizerischem Recht.", "Schweiz"),
        ("Le présent contrat est soumis au droit français.", "France"),
        ("Le contrat est régi par la loi belge.", "Belgique"),
    ],
)
def test_german_and_french_law_named_by_an_adjective(sentence: str, place: str) -> None:
    assert _fields(sentence)["governing_law"] == place


@pytest.mark.parametrize(
    "sentence",
    [
        "Acme, société de droit français, et Beta SARL conviennent de ce qui suit.",
        "Die Acme GmbH, eine nach deutschem Recht gegründete Gesellschaft, und die Beta AG.",
    ],
)
def test_a_company_formed_under_a_national_law_names_no_governing_law(sentence: str) -> None:
    assert "governing_law" not in _fields(sentence)
